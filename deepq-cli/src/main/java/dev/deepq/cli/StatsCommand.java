package dev.deepq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepq.eval.stats.IntervalEstimate;
import dev.deepq.eval.stats.Metric;
import dev.deepq.eval.stats.Metrics;
import dev.deepq.eval.stats.ScoreMatrix;
import dev.deepq.eval.stats.ScoreNormalization;
import dev.deepq.eval.stats.ScoresCsv;
import dev.deepq.eval.stats.StratifiedBootstrap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code deepq stats SCORES.csv}: rliable's aggregates (IQM, mean, median, optimality gap) of a runs x tasks score
 * matrix, each with a stratified-bootstrap percentile confidence interval. See docs/STATS.md.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Aggregate scores as rliable does (Agarwal et al. 2021): IQM, mean, median and optimality gap, "
                + "each with a stratified bootstrap confidence interval.",
                "SCORES.csv has a header with the columns task,run,score (any order, other columns ignored) and one "
                        + "line per task and run; every task needs the same number of runs."})
final class StatsCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "SCORES.csv", description = "Scores in long format: columns task,run,score.")
    Path file;

    @Option(names = "--json", description = "Print one JSON object: {\"iqm\": {\"point\": x, \"ci\": [low, high]}, "
            + "\"mean\": ..., \"median\": ..., \"optimality_gap\": ...}.")
    boolean json;

    @Mixin
    BootstrapOptions bootstrapOptions;

    @Option(names = "--normalize", description = "Normalize each score first with the built-in table (task = env id): "
            + "(score - random) / (reward threshold - random).")
    boolean normalize;

    @Spec
    CommandSpec spec;

    /** The aggregates every table and JSON object shows, in order, with their JSON keys and table labels. */
    static final List<String> KEYS = List.of("iqm", "mean", "median", "optimality_gap");
    static final List<String> LABELS = List.of("IQM", "Mean", "Median", "Optimality gap");
    static final List<Metric> METRICS = List.of(Metrics.IQM, Metrics.MEAN, Metrics.MEDIAN, Metrics.OPTIMALITY_GAP);

    @Override
    public void run() {
        StratifiedBootstrap bootstrap = bootstrapOptions.bootstrap();
        ScoreMatrix scores;
        try {
            scores = ScoresCsv.read(file);
            if (normalize) {
                scores = ScoreNormalization.builtIn().normalize(scores);
            }
        } catch (IllegalArgumentException e) {
            throw new Main.UserException(e.getMessage(), e);
        }
        List<IntervalEstimate> estimates = bootstrap.estimate(scores, METRICS);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            putEstimates(o, estimates);
            out.println(o.toString());
            return;
        }
        out.printf(Locale.ROOT, "%s: %d tasks x %d runs%s; %d bootstrap replicates, seed %d%n", file, scores.tasks(),
                scores.runs(), normalize ? ", normalized" : "", bootstrapOptions.reps, bootstrapOptions.seed);
        printTable(out, estimates, bootstrapOptions.confidence);
    }

    /** {@code "iqm": {"point": x, "ci": [low, high]}, "mean": ...} for the {@link #METRICS} estimates, into {@code o}. */
    static void putEstimates(ObjectNode o, List<IntervalEstimate> estimates) {
        for (int m = 0; m < KEYS.size(); m++) {
            IntervalEstimate e = estimates.get(m);
            ObjectNode metric = o.putObject(KEYS.get(m));
            metric.put("point", e.point());
            metric.putArray("ci").add(e.low()).add(e.high());
        }
    }

    /** The table of the {@link #METRICS} estimates: one line per metric with its point and interval. */
    static void printTable(PrintWriter out, List<IntervalEstimate> estimates, double confidence) {
        String ci = String.format(Locale.ROOT, "%s%% CI", trim(100 * confidence));
        out.printf(Locale.ROOT, "  %-15s %12s   %s%n", "metric", "point", ci);
        for (int m = 0; m < KEYS.size(); m++) {
            IntervalEstimate e = estimates.get(m);
            out.printf(Locale.ROOT, "  %-15s %12.4f   [%.4f, %.4f]%n", LABELS.get(m), e.point(), e.low(), e.high());
        }
    }

    static String trim(double percent) {
        String s = String.format(Locale.ROOT, "%.4f", percent);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
