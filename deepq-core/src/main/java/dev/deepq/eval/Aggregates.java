package dev.deepq.eval;

import dev.deepq.eval.stats.Metrics;

/** Aggregates of run scores, defined as {@code rliable} and SciPy define them; the full set is in {@link dev.deepq.eval.stats}. */
public final class Aggregates {
    private Aggregates() {}

    /**
     * The interquartile mean: the mean of the scores left after removing {@code floor(0.25 n)} from each end of the
     * sorted scores ({@code scipy.stats.trim_mean(scores, 0.25)}, as {@code rliable} computes IQM).
     */
    public static double iqm(double[] scores) {
        return Metrics.iqm(scores);
    }
}
