package dev.deepq.env.toytext;

/** Registers the toy-text envs with Gymnasium 0.29.1's ids, options, limits and thresholds. */
public final class ToyTextEnvs {
    private ToyTextEnvs() {}

    public static void registerAll() {
    }
}
