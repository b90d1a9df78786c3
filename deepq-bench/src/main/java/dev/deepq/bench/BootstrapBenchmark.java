package dev.deepq.bench;

import dev.deepq.eval.stats.IntervalEstimate;
import dev.deepq.eval.stats.Metric;
import dev.deepq.eval.stats.Metrics;
import dev.deepq.eval.stats.ScoreMatrix;
import dev.deepq.eval.stats.StratifiedBootstrap;
import dev.deepq.random.Rng;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Stratified bootstrap intervals of the four aggregates (mean, median, IQM, optimality gap) of a 10 runs × 5 tasks
 * score matrix with rliable's default 50,000 replicates: what {@code deepq stats} does for a typical study.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class BootstrapBenchmark {
    private static final List<Metric> AGGREGATES = List.of(Metrics.MEAN, Metrics.MEDIAN, Metrics.IQM,
            Metrics.OPTIMALITY_GAP);
    private ScoreMatrix scores;

    @Setup
    public void setUp() {
        Rng rng = Rng.seeded(3);
        double[][] byRun = new double[10][5];
        for (double[] run : byRun) {
            for (int t = 0; t < run.length; t++) {
                run[t] = 0.1 + 0.2 * t + 0.2 * (rng.random() - 0.5);
            }
        }
        scores = ScoreMatrix.of(byRun);
    }

    @Benchmark
    public List<IntervalEstimate> fourAggregatesFiftyThousandReps() {
        return StratifiedBootstrap.withDefaults(0).estimate(scores, AGGREGATES);
    }
}
