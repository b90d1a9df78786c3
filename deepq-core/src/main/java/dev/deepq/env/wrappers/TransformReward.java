package dev.deepq.env.wrappers;

import dev.deepq.env.Env;
import dev.deepq.env.StepResult;
import dev.deepq.env.Wrapper;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * Applies a function to every step's reward, as Gymnasium's {@code TransformReward} (e.g. {@code r -> 0.01 * r}).
 *
 * <p>The function must be pure: the same reward always gives the same result and it keeps no state, so that runs
 * stay reproducible, vector envs can call it from any thread, and checkpoints need not save it. Use a stateless
 * lambda or method reference ({@code Math::signum}); a wrapper with state (like {@link NormalizeReward}) belongs in a
 * class of its own. A non-capturing lambda also keeps the step free of allocation.
 */
public final class TransformReward extends Wrapper {
    private final DoubleUnaryOperator function;

    /** @param function a pure function of the reward (see the class description) */
    public TransformReward(Env env, DoubleUnaryOperator function) {
        super(env);
        this.function = Objects.requireNonNull(function, "function");
    }

    @Override
    protected void onStep(StepResult inner) {
        copyOutcome(inner);
        result.setReward(function.applyAsDouble(inner.reward()));
    }

    /** Keeps no state of its own. */
    @Override
    protected void saveWrapperState(StateWriter out) {}

    @Override
    protected void restoreWrapperState(StateReader in) {}
}
