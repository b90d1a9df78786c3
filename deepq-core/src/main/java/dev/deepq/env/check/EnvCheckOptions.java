package dev.deepq.env.check;

/**
 * How hard the {@link EnvChecker} exercises an env.
 *
 * @param seed the seed of the checked episodes (the seeding checks also use {@code seed + 1}); actions are drawn from
 *             a generator derived from it, so a check is reproducible
 * @param steps the number of steps of each checked rollout; every loop of the checker is bounded by it, so an env
 *              whose episodes never end cannot make the checker hang (its episode-end checks are then skipped with a
 *              warning)
 * @param checkRender whether to call the render methods the env says it supports
 */
public record EnvCheckOptions(long seed, int steps, boolean checkRender) {
    /** The most steps a rollout may take: enough for any episode-end check, small enough to stay quick. */
    public static final int MAX_STEPS = 1_000_000;

    public EnvCheckOptions {
        if (seed < 0 || seed == Long.MAX_VALUE) {
            throw new IllegalArgumentException("EnvCheckOptions: seed must be in [0, Long.MAX_VALUE), got " + seed);
        }
        if (steps < 1 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("EnvCheckOptions: steps must be in [1, " + MAX_STEPS + "], got " + steps);
        }
    }

    /** Seed 0, 300 steps per rollout, rendering checked. */
    public static EnvCheckOptions defaults() {
        return new EnvCheckOptions(0, 300, true);
    }

    public EnvCheckOptions withSeed(long newSeed) {
        return new EnvCheckOptions(newSeed, steps, checkRender);
    }

    public EnvCheckOptions withSteps(int newSteps) {
        return new EnvCheckOptions(seed, newSteps, checkRender);
    }

    public EnvCheckOptions withRender(boolean render) {
        return new EnvCheckOptions(seed, steps, render);
    }
}
