package dev.deepq.cli;

import picocli.CommandLine.Option;

/** The options {@code train} and {@code resume} share: checkpoints, env threads and progress display. */
final class SessionOptions {
    @Option(names = "--checkpoint-every", paramLabel = "STEPS",
            description = "Env steps between checkpoints in RUN/checkpoints (default: a tenth of the run, at least "
                    + "1000; 0: only when interrupted). Ctrl-C writes one too; 'deepq resume RUN' continues.")
    Long checkpointEvery;

    @Option(names = "--env-threads", defaultValue = "1",
            description = "Threads stepping the vector env's copies (results are identical for any count; default: ${DEFAULT-VALUE}).")
    int envThreads;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (a bar on a terminal, else plain lines), bar, plain, none (default: ${DEFAULT-VALUE}).")
    String progress;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between plain progress lines (default: ${DEFAULT-VALUE}).")
    double progressInterval;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    /** Checks the values; a bad one is a user error naming the option. */
    void validate() {
        if (envThreads <= 0) {
            throw new Main.UserException("--env-threads must be positive, got " + envThreads);
        }
        if (!(progressInterval >= 0)) {
            throw new Main.UserException("--progress-interval must be >= 0 seconds, got " + progressInterval);
        }
        if (checkpointEvery != null && checkpointEvery < 0) {
            throw new Main.UserException("--checkpoint-every must be >= 0 steps (0: only when interrupted), got "
                    + checkpointEvery);
        }
    }

    /** The progress display to use. */
    TrainingProgress.Mode progressMode() {
        for (TrainingProgress.Mode m : TrainingProgress.Mode.values()) {
            if (m.name().equalsIgnoreCase(progress)) {
                return TrainingProgress.resolve(m, quiet, Main.usesProcessStreams());
            }
        }
        throw new Main.UserException("--progress must be one of auto, bar, plain, none; got '" + progress + "'");
    }

    /** Steps between checkpoints: the option, else a tenth of the run, at least 1,000 (a crash loses little). */
    long checkpointInterval(long totalSteps) {
        return checkpointEvery != null ? checkpointEvery : Math.max(1_000, totalSteps / 10);
    }
}
