package dev.deepq.cli;

import dev.deepq.eval.stats.StratifiedBootstrap;
import picocli.CommandLine.Option;

/** The bootstrap options {@code stats} and {@code compare} share: replicates, interval coverage and seed. */
final class BootstrapOptions {
    @Option(names = "--reps", defaultValue = "" + StratifiedBootstrap.DEFAULT_REPS,
            description = "Bootstrap replicates (default: ${DEFAULT-VALUE}, rliable's).")
    int reps;

    @Option(names = "--confidence", defaultValue = "" + StratifiedBootstrap.DEFAULT_CONFIDENCE,
            description = "Interval coverage, strictly between 0 and 1 (default: ${DEFAULT-VALUE}).")
    double confidence;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the bootstrap resampling (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The bootstrap these options describe; a bad value is a user error naming the option. */
    StratifiedBootstrap bootstrap() {
        if (reps < 1) {
            throw new Main.UserException("--reps must be a positive integer, got " + reps);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new Main.UserException("--confidence must be strictly between 0 and 1, got " + confidence);
        }
        return new StratifiedBootstrap(reps, confidence, seed);
    }
}
