package dev.deepq.state;

/**
 * Something whose complete state can be saved as plain data and put back, so that a resumed run continues
 * bit-identically: envs, wrappers, vector envs, agents, the trainer and callbacks.
 *
 * <p>{@link #restoreState} is meant for a freshly built object of the same configuration as the saved one. It checks
 * what it reads (names, types, shapes) and throws a {@link StateException} on a mismatch; after such a failure the
 * object may be partly restored and should be discarded.
 */
public interface Checkpointable {
    /** Writes this object's state under {@code out}'s scope. Called between steps, never on the hot path. */
    void saveState(StateWriter out);

    /** Replaces this object's state with what {@link #saveState} wrote. */
    void restoreState(StateReader in);
}
