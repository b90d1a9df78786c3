package dev.deepq.env.wrappers;

import dev.deepq.env.Env;
import dev.deepq.env.StepResult;
import dev.deepq.env.Wrapper;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.DType;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.env.spaces.MultiBinary;
import dev.deepq.env.spaces.MultiDiscrete;
import dev.deepq.env.spaces.Space;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;

/**
 * Flattens observations, as Gymnasium 0.29.1's {@code FlattenObservation} ({@code spaces.flatten} /
 * {@code spaces.flatten_space}): a Discrete observation becomes a one-hot vector, a MultiDiscrete one the concatenated
 * one-hot vectors of its elements, a MultiBinary one its bits, and a Box is flattened in row-major order.
 *
 * <p>The new observation space is a one-dimensional Box of {@code flatDim} elements: for a Box, the same bounds and
 * dtype flattened; for Discrete and MultiDiscrete, {@code Box(0, 1, (flatDim,), int64)}, for MultiBinary
 * {@code Box(0, 1, (n,), int8)}, as Gymnasium.
 */
public final class FlattenObservation extends Wrapper {
    private final Space innerSpace;

    /** Flattens the observations of {@code env}. */
    public FlattenObservation(Env env) {
        // A one-dimensional Box flattens to itself, so the inner array is shared and the copy below is a no-op.
        super(env, flattenSpace(env.observationSpace()), env.actionSpace());
        this.innerSpace = env.observationSpace();
    }

    /** Gymnasium's {@code flatten_space} for the spaces deepq has. */
    public static Box flattenSpace(Space space) {
        int n = space.flatDim();
        return switch (space) {
            case Box box -> new Box(box.low(), box.high(), new int[] {n}, box.dtype());
            case Discrete d -> new Box(0, 1, new int[] {n}, DType.INT64);
            case MultiDiscrete md -> new Box(0, 1, new int[] {n}, DType.INT64);
            case MultiBinary mb -> new Box(0, 1, new int[] {n}, DType.INT8);
        };
    }

    @Override
    protected void onReset(StepResult inner) {
        result.set(inner.reward(), inner.terminated(), inner.truncated());
        innerSpace.flatten(inner.observation(), 0, observation, 0);
    }

    @Override
    protected void onStep(StepResult inner) {
        result.set(inner.reward(), inner.terminated(), inner.truncated());
        innerSpace.flatten(inner.observation(), 0, observation, 0);
    }

    /** Keeps no state of its own. */
    @Override
    protected void saveWrapperState(StateWriter out) {}

    @Override
    protected void restoreWrapperState(StateReader in) {}
}
