package dev.deepq.env.wrappers;

import dev.deepq.env.Env;
import dev.deepq.env.StepResult;
import dev.deepq.env.Wrapper;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;

/**
 * Scales rewards so that the discounted return has roughly unit variance, as Gymnasium 0.29.1's
 * {@code NormalizeReward}. On each step:
 * <pre>
 *   returns = returns * gamma * (terminated ? 0 : 1) + reward
 *   statistics.update(returns)
 *   reward' = reward / sqrt(statistics.var + epsilon)
 * </pre>
 * The reward is divided, not centred. Exactly as in Gymnasium 0.29.1 (since v0.27), the accumulated return is cut
 * only on the terminating step itself (which then holds just that step's reward) and carries on into the next
 * episode; truncation and reset leave it alone.
 *
 * <p>Save {@link #statistics()} and {@link #discountedReturn()} with the agent to resume training identically;
 * freeze the statistics for evaluation with {@link #setUpdateStatistics(boolean)}.
 */
public final class NormalizeReward extends Wrapper {
    public static final double DEFAULT_GAMMA = 0.99;
    public static final double DEFAULT_EPSILON = 1e-8;

    private final RunningMeanStd statistics = new RunningMeanStd(1);
    private final double gamma;
    private final double epsilon;
    private double returns;

    /** Scales {@code env}'s rewards with Gymnasium's defaults, gamma 0.99 and epsilon 1e-8. */
    public NormalizeReward(Env env) {
        this(env, DEFAULT_GAMMA, DEFAULT_EPSILON);
    }

    /**
     * @param gamma the discount of the accumulated return, in [0, 1]
     * @param epsilon added to the variance inside the square root
     */
    public NormalizeReward(Env env, double gamma, double epsilon) {
        super(env);
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("NormalizeReward gamma must be in [0, 1], got " + gamma);
        }
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("NormalizeReward epsilon must be >= 0 and finite, got " + epsilon);
        }
        this.gamma = gamma;
        this.epsilon = epsilon;
    }

    /** The running statistics of the discounted return (live, not a copy). */
    public RunningMeanStd statistics() {
        return statistics;
    }

    /** The discounted return accumulated so far (Gymnasium's {@code self.returns}). */
    public double discountedReturn() {
        return returns;
    }

    /** Restores the accumulated discounted return, e.g. from a checkpoint. */
    public void setDiscountedReturn(double returns) {
        this.returns = returns;
    }

    public double gamma() {
        return gamma;
    }

    public double epsilon() {
        return epsilon;
    }

    /** Whether steps update the statistics (true by default; false freezes them, e.g. for evaluation). */
    public void setUpdateStatistics(boolean update) {
        statistics.setFrozen(!update);
    }

    public boolean updatesStatistics() {
        return !statistics.isFrozen();
    }

    @Override
    protected void onStep(StepResult inner) {
        double reward = inner.reward();
        returns = returns * gamma * (inner.terminated() ? 0.0 : 1.0) + reward;
        statistics.update(returns);
        result.set(reward / Math.sqrt(statistics.var(0) + epsilon), inner.terminated(), inner.truncated());
    }

    @Override
    protected void saveWrapperState(StateWriter out) {
        out.putPart("statistics", statistics);
        out.putDouble("returns", returns);
    }

    @Override
    protected void restoreWrapperState(StateReader in) {
        in.readPart("statistics", statistics);
        returns = in.getDouble("returns");
    }
}
