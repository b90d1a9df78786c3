package dev.deepq.env.vector;

/** An exception thrown inside one env of a vector env, rethrown to the caller with the env's index. */
public final class VectorEnvException extends RuntimeException {
    private final int envIndex;

    public VectorEnvException(int envIndex, String envId, String call, Throwable cause) {
        super("env " + envIndex + " (" + envId + ") failed in " + call + ": " + cause, cause);
        this.envIndex = envIndex;
    }

    /** The index of the env that failed. */
    public int envIndex() {
        return envIndex;
    }
}
