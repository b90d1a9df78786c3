package dev.deepq.env;

/**
 * Registers the envs of a module that core does not depend on (for example deepq-box2d's LunarLander). {@link Envs}
 * loads every implementation listed in a {@code META-INF/services/dev.deepq.env.EnvProvider} file on the class path
 * once, when it is first used, so such envs work with {@code Envs.make} as soon as their jar is on the class path.
 */
public interface EnvProvider {
    /** Registers this module's envs with {@link Envs#register}. */
    void registerAll();
}
