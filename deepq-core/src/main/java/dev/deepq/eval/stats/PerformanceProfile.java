package dev.deepq.eval.stats;

import java.util.List;

/**
 * A performance profile: at each threshold tau, the fraction of scores above it, with its bootstrap interval.
 *
 * @param taus the thresholds
 * @param points the profile and its interval at each threshold, in the order of {@code taus}
 */
public record PerformanceProfile(double[] taus, List<IntervalEstimate> points) {
    public PerformanceProfile {
        taus = taus.clone();
        points = List.copyOf(points);
        if (taus.length != points.size()) {
            throw new IllegalArgumentException(taus.length + " thresholds for " + points.size() + " profile points");
        }
    }

    @Override
    public double[] taus() {
        return taus.clone();
    }

    /** The profile's value at the k-th threshold. */
    public double fraction(int k) {
        return points.get(k).point();
    }
}
