package dev.deepq.env.wrappers;

import dev.deepq.env.Env;
import dev.deepq.env.StepResult;
import dev.deepq.env.Wrapper;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;

/**
 * Normalizes each observation element to roughly zero mean and unit variance, as Gymnasium 0.29.1's
 * {@code NormalizeObservation}: on every reset and step the raw observation first updates the running statistics
 * ({@link RunningMeanStd}), then the wrapper returns {@code (obs - mean) / sqrt(var + epsilon)} with the updated
 * statistics. The observation space is the inner env's, unchanged (as in Gymnasium), although normalized values may
 * lie outside its bounds.
 *
 * <p>The statistics depend on everything seen so far: save them with the agent ({@link #statistics()}
 * {@code .state()}) and freeze them for evaluation ({@link #setUpdateStatistics(boolean)}).
 */
public final class NormalizeObservation extends Wrapper {
    /** Gymnasium's default epsilon inside the square root. */
    public static final double DEFAULT_EPSILON = 1e-8;

    private final RunningMeanStd statistics;
    private final double epsilon;

    /** Normalizes {@code env}'s observations with Gymnasium's epsilon 1e-8. */
    public NormalizeObservation(Env env) {
        this(env, DEFAULT_EPSILON);
    }

    /** @param epsilon added to the variance inside the square root (Gymnasium's default: 1e-8) */
    public NormalizeObservation(Env env, double epsilon) {
        super(env, env.observationSpace(), env.actionSpace(), true);
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("NormalizeObservation epsilon must be >= 0 and finite, got " + epsilon);
        }
        this.epsilon = epsilon;
        this.statistics = new RunningMeanStd(env.observationSpace().size());
    }

    /** The running statistics (live, not a copy): read, save with {@code state()}, load with {@code restore()}. */
    public RunningMeanStd statistics() {
        return statistics;
    }

    public double epsilon() {
        return epsilon;
    }

    /** Whether observations update the statistics (true by default; false freezes them, e.g. for evaluation). */
    public void setUpdateStatistics(boolean update) {
        statistics.setFrozen(!update);
    }

    public boolean updatesStatistics() {
        return !statistics.isFrozen();
    }

    @Override
    protected void onReset(StepResult inner) {
        result.set(inner.reward(), inner.terminated(), inner.truncated());
        normalize(inner.observation());
    }

    @Override
    protected void onStep(StepResult inner) {
        result.set(inner.reward(), inner.terminated(), inner.truncated());
        normalize(inner.observation());
    }

    private void normalize(double[] raw) {
        statistics.update(raw, 0);
        statistics.normalize(raw, 0, observation, 0, epsilon);
    }

    @Override
    protected void saveWrapperState(StateWriter out) {
        out.putPart("statistics", statistics);
    }

    @Override
    protected void restoreWrapperState(StateReader in) {
        in.readPart("statistics", statistics);
    }
}
