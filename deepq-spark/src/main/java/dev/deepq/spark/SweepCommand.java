package dev.deepq.spark;

import dev.deepq.cli.Main;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code deepq sweep SWEEP_FILE}: expands a sweep file into runs and trains them as Spark jobs (embedded
 * {@code local[*]} unless a master is given), then writes and prints the results. The {@code deepq} command finds this
 * class by name when deepq-spark and Spark are on its class path ({@code ./deepq-sweep}, {@code spark-submit}).
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a hyperparameter sweep (grid or random search over config keys x seeds) as Spark jobs.",
                "Writes OUTPUT/runs.csv, runs.parquet, summary.txt, tasks/ID.json per completed run, a study folder "
                        + "per configuration (studies/) and their HTML report (report/index.html); a re-run skips the "
                        + "runs already complete. Format: docs/SWEEPS.md.",
                "Exit code: 0 when every run completed, 1 when some failed (listed in the summary), 2 for a bad file "
                        + "or option."})
public final class SweepCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SWEEP_FILE", description = "The sweep file (YAML).")
    Path file;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[N], spark://host:7077, yarn, k8s://... (default: spark-submit's, else "
                    + "local[*], or local[N] with --parallelism N).")
    String master;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Output folder (default: the file's 'output', else SWEEP_FILE without .yaml).")
    Path output;

    @Option(names = "--parallelism", paramLabel = "N",
            description = "At most N runs at once (default: as many as Spark has cores).")
    Integer parallelism;

    @Option(names = "--max-failures", paramLabel = "N", defaultValue = "4",
            description = "Attempts per run before Spark gives up on it (spark.task.maxFailures; default: ${DEFAULT-VALUE}).")
    int maxFailures;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (parallelism != null && parallelism <= 0) {
            throw new Main.UserException("--parallelism must be a positive integer, got " + parallelism);
        }
        if (maxFailures <= 0) {
            throw new Main.UserException("--max-failures must be a positive integer, got " + maxFailures);
        }
        SweepPlan plan;
        try {
            SweepSpec sweep = SweepSpec.read(file);
            plan = SweepPlan.of(sweep);
        } catch (SweepFileException e) {
            throw new Main.UserException(e.getMessage(), e);
        }
        Path out = outputFolder(plan.spec(), file, output);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        String url = master(master, parallelism, maxFailures);
        stderr.printf(Locale.ROOT, "deepq sweep: %d runs (%d configurations x %d seeds) on Spark master %s, output %s%n",
                plan.tasks().size(), plan.configurationCount(), plan.spec().seeds().size(), url, out);
        stderr.flush();
        SparkSession spark = session(url, maxFailures);
        SweepRunner.Report report;
        try {
            report = SweepRunner.run(spark, plan, out, parallelism == null ? 0 : parallelism, stderr);
        } finally {
            spark.stop();
        }
        stdout.print(report.summary());
        stdout.println("output: " + out + " (" + SweepRunner.CSV_FILE + ", " + SweepRunner.PARQUET_DIR + ", "
                + SweepRunner.SUMMARY_FILE + ", " + SweepRunner.TASKS_DIR + "/, " + SweepStudies.STUDIES_DIR + "/, "
                + SweepStudies.REPORT_DIR + "/)");
        stdout.flush();
        return report.failed() > 0 ? 1 : 0;
    }

    /** {@code --output}, else the file's {@code output} (relative to the file), else the file's path without .yaml. */
    static Path outputFolder(SweepSpec sweep, Path file, Path option) {
        if (option != null) {
            return option;
        }
        if (sweep.output() != null) {
            return sweep.output();
        }
        String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Path parent = file.toAbsolutePath().getParent();
        return parent.resolve(name.equals(file.getFileName().toString()) ? name + "-out" : name);
    }

    private static final Pattern LOCAL = Pattern.compile("local\\[([^,\\]]+)]");

    /**
     * The master URL: the option, else spark-submit's ({@code spark.master}), else {@code local[*]} or
     * {@code local[N]}. Spark's local mode runs a task once unless its URL says how often ({@code local[N,F]}), so
     * local URLs without F get {@code maxFailures}.
     */
    static String master(String option, Integer parallelism, int maxFailures) {
        String m = option != null ? option : System.getProperty("spark.master");
        if (m == null) {
            m = "local[" + (parallelism != null ? parallelism.toString() : "*") + "]";
        }
        if (m.equals("local")) {
            m = "local[1]";
        }
        Matcher local = LOCAL.matcher(m);
        return local.matches() ? "local[" + local.group(1) + "," + maxFailures + "]" : m;
    }

    /** A Spark session for the sweep (the one spark-submit configured, plus the retry count). */
    static SparkSession session(String master, int maxFailures) {
        return SparkSession.builder()
                .appName("deepq sweep")
                .master(master)
                .config("spark.task.maxFailures", Integer.toString(maxFailures))
                .config("spark.ui.showConsoleProgress", "false")
                .getOrCreate();
    }
}
