package dev.deepq.replay;

/**
 * The importance-sampling exponent of prioritized replay, annealed linearly from {@code start} to {@code end} over
 * {@code steps} steps and constant afterwards (Schaul et al. 2016 anneal beta from beta0 to 1 by the end of learning).
 */
public record BetaSchedule(double start, double end, long steps) {

    public BetaSchedule {
        if (!(start >= 0 && start <= 1) || !(end >= 0 && end <= 1)) {
            throw new IllegalArgumentException("beta must stay in [0, 1], got start=" + start + ", end=" + end);
        }
        if (steps <= 0) {
            throw new IllegalArgumentException("the beta schedule needs steps > 0, got " + steps);
        }
    }

    /** beta 0.4 → 1 over {@code steps} (the paper's and the usual default). */
    public static BetaSchedule standard(long steps) {
        return new BetaSchedule(PrioritizedReplayBuffer.DEFAULT_BETA0, 1.0, steps);
    }

    /** beta after {@code step} steps. */
    public double value(long step) {
        if (step <= 0) {
            return start;
        }
        if (step >= steps) {
            return end;
        }
        return start + (end - start) * ((double) step / steps);
    }
}
