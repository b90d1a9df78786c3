package dev.deepq.train;

import dev.deepq.env.vector.VectorEnv;

/**
 * What the {@link Trainer} drives: an algorithm that chooses exploring actions, learns from each step, and acts
 * greedily for evaluation. Implementations allocate nothing per step.
 *
 * <p>An agent that can be resumed exactly from a checkpoint also implements {@link dev.deepq.state.Checkpointable}.
 */
public interface Agent {
    /**
     * Writes an exploring action for every env's current observation ({@code env.observations()}, masks from
     * {@code env.actionMask(i)}) into {@code out}. {@code step} counts env steps taken so far (over all envs).
     */
    void act(VectorEnv env, long step, ActionBatch out);

    /** Learns from one step of every env; {@code step} counts env steps taken, this one included. */
    void observe(StepBatch batch, long step);

    /**
     * The greedy action for one observation, written flat into {@code actionOut} (one number for Discrete).
     *
     * @param actionMask valid actions, or null when the env has no mask
     */
    void predict(double[] observation, boolean[] actionMask, double[] actionOut);

    /** The latest training statistics (e.g. epsilon, loss), for logging. Names are stable; values change. */
    TrainingMetrics metrics();

    /**
     * The configuration record this agent was built from, or null. Checkpoints record it and refuse to resume into an
     * agent whose configuration differs.
     */
    default Record config() {
        return null;
    }
}
