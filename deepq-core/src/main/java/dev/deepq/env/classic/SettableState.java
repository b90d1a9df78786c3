package dev.deepq.env.classic;

/**
 * A simulated env whose internal float64 state (Gymnasium's {@code env.unwrapped.state}) can be read and replaced:
 * for planning (try an action from a saved state), fidelity tests (step from a recorded state) and checkpoints.
 */
public interface SettableState {
    /** A copy of the internal state, in Gymnasium's element order. */
    double[] state();

    /**
     * Puts the system in {@code newState} (copied) and recomputes the observation from it. The next step starts from
     * there; the episode's step count and the env's generator are untouched.
     *
     * @throws IllegalArgumentException if {@code newState} has the wrong number of elements
     */
    void setState(double[] newState);
}
