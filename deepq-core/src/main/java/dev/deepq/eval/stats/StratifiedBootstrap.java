package dev.deepq.eval.stats;

import dev.deepq.random.Rng;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Stratified bootstrap confidence intervals, as rliable's {@code get_interval_estimates} (method "percentile",
 * {@code task_bootstrap=False}): each replicate resamples, independently for every task, that task's runs with
 * replacement (rliable's {@code StratifiedBootstrap}: run indices drawn with {@code np.random.choice(num_runs,
 * (num_runs, num_tasks))}), and evaluates the metric on it. The interval is the percentile interval of the
 * replicates: with {@code alpha = (1 - confidence) / 2}, {@code [percentile(100 alpha), percentile(100 (1 - alpha))]}
 * computed as {@link Percentiles#ofSorted NumPy's linear percentile} (arch's {@code conf_int(method="percentile")}).
 *
 * <p>Deterministic: every call draws from a fresh {@link Rng#seeded(long) Rng} seeded with this bootstrap's seed, so a
 * result does not depend on what was estimated before. (rliable draws from NumPy's global {@code RandomState}, so
 * replicates differ from rliable's, not their distribution.) The resampling loop allocates nothing.
 */
public final class StratifiedBootstrap {
    /** rliable's {@code get_interval_estimates} default. */
    public static final int DEFAULT_REPS = 50_000;
    /** rliable's default {@code confidence_interval_size}. */
    public static final double DEFAULT_CONFIDENCE = 0.95;
    /** rliable's {@code create_performance_profile} default repetitions. */
    public static final int DEFAULT_PROFILE_REPS = 2_000;

    private final int reps;
    private final double confidence;
    private final long seed;

    /**
     * @param reps bootstrap replicates, at least 1
     * @param confidence interval coverage, strictly between 0 and 1
     * @param seed seed of the resampling {@link Rng}
     */
    public StratifiedBootstrap(int reps, double confidence, long seed) {
        if (reps < 1) {
            throw new IllegalArgumentException("bootstrap repetitions must be at least 1, got " + reps);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be strictly between 0 and 1, got " + confidence);
        }
        this.reps = reps;
        this.confidence = confidence;
        this.seed = seed;
    }

    /** 50,000 replicates at 95 % confidence, as rliable's defaults. */
    public static StratifiedBootstrap withDefaults(long seed) {
        return new StratifiedBootstrap(DEFAULT_REPS, DEFAULT_CONFIDENCE, seed);
    }

    public int reps() {
        return reps;
    }

    public double confidence() {
        return confidence;
    }

    public long seed() {
        return seed;
    }

    /** The point estimate of {@code metric} and its interval. */
    public IntervalEstimate estimate(ScoreMatrix scores, Metric metric) {
        return estimate(scores, List.of(metric)).get(0);
    }

    /**
     * Several metrics on the same replicates (as rliable's {@code func} returning an array), in the given order.
     */
    public List<IntervalEstimate> estimate(ScoreMatrix scores, List<Metric> metrics) {
        double[][] replicates = replicates(scores, metrics, Rng.seeded(seed));
        IntervalEstimate[] out = new IntervalEstimate[metrics.size()];
        for (int m = 0; m < out.length; m++) {
            out[m] = interval(metrics.get(m).compute(scores), replicates[m]);
        }
        return List.of(out);
    }

    /** The bootstrap distribution of {@code metric}: one value per replicate, in drawing order. */
    public double[] distribution(ScoreMatrix scores, Metric metric) {
        return replicates(scores, List.of(metric), Rng.seeded(seed))[0];
    }

    /**
     * rliable's {@code probability_of_improvement} of X over Y with its interval; X's and Y's runs are resampled
     * independently within each task (rliable's {@code StratifiedIndependentBootstrap}). X and Y may have different
     * numbers of runs but must have the same tasks.
     */
    public IntervalEstimate probabilityOfImprovement(ScoreMatrix x, ScoreMatrix y) {
        Metrics.requireSameTasks(x, y);
        Rng rng = Rng.seeded(seed);
        int tasks = x.tasks();
        double[] bx = new double[x.size()];
        double[] by = new double[y.size()];
        double[] replicates = new double[reps];
        for (int i = 0; i < reps; i++) {
            resample(x.values(), x.runs(), tasks, bx, rng);
            resample(y.values(), y.runs(), tasks, by, rng);
            replicates[i] = Metrics.probabilityOfImprovement(bx, x.runs(), by, y.runs(), tasks);
        }
        return interval(Metrics.probabilityOfImprovement(x, y), replicates);
    }

    /**
     * rliable's {@code create_performance_profile} with {@code use_score_distribution=True}: at each threshold, the
     * fraction of all runs' scores above it ({@link Metrics#fractionAbove}), with intervals from shared replicates.
     * (rliable's default for profiles is {@link #DEFAULT_PROFILE_REPS} replicates; pass a bootstrap built with it.)
     */
    public PerformanceProfile performanceProfile(ScoreMatrix scores, double[] taus) {
        return profile(scores, taus, false);
    }

    /** As {@link #performanceProfile} with {@code use_score_distribution=False}: fractions of task means above each threshold. */
    public PerformanceProfile averageScoreProfile(ScoreMatrix scores, double[] taus) {
        return profile(scores, taus, true);
    }

    private PerformanceProfile profile(ScoreMatrix scores, double[] taus, boolean ofTaskMeans) {
        Objects.requireNonNull(taus, "taus");
        if (taus.length == 0) {
            throw new IllegalArgumentException("a performance profile needs at least one threshold");
        }
        Metric[] metrics = new Metric[taus.length];
        for (int k = 0; k < taus.length; k++) {
            metrics[k] = ofTaskMeans ? Metrics.fractionOfTaskMeansAbove(taus[k]) : Metrics.fractionAbove(taus[k]);
        }
        List<IntervalEstimate> estimates = estimate(scores, Arrays.asList(metrics));
        return new PerformanceProfile(taus, estimates);
    }

    /**
     * A sample-efficiency curve: {@code metric} (typically {@link Metrics#IQM}) at each evaluation point with its
     * interval. {@code scoresByStep.get(s)} is the runs x tasks matrix at evaluation point s. Each point is
     * bootstrapped on its own, continuing one seeded stream: rliable resamples a runs x tasks x steps array with
     * independent run indices for every (run, task, step) cell, so its points are resampled independently too.
     */
    public List<IntervalEstimate> sampleEfficiencyCurve(List<ScoreMatrix> scoresByStep, Metric metric) {
        Objects.requireNonNull(scoresByStep, "scoresByStep");
        if (scoresByStep.isEmpty()) {
            throw new IllegalArgumentException("a sample-efficiency curve needs at least one evaluation point");
        }
        ScoreMatrix first = scoresByStep.get(0);
        for (int s = 1; s < scoresByStep.size(); s++) {
            ScoreMatrix m = scoresByStep.get(s);
            if (m.runs() != first.runs() || !m.taskNames().equals(first.taskNames())) {
                throw new IllegalArgumentException("evaluation point " + s + " has " + m + ", point 0 has " + first
                        + "; every point needs the same runs and tasks");
            }
        }
        Rng rng = Rng.seeded(seed);
        IntervalEstimate[] out = new IntervalEstimate[scoresByStep.size()];
        for (int s = 0; s < out.length; s++) {
            ScoreMatrix m = scoresByStep.get(s);
            out[s] = interval(metric.compute(m), replicates(m, List.of(metric), rng)[0]);
        }
        return List.of(out);
    }

    private double[][] replicates(ScoreMatrix scores, List<Metric> metrics, Rng rng) {
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("no metrics to estimate");
        }
        int runs = scores.runs();
        int tasks = scores.tasks();
        Metric[] ms = metrics.toArray(new Metric[0]);
        double[] resampled = new double[scores.size()];
        double[] scratch = new double[Metric.scratchLength(runs, tasks)];
        double[][] replicates = new double[ms.length][reps];
        for (int i = 0; i < reps; i++) {
            resample(scores.values(), runs, tasks, resampled, rng);
            for (int m = 0; m < ms.length; m++) {
                replicates[m][i] = ms[m].compute(resampled, runs, tasks, scratch);
            }
        }
        return replicates;
    }

    /** One stratified resample: for each task, {@code runs} draws with replacement from that task's runs. */
    private static void resample(double[] values, int runs, int tasks, double[] out, Rng rng) {
        for (int t = 0; t < tasks; t++) {
            int base = t * runs;
            for (int r = 0; r < runs; r++) {
                out[base + r] = values[base + (int) rng.integers(runs)];
            }
        }
    }

    /** The percentile interval of the replicates (sorted in place). */
    private IntervalEstimate interval(double point, double[] replicates) {
        Arrays.sort(replicates);
        double alpha = (1.0 - confidence) / 2;
        double low = Percentiles.ofSorted(replicates, replicates.length, 100 * alpha);
        double high = Percentiles.ofSorted(replicates, replicates.length, 100 * (1.0 - alpha));
        return new IntervalEstimate(point, low, high);
    }
}
