package dev.deepq.train;

import dev.deepq.env.vector.VectorEnv;

/**
 * One step of every env of a vector env, as a learner consumes it: the observations the actions were chosen from,
 * the actions, rewards, both end flags, and the next observations, which are the final observations of episodes
 * that ended on this step (the vector env has already reset those envs). For envs with action masks, also the mask of
 * each next observation: the final observation's own mask where the episode ended, not the reset state's. All arrays
 * are flat, env {@code i}'s slice at {@code i * size}, and reused from step to step.
 */
public final class StepBatch {
    private final int numEnvs;
    private final int observationSize;
    final double[] observations;
    final double[] nextObservations;
    final double[] rewards;
    final boolean[] terminated;
    final boolean[] truncated;
    final ActionBatch actions;
    private final int actionMaskSize;
    /** Null when the env has no action mask. */
    private final boolean[] nextActionMasks;

    /** A batch for an env without action masks. */
    public StepBatch(int numEnvs, int observationSize, ActionBatch actions) {
        this(numEnvs, observationSize, 0, actions);
    }

    /**
     * @param actionMaskSize numbers in one env's action mask ({@link VectorEnv#actionMaskSize()}), 0 for an env
     *     without masks
     */
    public StepBatch(int numEnvs, int observationSize, int actionMaskSize, ActionBatch actions) {
        if (actionMaskSize < 0) {
            throw new IllegalArgumentException("actionMaskSize must be >= 0 (0 = no masks), got " + actionMaskSize);
        }
        this.actionMaskSize = actionMaskSize;
        this.nextActionMasks = actionMaskSize == 0 ? null : new boolean[numEnvs * actionMaskSize];
        this.numEnvs = numEnvs;
        this.observationSize = observationSize;
        this.observations = new double[numEnvs * observationSize];
        this.nextObservations = new double[numEnvs * observationSize];
        this.rewards = new double[numEnvs];
        this.terminated = new boolean[numEnvs];
        this.truncated = new boolean[numEnvs];
        this.actions = actions;
    }

    /** Records the observations the next actions are chosen from. */
    void captureObservations(VectorEnv env) {
        System.arraycopy(env.observations(), 0, observations, 0, observations.length);
    }

    /** Records the outcome of the step just taken. */
    void captureOutcome(VectorEnv env) {
        double[] next = env.observations();
        double[] finals = env.finalObservations();
        boolean[] ended = env.hasFinalObservation();
        for (int i = 0; i < numEnvs; i++) {
            System.arraycopy(ended[i] ? finals : next, i * observationSize, nextObservations, i * observationSize, observationSize);
        }
        if (nextActionMasks != null) {
            boolean[] finalMasks = env.finalActionMasks();
            for (int i = 0; i < numEnvs; i++) {
                int to = i * actionMaskSize;
                if (ended[i]) {
                    System.arraycopy(finalMasks, to, nextActionMasks, to, actionMaskSize);
                } else {
                    System.arraycopy(env.actionMask(i), 0, nextActionMasks, to, actionMaskSize);
                }
            }
        }
        System.arraycopy(env.rewards(), 0, rewards, 0, numEnvs);
        System.arraycopy(env.terminated(), 0, terminated, 0, numEnvs);
        System.arraycopy(env.truncated(), 0, truncated, 0, numEnvs);
    }

    public int numEnvs() {
        return numEnvs;
    }

    public int observationSize() {
        return observationSize;
    }

    public double[] observations() {
        return observations;
    }

    public double[] nextObservations() {
        return nextObservations;
    }

    /** Numbers in one env's action mask, 0 when the env has none. */
    public int actionMaskSize() {
        return actionMaskSize;
    }

    /**
     * The action mask of each next observation, flat ({@code numEnvs() * actionMaskSize()}): for an episode that
     * ended, its final observation's mask. Null when the env has no action mask.
     */
    public boolean[] nextActionMasks() {
        return nextActionMasks;
    }

    public double[] rewards() {
        return rewards;
    }

    public boolean[] terminated() {
        return terminated;
    }

    public boolean[] truncated() {
        return truncated;
    }

    public ActionBatch actions() {
        return actions;
    }
}
