package dev.deepq.env.vector;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Makes vector envs, as Gymnasium's {@code gymnasium.vector.make} / {@code make_vec}: {@code n} envs from the
 * registry (each wrapped in its TimeLimit, as {@link Envs#make}), stepped on one thread ({@link SyncVectorEnv}) or
 * several ({@link ThreadedVectorEnv}).
 */
public final class VectorEnvs {
    private VectorEnvs() {}

    /** {@code numEnvs} copies of the registered env {@code id} with default options, on the calling thread. */
    public static VectorEnv make(String id, int numEnvs) {
        return make(id, Map.of(), numEnvs, 1);
    }

    /**
     * {@code numEnvs} copies of the registered env {@code id} made with {@code options}, stepped on {@code threads}
     * threads (1: a {@link SyncVectorEnv}; more: a {@link ThreadedVectorEnv}, counting the calling thread).
     */
    public static VectorEnv make(String id, Map<String, ?> options, int numEnvs, int threads) {
        return make(i -> Envs.make(id, options), numEnvs, threads);
    }

    /**
     * {@code numEnvs} envs from {@code factory} (called with each index; it must return a new env each time),
     * stepped on {@code threads} threads. If making or checking the envs fails, the envs made so far are closed.
     */
    public static VectorEnv make(IntFunction<? extends Env> factory, int numEnvs, int threads) {
        if (numEnvs <= 0) {
            throw new IllegalArgumentException("a vector env needs numEnvs >= 1, got " + numEnvs);
        }
        if (threads <= 0) {
            throw new IllegalArgumentException("a vector env needs threads >= 1, got " + threads);
        }
        List<Env> envs = new ArrayList<>(numEnvs);
        try {
            for (int i = 0; i < numEnvs; i++) {
                envs.add(factory.apply(i));
            }
            return threads == 1 ? new SyncVectorEnv(envs) : new ThreadedVectorEnv(envs, threads);
        } catch (RuntimeException | Error e) {
            for (Env env : envs) {
                try {
                    if (env != null) {
                        env.close();
                    }
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }
}
