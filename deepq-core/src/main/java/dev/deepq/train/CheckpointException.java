package dev.deepq.train;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint that cannot be read or does not fit the run it should resume: truncated or corrupted files, another
 * format or version, a checksum mismatch, a missing tensor, a shape, config or env that differs. The message names
 * the file and the problem. Reading never modifies any file.
 */
public final class CheckpointException extends IOException {
    private final Path file;

    public CheckpointException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file (or checkpoint directory) at fault. */
    public Path file() {
        return file;
    }
}
