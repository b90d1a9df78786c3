package dev.deepq.eval;

import java.util.Arrays;

/** Aggregates of run scores, defined as {@code rliable} and SciPy define them. */
public final class Aggregates {
    private Aggregates() {}

    /**
     * The interquartile mean: the mean of the scores left after removing {@code floor(0.25 n)} from each end of the
     * sorted scores ({@code scipy.stats.trim_mean(scores, 0.25)}, as {@code rliable} computes IQM).
     */
    public static double iqm(double[] scores) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("IQM of no scores");
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        int cut = sorted.length / 4;
        double sum = 0;
        for (int i = cut; i < sorted.length - cut; i++) {
            sum += sorted[i];
        }
        return sum / (sorted.length - 2 * cut);
    }
}
