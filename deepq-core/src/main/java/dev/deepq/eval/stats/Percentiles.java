package dev.deepq.eval.stats;

/**
 * NumPy's default percentile ({@code np.percentile(a, q)}, method "linear", Hyndman and Fan's type 7), the one
 * {@code arch}'s percentile bootstrap interval (and so rliable) uses.
 */
public final class Percentiles {
    private Percentiles() {}

    /**
     * The {@code q}-th percentile (0..100) of {@code sorted[0..n)}, which must be sorted ascending: with
     * {@code h = (n - 1) * q / 100}, {@code lo = floor(h)} and {@code g = h - lo}, it interpolates between
     * {@code sorted[lo]} and {@code sorted[lo + 1]} exactly as NumPy 1.24's {@code _lerp} does
     * ({@code a + (b - a) g} when {@code g < 0.5}, else {@code b - (b - a)(1 - g)}), so results agree bit for bit.
     */
    public static double ofSorted(double[] sorted, int n, double q) {
        if (n <= 0 || n > sorted.length) {
            throw new IllegalArgumentException("percentile of " + n + " values (array holds " + sorted.length + ")");
        }
        if (!(q >= 0 && q <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + q);
        }
        double quantile = q / 100;
        double virtualIndex = (n - 1) * quantile;
        double floor = Math.floor(virtualIndex);
        int lo = (int) floor;
        if (lo >= n - 1) {
            return sorted[n - 1];
        }
        double gamma = virtualIndex - floor;
        double a = sorted[lo];
        double b = sorted[lo + 1];
        double diff = b - a;
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }
}
