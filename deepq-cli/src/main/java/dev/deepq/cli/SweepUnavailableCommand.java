package dev.deepq.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code deepq sweep} when Spark is not on the class path (the plain {@code deepq} jar leaves it out): explains how to
 * run sweeps. With deepq-spark and Spark present, {@link Main} registers {@code dev.deepq.spark.SweepCommand} instead.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a hyperparameter sweep as Apache Spark jobs (needs deepq-spark and Spark; see docs/SWEEPS.md).",
                "Use ./deepq-sweep SWEEP_FILE [--master URL] [--output DIR] [--parallelism N], which builds "
                        + "deepq-spark and runs this command with Spark on the class path."})
final class SweepUnavailableCommand implements Runnable {
    static final String MESSAGE = "'deepq sweep' runs on Apache Spark, which the deepq jar does not include. Run it with "
            + "./deepq-sweep SWEEP_FILE [--master URL] [--output DIR] [--parallelism N] (builds deepq-spark and starts "
            + "the sweep with Spark's JVM options), or on a cluster: spark-submit --class dev.deepq.spark.SweepMain "
            + "deepq-spark/target/deepq-sweep.jar SWEEP_FILE. See docs/SWEEPS.md.";

    @Unmatched
    List<String> args;

    @Override
    public void run() {
        throw new Main.UserException(MESSAGE);
    }
}
