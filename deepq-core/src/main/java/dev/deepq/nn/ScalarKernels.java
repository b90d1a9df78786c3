package dev.deepq.nn;

/**
 * The portable kernels: plain loops, no intrinsics. The reference the vector kernels are tested against, and the
 * fallback when the Vector API is unavailable. {@link VectorKernels} extends this class and inherits the operations
 * that do not gain from vectors (argmax over a few actions, transposes).
 */
class ScalarKernels implements Kernels {
    static final ScalarKernels INSTANCE = new ScalarKernels();

    ScalarKernels() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void matmul(float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        gemm(a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc, m, n, k, accumulate);
    }

    @Override
    public void matmulTransA(float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        gemm(a, aOff, 1, lda, b, bOff, ldb, c, cOff, ldc, m, n, k, accumulate);
    }

    /** C (+)= A·B where A(i, p) = a[aOff + i·ars + p·acs]; the inner loop runs along rows of B and C. */
    static void gemm(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) {
                for (int j = 0; j < n; j++) {
                    c[ci + j] = 0f;
                }
            }
            int ai = aOff + i * ars;
            for (int p = 0; p < k; p++) {
                float aip = a[ai + p * acs];
                int bp = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aip * b[bp + j];
                }
            }
        }
    }

    @Override
    public void matmulTransB(float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                float sum = dotScalar(a, ai, b, bOff + j * ldb, k);
                c[ci + j] = accumulate ? c[ci + j] + sum : sum;
            }
        }
    }

    @Override
    public void linearForward(float[] w, int wOff, float[] x, int xOff, float[] bias, int biasOff,
                              float[] y, int yOff, int m, int n, int k, Activation act) {
        requireFusable(act);
        if (n == 1) {
            // One sample (acting): a dot product per row, accumulated in registers rather than through y.
            for (int i = 0; i < m; i++) {
                float b = bias == null ? 0f : bias[biasOff + i];
                y[yOff + i] = applyScalar(act, b + dotScalar(w, wOff + i * k, x, xOff, k));
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int yi = yOff + i * n;
            float b = bias == null ? 0f : bias[biasOff + i];
            for (int j = 0; j < n; j++) {
                y[yi + j] = b;
            }
            int wi = wOff + i * k;
            for (int p = 0; p < k; p++) {
                float wip = w[wi + p];
                int xp = xOff + p * n;
                for (int j = 0; j < n; j++) {
                    y[yi + j] += wip * x[xp + j];
                }
            }
            applyScalar(act, y, yi, y, yi, n);
        }
    }

    @Override
    public void addBiasActivation(float[] x, int xOff, int ld, int rows, int cols, float[] bias, int biasOff,
                                  Activation act) {
        requireFusable(act);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ld;
            if (bias != null) {
                float b = bias[biasOff + r];
                for (int c = 0; c < cols; c++) {
                    x[xr + c] += b;
                }
            }
            applyScalar(act, x, xr, x, xr, cols);
        }
    }

    @Override
    public void activation(Activation act, float[] x, int xOff, float[] y, int yOff, int n) {
        requireFusable(act);
        applyScalar(act, x, xOff, y, yOff, n);
    }

    static void applyScalar(Activation act, float[] x, int xOff, float[] y, int yOff, int n) {
        switch (act) {
            case IDENTITY -> {
                if (x != y || xOff != yOff) {
                    System.arraycopy(x, xOff, y, yOff, n);
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    y[yOff + i] = Math.max(x[xOff + i], 0f);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    y[yOff + i] = (float) StrictMath.tanh(x[xOff + i]);
                }
            }
            default -> throw new IllegalArgumentException(act + " is not a fusable activation");
        }
    }

    static float applyScalar(Activation act, float v) {
        return switch (act) {
            case IDENTITY -> v;
            case RELU -> Math.max(v, 0f);
            case TANH -> (float) StrictMath.tanh(v);
            default -> throw new IllegalArgumentException(act + " is not a fusable activation");
        };
    }

    @Override
    public void activationBackward(Activation act, float[] y, int yOff, float[] dy, int dyOff,
                                   float[] dx, int dxOff, int n) {
        switch (act) {
            case IDENTITY -> System.arraycopy(dy, dyOff, dx, dxOff, n);
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    float t = y[yOff + i];
                    dx[dxOff + i] = dy[dyOff + i] * (1f - t * t);
                }
            }
            default -> throw new IllegalArgumentException(act + " is not a fusable activation");
        }
    }

    @Override
    public void rowSums(float[] x, int xOff, int ld, int rows, int cols, float[] out, int outOff,
                        boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ld;
            float sum = 0f;
            for (int c = 0; c < cols; c++) {
                sum += x[xr + c];
            }
            out[outOff + r] = accumulate ? out[outOff + r] + sum : sum;
        }
    }

    @Override
    public void columnSums(float[] x, int xOff, int ld, int rows, int cols, float[] out, int outOff,
                           boolean accumulate) {
        if (!accumulate) {
            for (int c = 0; c < cols; c++) {
                out[outOff + c] = 0f;
            }
        }
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ld;
            for (int c = 0; c < cols; c++) {
                out[outOff + c] += x[xr + c];
            }
        }
    }

    @Override
    public void rowMax(float[] x, int xOff, int ld, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ld;
            float best = x[xr];
            for (int c = 1; c < cols; c++) {
                best = Math.max(best, x[xr + c]);
            }
            out[outOff + r] = best;
        }
    }

    @Override
    public void rowArgmax(float[] x, int xOff, int ld, int rows, int cols, int[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            out[outOff + r] = argmax(x, xOff + r * ld, cols);
        }
    }

    /** NumPy's argmax of n floats: the first largest element, or the first NaN if there is one. */
    static int argmax(float[] x, int off, int n) {
        int best = 0;
        float bestValue = x[off];
        if (bestValue != bestValue) {
            return 0;
        }
        for (int i = 1; i < n; i++) {
            float v = x[off + i];
            if (v != v) {
                return i;
            }
            if (v > bestValue) {
                bestValue = v;
                best = i;
            }
        }
        return best;
    }

    @Override
    public void transpose(float[] src, int srcOff, int rows, int cols, float[] dst, int dstOff) {
        if (rows == 1 || cols == 1) {
            System.arraycopy(src, srcOff, dst, dstOff, rows * cols);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int s = srcOff + r * cols;
            for (int c = 0; c < cols; c++) {
                dst[dstOff + c * rows + r] = src[s + c];
            }
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void axpby(float alpha, float[] x, int xOff, float beta, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = alpha * x[xOff + i] + beta * y[yOff + i];
        }
    }

    @Override
    public void scale(float alpha, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    @Override
    public float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        return dotScalar(x, xOff, y, yOff, n);
    }

    /** A dot product with four partial sums, so consecutive multiply-adds do not wait for each other. */
    static float dotScalar(float[] x, int xOff, float[] y, int yOff, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += x[xOff + i] * y[yOff + i];
            s1 += x[xOff + i + 1] * y[yOff + i + 1];
            s2 += x[xOff + i + 2] * y[yOff + i + 2];
            s3 += x[xOff + i + 3] * y[yOff + i + 3];
        }
        for (; i < n; i++) {
            s0 += x[xOff + i] * y[yOff + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float sumOfSquares(float[] x, int xOff, int n) {
        // Double accumulation: this feeds gradient-norm clipping, where a long float sum would drift.
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            sum += v * v;
        }
        return (float) sum;
    }

    @Override
    public void adamUpdate(float[] param, float[] grad, float[] m, float[] v, int off, int n,
                           float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                           float stepSize, float biasCorrection2Sqrt, float eps, float l2) {
        adamScalar(param, grad, m, v, off, off + n, beta1, oneMinusBeta1, beta2, oneMinusBeta2,
                stepSize, biasCorrection2Sqrt, eps, l2);
    }

    static void adamScalar(float[] param, float[] grad, float[] m, float[] v, int from, int to,
                           float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                           float stepSize, float biasCorrection2Sqrt, float eps, float l2) {
        for (int i = from; i < to; i++) {
            float p = param[i];
            float g = grad[i] + l2 * p;
            float mi = beta1 * m[i] + oneMinusBeta1 * g;
            float vi = beta2 * v[i] + oneMinusBeta2 * g * g;
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) / biasCorrection2Sqrt + eps;
            param[i] = p - stepSize * (mi / denom);
        }
    }

    static void requireFusable(Activation act) {
        if (!act.fusable()) {
            throw new IllegalArgumentException(act + " cannot be fused into a kernel; use its own layer");
        }
    }
}
