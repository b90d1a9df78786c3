package dev.deepq.state;

/**
 * Saved state that does not fit the object it is restored into: a missing entry, another type or shape, a value out
 * of range. The message names the entry ({@code agent/q/0.weight}) and says what was expected.
 */
public final class StateException extends IllegalArgumentException {
    public StateException(String message) {
        super(message);
    }
}
