package dev.deepq.algo;

/**
 * How an agent's Adam step sizes change over a run. The factor multiplies each configured learning rate before a
 * training round, from the env steps taken so far (the same count Stable-Baselines3's schedules read).
 */
public enum LearningRateSchedule {
    /** The configured rates throughout. */
    CONSTANT,
    /**
     * Rates falling linearly to 0 at total_steps: factor 1 - steps / total_steps, as RL Zoo's {@code lin_<rate>}
     * (Stable-Baselines3's schedule of progress_remaining, updated before every training round).
     */
    LINEAR;

    /** The multiplier of the configured learning rates after {@code stepsTaken} of {@code totalSteps} env steps. */
    public double factor(long stepsTaken, long totalSteps) {
        return switch (this) {
            case CONSTANT -> 1.0;
            case LINEAR -> Math.max(0.0, 1.0 - (double) stepsTaken / totalSteps);
        };
    }
}
