package dev.deepq.random;

/**
 * Standard normal draws by the Box–Muller transform: each pair of uniforms from the generator gives two independent
 * N(0, 1) numbers. Stateless beyond the generator (no cached second value), so a generator's state alone resumes the
 * stream exactly. Not NumPy's ziggurat {@code standard_normal}: these numbers differ from NumPy's for the same seed.
 */
public final class Gaussian {
    private Gaussian() {}

    /** Fills {@code out[offset .. offset + n)} with N(0, 1) draws (an odd count discards the last pair's second). */
    public static void fill(Rng rng, float[] out, int offset, int n) {
        for (int i = 0; i < n; i += 2) {
            // 1 - U is in (0, 1], so the logarithm is finite.
            double radius = Math.sqrt(-2.0 * Math.log(1.0 - rng.random()));
            double angle = 2.0 * Math.PI * rng.random();
            out[offset + i] = (float) (radius * Math.cos(angle));
            if (i + 1 < n) {
                out[offset + i + 1] = (float) (radius * Math.sin(angle));
            }
        }
    }

    /** One N(0, 1) draw (uses two uniforms). */
    public static double next(Rng rng) {
        double radius = Math.sqrt(-2.0 * Math.log(1.0 - rng.random()));
        return radius * Math.cos(2.0 * Math.PI * rng.random());
    }
}
