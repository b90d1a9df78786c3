package dev.deepq.nn;

import dev.deepq.random.Rng;

/**
 * Weight initializers on slices of flat arrays, each drawing only from the {@link Rng} it is given. They follow
 * PyTorch's definitions (same distributions, not the same numbers: PyTorch has its own generator).
 */
public final class Init {
    private Init() {}

    /** x[off .. off+n) = U(low, high), drawn in index order. */
    public static void uniform(float[] x, int off, int n, double low, double high, Rng rng) {
        for (int i = 0; i < n; i++) {
            x[off + i] = (float) rng.uniform(low, high);
        }
    }

    /** x[off .. off+n) = value. */
    public static void constant(float[] x, int off, int n, float value) {
        java.util.Arrays.fill(x, off, off + n, value);
    }

    /**
     * PyTorch's {@code nn.Linear.reset_parameters}: the rows×cols weight from kaiming_uniform_(a=√5), whose bound
     * gain·√(3/fan_in) with gain = √(2/(1+5)) is exactly 1/√cols, then the bias ({@code bias} may be null) from
     * U(−1/√cols, 1/√cols).
     */
    public static void pytorchLinear(float[] w, int wOff, int rows, int cols, float[] bias, int biasOff, Rng rng) {
        double bound = 1.0 / Math.sqrt(cols);
        uniform(w, wOff, rows * cols, -bound, bound, rng);
        if (bias != null) {
            uniform(bias, biasOff, rows, -bound, bound, rng);
        }
    }

    /**
     * {@code torch.nn.init.xavier_uniform_(weight, gain)} (Glorot and Bengio 2010): the rows×cols weight from
     * U(−a, a), a = gain·√(6 / (cols + rows)), fan_in = cols and fan_out = rows.
     */
    public static void xavierUniform(float[] w, int off, int rows, int cols, double gain, Rng rng) {
        double bound = gain * Math.sqrt(6.0 / (cols + rows));
        uniform(w, off, rows * cols, -bound, bound, rng);
    }

    /**
     * {@code torch.nn.init.orthogonal_}: a rows×cols matrix with orthonormal rows (rows ≤ cols) or columns
     * (rows ≥ cols), times {@code gain}. As in PyTorch: draw a standard normal rows×cols matrix, transpose it if it
     * is wide, take the Q of its QR decomposition with R's diagonal made positive, and transpose back.
     */
    public static void orthogonal(float[] w, int off, int rows, int cols, double gain, Rng rng) {
        int tall = Math.max(rows, cols);
        int narrow = Math.min(rows, cols);
        // q[c][r]: column c of the tall matrix, so Gram-Schmidt works on contiguous columns.
        double[][] q = new double[narrow][tall];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double g = standardNormal(rng);
                if (rows >= cols) {
                    q[c][r] = g;
                } else {
                    q[r][c] = g;
                }
            }
        }
        // Modified Gram-Schmidt, run twice per column for orthogonality to double precision; it yields the Q with
        // a positive R diagonal, which is what PyTorch's sign correction produces.
        for (int j = 0; j < narrow; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < j; i++) {
                    double d = 0;
                    for (int t = 0; t < tall; t++) {
                        d += q[i][t] * q[j][t];
                    }
                    for (int t = 0; t < tall; t++) {
                        q[j][t] -= d * q[i][t];
                    }
                }
            }
            double norm = 0;
            for (int t = 0; t < tall; t++) {
                norm += q[j][t] * q[j][t];
            }
            norm = Math.sqrt(norm);
            for (int t = 0; t < tall; t++) {
                q[j][t] /= norm;
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = rows >= cols ? q[c][r] : q[r][c];
                w[off + r * cols + c] = (float) (gain * v);
            }
        }
    }

    /**
     * Sparse initialization (Elsayed et al. 2024, {@code sparse_init} in their streaming-drl code): every weight
     * from U(−1/√cols, 1/√cols) (LeCun scale), then in each row ⌈sparsity·cols⌉ distinct weights, chosen
     * uniformly at random, set to zero.
     */
    public static void sparse(float[] w, int off, int rows, int cols, double sparsity, Rng rng) {
        if (!(sparsity >= 0 && sparsity <= 1)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1], got " + sparsity);
        }
        double bound = Math.sqrt(1.0 / cols);
        uniform(w, off, rows * cols, -bound, bound, rng);
        int zeros = (int) Math.ceil(sparsity * cols);
        int[] order = new int[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                order[c] = c;
            }
            // The first `zeros` entries of a Fisher-Yates shuffle are a uniform random subset.
            for (int c = 0; c < zeros; c++) {
                int pick = c + nextInt(rng, cols - c);
                int t = order[c];
                order[c] = order[pick];
                order[pick] = t;
                w[off + r * cols + order[c]] = 0f;
            }
        }
    }

    /** A standard normal draw (Marsaglia's polar method on {@link Rng#random()}). */
    public static double standardNormal(Rng rng) {
        double u;
        double v;
        double s;
        do {
            u = 2 * rng.random() - 1;
            v = 2 * rng.random() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * StrictMath.log(s) / s);
    }

    /** A uniform integer in [0, bound), unbiased (Lemire's multiply-and-reject on 64-bit draws). */
    public static int nextInt(Rng rng, int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long range = bound;
        long x = rng.nextLong();
        long hi = Math.unsignedMultiplyHigh(x, range);
        long lo = x * range;
        if (Long.compareUnsigned(lo, range) < 0) {
            long threshold = Long.remainderUnsigned(-range, range);
            while (Long.compareUnsigned(lo, threshold) < 0) {
                x = rng.nextLong();
                hi = Math.unsignedMultiplyHigh(x, range);
                lo = x * range;
            }
        }
        return (int) hi;
    }
}
