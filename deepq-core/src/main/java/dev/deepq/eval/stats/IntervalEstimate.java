package dev.deepq.eval.stats;

/**
 * A point estimate with its bootstrap confidence interval.
 *
 * @param point the metric on the observed scores
 * @param low the lower end of the interval
 * @param high the upper end of the interval
 */
public record IntervalEstimate(double point, double low, double high) {
    /** Whether {@code value} lies in [low, high]. */
    public boolean contains(double value) {
        return value >= low && value <= high;
    }
}
