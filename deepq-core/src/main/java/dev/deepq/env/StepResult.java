package dev.deepq.env;

import java.util.Arrays;

/**
 * What {@link Env#reset} and {@link Env#step} return: the observation, reward, the two ways an episode ends, info and
 * (for envs that have them) the action mask.
 *
 * <p>Each env owns one {@code StepResult} and overwrites it on every call, so a step allocates nothing. Read what you
 * need before the next call, or {@link #copy()} it.
 *
 * <p>{@code terminated} means the MDP reached a terminal state: do not bootstrap. {@code truncated} means the episode
 * was cut short (a time limit): the value of the next state still counts. They are never merged.
 */
public final class StepResult {
    private final double[] observation;
    private final Info info;
    private final boolean[] actionMask;
    private double reward;
    private boolean terminated;
    private boolean truncated;

    /**
     * @param observation the array the env writes its observations into (flat, length of the observation space's size)
     * @param info the info the env fills
     * @param actionMask the array the env writes valid actions into, or null when it has no action mask
     */
    public StepResult(double[] observation, Info info, boolean[] actionMask) {
        this.observation = observation;
        this.info = info;
        this.actionMask = actionMask;
    }

    /** The current observation, flat. Overwritten by the next reset or step. */
    public double[] observation() {
        return observation;
    }

    /** The observation of a Discrete observation space, as an int. */
    public int discreteObservation() {
        return (int) observation[0];
    }

    public double reward() {
        return reward;
    }

    public boolean terminated() {
        return terminated;
    }

    public boolean truncated() {
        return truncated;
    }

    /** Whether the episode is over, either way. */
    public boolean done() {
        return terminated || truncated;
    }

    public Info info() {
        return info;
    }

    /** Valid actions in the current state (Gymnasium's {@code info["action_mask"]}), or null if the env has none. */
    public boolean[] actionMask() {
        return actionMask;
    }

    public boolean hasActionMask() {
        return actionMask != null;
    }

    /** Sets the outcome of a step. For env and wrapper implementations. */
    public void set(double reward, boolean terminated, boolean truncated) {
        this.reward = reward;
        this.terminated = terminated;
        this.truncated = truncated;
    }

    public void setReward(double reward) {
        this.reward = reward;
    }

    public void setTerminated(boolean terminated) {
        this.terminated = terminated;
    }

    public void setTruncated(boolean truncated) {
        this.truncated = truncated;
    }

    /** A detached copy (allocates). */
    public StepResult copy() {
        Info infoCopy = new Info();
        infoCopy.putAll(info);
        StepResult c = new StepResult(observation.clone(), infoCopy, actionMask == null ? null : actionMask.clone());
        c.set(reward, terminated, truncated);
        return c;
    }

    @Override
    public String toString() {
        return "StepResult[observation=" + Arrays.toString(observation) + ", reward=" + reward + ", terminated="
                + terminated + ", truncated=" + truncated + ", info=" + info
                + (actionMask == null ? "" : ", actionMask=" + Arrays.toString(actionMask)) + "]";
    }
}
