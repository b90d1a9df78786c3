package dev.deepq.eval.stats;

import java.util.Arrays;
import java.util.Objects;

/**
 * The aggregate metrics of Agarwal et al. 2021, "Deep RL at the Edge of the Statistical Precipice", defined exactly as
 * their {@code rliable} library ({@code rliable/metrics.py}, {@code rliable/library.py}) computes them on a runs x
 * tasks matrix of (normalized) scores. See {@code docs/STATS.md}.
 */
public final class Metrics {
    private Metrics() {}

    /** {@code aggregate_mean}: the mean over tasks of each task's mean over runs. */
    public static final Metric MEAN = Metrics::mean;

    /** {@code aggregate_median}: the median over tasks of each task's mean over runs (NumPy's median: the middle two averaged when even). */
    public static final Metric MEDIAN = Metrics::median;

    /**
     * {@code aggregate_iqm}: the interquartile mean of all runs' scores pooled over tasks, i.e.
     * {@code scipy.stats.trim_mean(scores, 0.25, axis=None)}: sort the n scores, drop {@code floor(0.25 n)} from each
     * end, average the rest.
     */
    public static final Metric IQM = Metrics::iqm;

    /** {@code aggregate_optimality_gap} with gamma = 1: {@code 1 - mean(min(score, 1))} over all scores pooled. */
    public static final Metric OPTIMALITY_GAP = optimalityGap(1.0);

    /** {@code aggregate_optimality_gap(scores, gamma)}: {@code gamma - mean(min(score, gamma))} over all scores pooled. */
    public static Metric optimalityGap(double gamma) {
        requireFinite(gamma, "gamma");
        return (values, runs, tasks, scratch) -> {
            int n = runs * tasks;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.min(values[i], gamma);
            }
            return gamma - sum / n;
        };
    }

    /**
     * A point of the run-score distribution (rliable's default performance profile, {@code run_score_deviation}):
     * the fraction of all scores strictly above {@code tau}. With a full matrix this equals the mean over tasks of
     * the fraction of that task's runs above {@code tau}.
     */
    public static Metric fractionAbove(double tau) {
        requireFinite(tau, "tau");
        return (values, runs, tasks, scratch) -> {
            int n = runs * tasks;
            int above = 0;
            for (int i = 0; i < n; i++) {
                if (values[i] > tau) {
                    above++;
                }
            }
            return (double) above / n;
        };
    }

    /**
     * A point of the average-score distribution (rliable's {@code mean_score_deviation}, {@code
     * use_score_distribution=False}): the fraction of tasks whose mean over runs is strictly above {@code tau}.
     */
    public static Metric fractionOfTaskMeansAbove(double tau) {
        requireFinite(tau, "tau");
        return (values, runs, tasks, scratch) -> {
            int above = 0;
            for (int t = 0; t < tasks; t++) {
                if (taskMean(values, runs, t) > tau) {
                    above++;
                }
            }
            return (double) above / tasks;
        };
    }

    /** The mean over tasks of the per-task means ({@link #MEAN}) of a score matrix. */
    public static double mean(ScoreMatrix scores) {
        return MEAN.compute(scores);
    }

    /** The median over tasks of the per-task means ({@link #MEDIAN}) of a score matrix. */
    public static double median(ScoreMatrix scores) {
        return MEDIAN.compute(scores);
    }

    /** The interquartile mean ({@link #IQM}) of a score matrix. */
    public static double iqm(ScoreMatrix scores) {
        return IQM.compute(scores);
    }

    /** The optimality gap ({@link #OPTIMALITY_GAP}, gamma = 1) of a score matrix. */
    public static double optimalityGap(ScoreMatrix scores) {
        return OPTIMALITY_GAP.compute(scores);
    }

    /** The interquartile mean of a plain list of scores ({@code scipy.stats.trim_mean(scores, 0.25)}). */
    public static double iqm(double[] scores) {
        Objects.requireNonNull(scores, "scores");
        if (scores.length == 0) {
            throw new IllegalArgumentException("IQM of no scores");
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        return trimmedMeanOfSorted(sorted, sorted.length);
    }

    /**
     * {@code probability_of_improvement(x, y)}: the probability that a run of X scores higher than a run of Y on the
     * same task, averaged over tasks. Per task it is the Mann-Whitney U statistic of X over Y divided by
     * {@code runsX * runsY}: the fraction of (x, y) pairs with {@code x > y}, ties counting one half. (rliable returns
     * 0.5 when the two tasks' scores are identical arrays; the pair count gives exactly 0.5 there too.)
     *
     * @throws IllegalArgumentException if the matrices do not have the same tasks
     */
    public static double probabilityOfImprovement(ScoreMatrix x, ScoreMatrix y) {
        requireSameTasks(x, y);
        return probabilityOfImprovement(x.values(), x.runs(), y.values(), y.runs(), x.tasks());
    }

    static void requireSameTasks(ScoreMatrix x, ScoreMatrix y) {
        if (!x.taskNames().equals(y.taskNames())) {
            throw new IllegalArgumentException("probability of improvement compares the same tasks; X has "
                    + x.taskNames() + ", Y has " + y.taskNames());
        }
    }

    static double probabilityOfImprovement(double[] x, int runsX, double[] y, int runsY, int tasks) {
        double sum = 0;
        for (int t = 0; t < tasks; t++) {
            // Twice the U statistic, so that ties add whole numbers.
            long twiceU = 0;
            int xBase = t * runsX;
            int yBase = t * runsY;
            for (int i = 0; i < runsX; i++) {
                double xi = x[xBase + i];
                for (int j = 0; j < runsY; j++) {
                    double yj = y[yBase + j];
                    if (xi > yj) {
                        twiceU += 2;
                    } else if (xi == yj) {
                        twiceU += 1;
                    }
                }
            }
            sum += twiceU / 2.0 / ((double) runsX * runsY);
        }
        return sum / tasks;
    }

    private static double mean(double[] values, int runs, int tasks, double[] scratch) {
        double sum = 0;
        for (int t = 0; t < tasks; t++) {
            sum += taskMean(values, runs, t);
        }
        return sum / tasks;
    }

    private static double median(double[] values, int runs, int tasks, double[] scratch) {
        for (int t = 0; t < tasks; t++) {
            scratch[t] = taskMean(values, runs, t);
        }
        Arrays.sort(scratch, 0, tasks);
        int mid = tasks / 2;
        return tasks % 2 == 1 ? scratch[mid] : (scratch[mid - 1] + scratch[mid]) / 2;
    }

    private static double iqm(double[] values, int runs, int tasks, double[] scratch) {
        int n = runs * tasks;
        System.arraycopy(values, 0, scratch, 0, n);
        Arrays.sort(scratch, 0, n);
        return trimmedMeanOfSorted(scratch, n);
    }

    private static double trimmedMeanOfSorted(double[] sorted, int n) {
        int cut = n / 4; // scipy: int(0.25 * n), the same as floor for n >= 0
        double sum = 0;
        for (int i = cut; i < n - cut; i++) {
            sum += sorted[i];
        }
        return sum / (n - 2 * cut);
    }

    static double taskMean(double[] values, int runs, int task) {
        double sum = 0;
        int base = task * runs;
        for (int r = 0; r < runs; r++) {
            sum += values[base + r];
        }
        return sum / runs;
    }

    private static void requireFinite(double v, String name) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite, got " + v);
        }
    }
}
