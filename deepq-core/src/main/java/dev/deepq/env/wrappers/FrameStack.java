package dev.deepq.env.wrappers;

import dev.deepq.env.Env;
import dev.deepq.env.StepResult;
import dev.deepq.env.Wrapper;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.Space;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;

/**
 * Stacks the last {@code k} observations, as Gymnasium 0.29.1's {@code FrameStack}: the observation space becomes a
 * Box of shape {@code (k, ...inner shape)} with the inner bounds repeated and the same dtype; the observation holds
 * the frames oldest first (flat, row-major: frame {@code j} at {@code [j * frameSize, (j + 1) * frameSize)}). After a
 * reset every one of the {@code k} frames is the first observation.
 *
 * <p>Gymnasium returns {@code LazyFrames} to share memory between consecutive stacks; deepq writes the stack into one
 * reused array instead (each step shifts it by one frame), so nothing is allocated per step.
 */
public final class FrameStack extends Wrapper {
    private final int numStack;
    private final int frameSize;

    /** Stacks the last {@code numStack} (at least 1) observations of {@code env}, which must have a Box observation space. */
    public FrameStack(Env env, int numStack) {
        super(env, stackedSpace(env.observationSpace(), numStack), env.actionSpace(), true);
        this.numStack = numStack;
        this.frameSize = env.observationSpace().size();
    }

    private static Box stackedSpace(Space space, int numStack) {
        if (numStack <= 0) {
            throw new IllegalArgumentException("FrameStack needs numStack > 0, got " + numStack);
        }
        if (!(space instanceof Box box)) {
            throw new IllegalArgumentException("FrameStack needs a Box observation space, got " + space
                    + "; apply FlattenObservation first");
        }
        int size = box.size();
        double[] low = new double[Math.multiplyExact(size, numStack)];
        double[] high = new double[low.length];
        for (int j = 0; j < numStack; j++) {
            for (int i = 0; i < size; i++) {
                low[j * size + i] = box.low(i);
                high[j * size + i] = box.high(i);
            }
        }
        int[] innerShape = box.shape();
        int[] shape = new int[innerShape.length + 1];
        shape[0] = numStack;
        System.arraycopy(innerShape, 0, shape, 1, innerShape.length);
        return new Box(low, high, shape, box.dtype());
    }

    /** The number of stacked observations. */
    public int numStack() {
        return numStack;
    }

    @Override
    protected void onReset(StepResult inner) {
        result.set(inner.reward(), inner.terminated(), inner.truncated());
        double[] frame = inner.observation();
        for (int j = 0; j < numStack; j++) {
            System.arraycopy(frame, 0, observation, j * frameSize, frameSize);
        }
    }

    @Override
    protected void onStep(StepResult inner) {
        result.set(inner.reward(), inner.terminated(), inner.truncated());
        System.arraycopy(observation, frameSize, observation, 0, (numStack - 1) * frameSize);
        System.arraycopy(inner.observation(), 0, observation, (numStack - 1) * frameSize, frameSize);
    }

    /** Keeps no state of its own: the stacked frames are its observation array, which {@link dev.deepq.env.Env} saves. */
    @Override
    protected void saveWrapperState(StateWriter out) {}

    @Override
    protected void restoreWrapperState(StateReader in) {}
}
