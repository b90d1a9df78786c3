package dev.deepq.env.wrappers;

import dev.deepq.env.Env;
import dev.deepq.env.StepResult;
import dev.deepq.env.Wrapper;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;

/**
 * Truncates episodes after {@code maxEpisodeSteps} steps, as Gymnasium's {@code TimeLimit}: the step that reaches the
 * limit reports {@code truncated = true} (and keeps {@code terminated} as the env reported it).
 */
public final class TimeLimit extends Wrapper {
    private final int maxEpisodeSteps;
    private int elapsedSteps;

    public TimeLimit(Env env, int maxEpisodeSteps) {
        super(env);
        if (maxEpisodeSteps <= 0) {
            throw new IllegalArgumentException("TimeLimit needs maxEpisodeSteps > 0, got " + maxEpisodeSteps);
        }
        this.maxEpisodeSteps = maxEpisodeSteps;
    }

    public int maxEpisodeSteps() {
        return maxEpisodeSteps;
    }

    /** Steps taken in the current episode. */
    public int elapsedSteps() {
        return elapsedSteps;
    }

    /** Restores the step counter, e.g. from a checkpoint taken mid-episode. */
    public void setElapsedSteps(int elapsedSteps) {
        this.elapsedSteps = elapsedSteps;
    }

    @Override
    protected void onReset(StepResult inner) {
        elapsedSteps = 0;
        copyOutcome(inner);
    }

    @Override
    protected void onStep(StepResult inner) {
        copyOutcome(inner);
        elapsedSteps++;
        if (elapsedSteps >= maxEpisodeSteps) {
            result.setTruncated(true);
        }
    }

    @Override
    protected void saveWrapperState(StateWriter out) {
        out.putLong("elapsed_steps", elapsedSteps);
    }

    @Override
    protected void restoreWrapperState(StateReader in) {
        elapsedSteps = in.getInt("elapsed_steps", 0, Integer.MAX_VALUE);
    }
}
