package dev.deepq.env.classic;

import dev.deepq.env.Env;
import dev.deepq.env.spaces.Space;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;

/**
 * The shared shape of the classic-control envs: a float64 physical state (Gymnasium's {@code env.unwrapped.state})
 * from which the observation is computed, readable and replaceable ({@link SettableState}), and RGB rendering.
 */
public abstract class ClassicControlEnv extends Env implements SettableState {
    /** The physical state, in Gymnasium's element order. */
    protected final double[] state;
    private final String stateLayout;

    /**
     * @param stateLayout the state's elements for error messages, e.g. {@code "(position, velocity)"}
     */
    protected ClassicControlEnv(Space observationSpace, Space actionSpace, int stateSize, String stateLayout) {
        super(observationSpace, actionSpace);
        this.state = new double[stateSize];
        this.stateLayout = stateLayout;
    }

    /** Computes the observation from {@link #state}. */
    protected abstract void writeObservation();

    @Override
    public final double[] state() {
        return state.clone();
    }

    @Override
    public final void setState(double[] newState) {
        if (newState.length != state.length) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " state is " + stateLayout + ", "
                    + state.length + " elements, got " + newState.length);
        }
        System.arraycopy(newState, 0, state, 0, state.length);
        writeObservation();
    }

    /** Saves the physical state; subclasses with more (e.g. CartPole's termination latch) add it. */
    @Override
    protected void saveEnvState(StateWriter out) {
        out.putDoubles("state", state);
    }

    @Override
    protected void restoreEnvState(StateReader in) {
        in.readDoubles("state", state);
    }

    @Override
    public boolean supportsRgbRender() {
        return true;
    }
}
