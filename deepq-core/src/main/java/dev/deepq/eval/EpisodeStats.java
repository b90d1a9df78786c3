package dev.deepq.eval;

import java.util.Arrays;

/**
 * Returns and lengths of a set of episodes, with the summary a report needs. {@code std} is the population standard
 * deviation (NumPy's default, {@code ddof=0}), so figures compare directly with Gymnasium-based tools.
 */
public record EpisodeStats(double[] returns, int[] lengths) {
    public EpisodeStats {
        if (returns.length != lengths.length) {
            throw new IllegalArgumentException("returns and lengths differ in count: " + returns.length + " vs " + lengths.length);
        }
        if (returns.length == 0) {
            throw new IllegalArgumentException("episode statistics need at least one episode");
        }
        returns = returns.clone();
        lengths = lengths.clone();
    }

    public int episodes() {
        return returns.length;
    }

    public double mean() {
        double sum = 0;
        for (double r : returns) {
            sum += r;
        }
        return sum / returns.length;
    }

    public double std() {
        double mean = mean();
        double sq = 0;
        for (double r : returns) {
            sq += (r - mean) * (r - mean);
        }
        return Math.sqrt(sq / returns.length);
    }

    public double min() {
        return Arrays.stream(returns).min().orElseThrow();
    }

    public double max() {
        return Arrays.stream(returns).max().orElseThrow();
    }

    public double meanLength() {
        long sum = 0;
        for (int l : lengths) {
            sum += l;
        }
        return (double) sum / lengths.length;
    }

    @Override
    public double[] returns() {
        return returns.clone();
    }

    @Override
    public int[] lengths() {
        return lengths.clone();
    }
}
