package dev.deepq.replay;

import dev.deepq.env.spaces.Space;

/**
 * The shape of a replay buffer.
 *
 * @param capacity slots in total, shared equally by the env streams ({@code capacity / numEnvs} each, remainder
 *     unused). A slot holds one observation; a transition takes one slot, and every episode end takes one more (for
 *     its final observation), see {@link ReplayBuffer}
 * @param observationSize numbers in one flat observation
 * @param actionKind how actions are stored
 * @param actionSize numbers in one flat action (1 for a Discrete space)
 * @param numEnvs how many env streams write into the buffer (the vector env's width)
 * @param nStep the n of n-step returns (1 for plain one-step targets)
 * @param gamma the discount used to sum n-step rewards and reported in {@link Batch#discounts()}
 */
public record ReplayConfig(
        int capacity,
        int observationSize,
        ActionKind actionKind,
        int actionSize,
        int numEnvs,
        int nStep,
        double gamma) {

    public ReplayConfig {
        if (observationSize <= 0) {
            throw new IllegalArgumentException("observationSize must be > 0, got " + observationSize);
        }
        if (actionKind == null) {
            throw new IllegalArgumentException("actionKind must be DISCRETE or CONTINUOUS, got null");
        }
        if (actionSize <= 0) {
            throw new IllegalArgumentException("actionSize must be > 0, got " + actionSize);
        }
        if (numEnvs <= 0) {
            throw new IllegalArgumentException("numEnvs must be > 0, got " + numEnvs);
        }
        if (nStep <= 0) {
            throw new IllegalArgumentException("nStep must be >= 1, got " + nStep);
        }
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in [0, 1], got " + gamma);
        }
        // A stream must hold an n-step window plus its bootstrap observation; see ReplayBuffer on overwrites.
        long minCapacity = (long) numEnvs * (nStep + 1);
        if (capacity < minCapacity) {
            throw new IllegalArgumentException("capacity " + capacity + " is too small for " + numEnvs
                    + " env stream(s) with nStep " + nStep + ": each stream needs at least nStep + 1 = "
                    + (nStep + 1) + " slots, so capacity must be >= " + minCapacity);
        }
        long obsFloats = (long) capacity * observationSize;
        long actionNumbers = (long) capacity * actionSize;
        if (obsFloats > Integer.MAX_VALUE - 8 || actionNumbers > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("capacity " + capacity + " x observationSize " + observationSize
                    + " (or x actionSize " + actionSize + ") exceeds the largest Java array");
        }
    }

    /** One env stream, one-step returns. */
    public static ReplayConfig of(int capacity, int observationSize, ActionKind actionKind, int actionSize,
            double gamma) {
        return new ReplayConfig(capacity, observationSize, actionKind, actionSize, 1, 1, gamma);
    }

    /** A buffer for an env's observation and action spaces (one env stream, one-step returns). */
    public static ReplayConfig forSpaces(int capacity, Space observationSpace, Space actionSpace, double gamma) {
        return of(capacity, observationSpace.size(), ActionKind.of(actionSpace), actionSpace.size(), gamma);
    }

    /** This config for {@code envs} env streams. */
    public ReplayConfig withNumEnvs(int envs) {
        return new ReplayConfig(capacity, observationSize, actionKind, actionSize, envs, nStep, gamma);
    }

    /** This config with n-step returns. */
    public ReplayConfig withNStep(int n) {
        return new ReplayConfig(capacity, observationSize, actionKind, actionSize, numEnvs, n, gamma);
    }

    /** This config with {@code slots} slots in total. */
    public ReplayConfig withCapacity(int slots) {
        return new ReplayConfig(slots, observationSize, actionKind, actionSize, numEnvs, nStep, gamma);
    }

    /** Slots per env stream: {@code capacity / numEnvs}. */
    public int streamCapacity() {
        return capacity / numEnvs;
    }
}
