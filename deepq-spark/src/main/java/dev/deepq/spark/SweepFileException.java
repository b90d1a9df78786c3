package dev.deepq.spark;

/** A malformed sweep file; the message names the file, the line when known, and the key. */
public final class SweepFileException extends IllegalArgumentException {
    public SweepFileException(String message) {
        super(message);
    }

    public SweepFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
