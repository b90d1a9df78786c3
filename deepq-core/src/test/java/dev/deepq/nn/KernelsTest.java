package dev.deepq.nn;

import static dev.deepq.nn.NnTesting.bothKernels;
import static dev.deepq.nn.NnTesting.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.deepq.random.Rng;
import org.junit.jupiter.api.Test;

/**
 * Both kernel implementations against double-precision references, on shapes that hit every code path: odd sizes
 * (1, 3, 17, 63, 65, 129) around the vector width, offsets, and leading dimensions larger than the row length.
 */
class KernelsTest {
    private static final int[] SIZES = {1, 3, 17, 63, 65, 129};
    private static final int PAD = 3;

    private enum Product { AB, ATB, ABT }

    @Test
    void selectionHonoursThePropertyAndRejectsUnknownValues() {
        assertThat(KernelSelection.select("scalar")).isSameAs(Kernels.scalar());
        assertThat(KernelSelection.select(" Vector ")).isSameAs(Kernels.vector());
        assertThat(KernelSelection.select(null)).isSameAs(Kernels.vector());
        assertThat(KernelSelection.select("auto")).isSameAs(Kernels.vector());
        assertThat(Kernels.vector().name()).startsWith("vector (");
        assertThat(Kernels.scalar().name()).isEqualTo("scalar");
        assertThatThrownBy(() -> KernelSelection.select("fast"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deepq.kernels=fast")
                .hasMessageContaining("auto, vector or scalar");
    }

    @Test
    void selfTestAcceptsTheVectorKernelsAndCatchesAWrongOne() {
        assertThat(KernelSelfTest.compare(Kernels.vector(), Kernels.scalar())).isNull();
        Kernels broken = new ScalarKernels() {
            @Override
            public void matmulTransB(float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                     float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
                super.matmulTransB(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, n, k - 1, accumulate);
            }
        };
        assertThat(KernelSelfTest.compare(broken, Kernels.scalar())).contains("matmulTransB");
    }

    @Test
    void matrixProductsMatchADoublePrecisionReference() {
        Rng rng = Rng.seeded(11);
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : SIZES) {
                    for (Product product : Product.values()) {
                        checkProduct(rng, product, m, n, k);
                    }
                }
            }
        }
    }

    private static void checkProduct(Rng rng, Product product, int m, int n, int k) {
        // Stored shapes: A is m×k (k×m for Aᵀ·B), B is k×n (n×k for A·Bᵀ); each row padded, data after an offset.
        int aRows = product == Product.ATB ? k : m;
        int aCols = product == Product.ATB ? m : k;
        int bRows = product == Product.ABT ? n : k;
        int bCols = product == Product.ABT ? k : n;
        int lda = aCols + PAD;
        int ldb = bCols + PAD;
        int ldc = n + PAD;
        int aOff = 5;
        int bOff = 2;
        int cOff = 7;
        float[] a = random(rng, aOff + aRows * lda);
        float[] b = random(rng, bOff + bRows * ldb);
        float[] c0 = random(rng, cOff + m * ldc);
        for (boolean accumulate : new boolean[] {false, true}) {
            double[] expected = new double[m * n];
            double[] magnitude = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = accumulate ? c0[cOff + i * ldc + j] : 0;
                    double mag = Math.abs(s);
                    for (int p = 0; p < k; p++) {
                        double x = product == Product.ATB ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        double y = product == Product.ABT ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                        s += x * y;
                        mag += Math.abs(x * y);
                    }
                    expected[i * n + j] = s;
                    magnitude[i * n + j] = mag;
                }
            }
            for (Kernels kernels : bothKernels()) {
                float[] c = c0.clone();
                switch (product) {
                    case AB -> kernels.matmul(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, n, k, accumulate);
                    case ATB -> kernels.matmulTransA(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, n, k, accumulate);
                    case ABT -> kernels.matmulTransB(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, n, k, accumulate);
                }
                String what = kernels.name() + " " + product + " m=" + m + " n=" + n + " k=" + k + " accumulate="
                        + accumulate;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double e = expected[i * n + j];
                        double got = c[cOff + i * ldc + j];
                        if (!(Math.abs(got - e) <= 1e-5 * magnitude[i * n + j] + 1e-7)) {
                            fail(what + ": C[" + i + "," + j + "] = " + got + ", expected " + e);
                        }
                    }
                    // The padding between rows must be untouched.
                    for (int j = n; j < ldc && i < m - 1; j++) {
                        assertThat(c[cOff + i * ldc + j]).as(what + " padding").isEqualTo(c0[cOff + i * ldc + j]);
                    }
                }
                for (int i = 0; i < cOff; i++) {
                    assertThat(c[i]).as(what + " before the offset").isEqualTo(c0[i]);
                }
            }
        }
    }

    @Test
    void linearForwardFusesBiasAndActivation() {
        Rng rng = Rng.seeded(12);
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : new int[] {1, 4, 17, 64, 65}) {
                    float[] w = random(rng, 3 + m * k);
                    float[] x = random(rng, 1 + k * n);
                    float[] bias = random(rng, 2 + m);
                    for (Activation act : new Activation[] {Activation.IDENTITY, Activation.RELU, Activation.TANH}) {
                        for (boolean withBias : new boolean[] {true, false}) {
                            double[] expected = new double[m * n];
                            for (int i = 0; i < m; i++) {
                                for (int j = 0; j < n; j++) {
                                    double s = withBias ? bias[2 + i] : 0;
                                    for (int p = 0; p < k; p++) {
                                        s += (double) w[3 + i * k + p] * x[1 + p * n + j];
                                    }
                                    expected[i * n + j] = switch (act) {
                                        case RELU -> Math.max(s, 0);
                                        case TANH -> Math.tanh(s);
                                        default -> s;
                                    };
                                }
                            }
                            for (Kernels kernels : bothKernels()) {
                                float[] y = new float[4 + m * n];
                                kernels.linearForward(w, 3, x, 1, withBias ? bias : null, 2, y, 4, m, n, k, act);
                                float[] got = java.util.Arrays.copyOfRange(y, 4, 4 + m * n);
                                NnTesting.assertClose(kernels.name() + " linearForward " + act + " bias=" + withBias
                                        + " m=" + m + " n=" + n + " k=" + k, got, expected, 1e-5, 2e-6 * k);
                                assertThat(y[0] + y[1] + y[2] + y[3]).isZero();
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void biasActivationAndActivationBackward() {
        Rng rng = Rng.seeded(13);
        for (int rows : SIZES) {
            for (int cols : SIZES) {
                int ld = cols + PAD;
                float[] x0 = random(rng, 1 + rows * ld);
                float[] bias = random(rng, rows);
                float[] dy = random(rng, rows * cols);
                for (Activation act : new Activation[] {Activation.IDENTITY, Activation.RELU, Activation.TANH}) {
                    for (Kernels kernels : bothKernels()) {
                        String what = kernels.name() + " " + act + " " + rows + "x" + cols;
                        float[] x = x0.clone();
                        kernels.addBiasActivation(x, 1, ld, rows, cols, bias, 0, act);
                        for (int r = 0; r < rows; r++) {
                            for (int c = 0; c < ld; c++) {
                                int i = 1 + r * ld + c;
                                if (c >= cols) {
                                    assertThat(x[i]).as(what + " padding").isEqualTo(x0[i]);
                                    continue;
                                }
                                double s = (double) x0[i] + bias[r];
                                double e = act == Activation.RELU ? Math.max(s, 0)
                                        : act == Activation.TANH ? Math.tanh(s) : s;
                                assertThat((double) x[i]).as(what).isCloseTo(e, org.assertj.core.data.Offset.offset(
                                        1e-6 * (1 + Math.abs(e))));
                            }
                        }
                        int n = rows * cols;
                        float[] y = new float[n];
                        kernels.activation(act, x0, 0, y, 0, n);
                        float[] dx = new float[n];
                        kernels.activationBackward(act, y, 0, dy, 0, dx, 0, n);
                        for (int i = 0; i < n; i++) {
                            double e = act == Activation.RELU ? Math.max(x0[i], 0)
                                    : act == Activation.TANH ? Math.tanh(x0[i]) : x0[i];
                            assertThat((double) y[i]).as(what + " activation").isCloseTo(e,
                                    org.assertj.core.data.Offset.offset(1e-6));
                            double slope = act == Activation.RELU ? (y[i] > 0 ? 1 : 0)
                                    : act == Activation.TANH ? 1 - (double) y[i] * y[i] : 1;
                            assertThat((double) dx[i]).as(what + " backward").isCloseTo(dy[i] * slope,
                                    org.assertj.core.data.Offset.offset(1e-6));
                        }
                    }
                }
            }
        }
    }

    @Test
    void reductionsMaxAndArgmax() {
        Rng rng = Rng.seeded(14);
        for (int rows : SIZES) {
            for (int cols : SIZES) {
                int ld = cols + PAD;
                float[] x = random(rng, 2 + rows * ld);
                double[] rowSum = new double[rows];
                double[] colSum = new double[cols];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        rowSum[r] += x[2 + r * ld + c];
                        colSum[c] += x[2 + r * ld + c];
                    }
                }
                for (Kernels kernels : bothKernels()) {
                    String what = kernels.name() + " " + rows + "x" + cols;
                    float[] out = new float[1 + Math.max(rows, cols)];
                    kernels.rowSums(x, 2, ld, rows, cols, out, 1, false);
                    NnTesting.assertClose(what + " rowSums", java.util.Arrays.copyOfRange(out, 1, 1 + rows),
                            rowSum, 1e-5, 1e-5 * cols);
                    kernels.rowSums(x, 2, ld, rows, cols, out, 1, true);
                    for (int r = 0; r < rows; r++) {
                        assertThat((double) out[1 + r]).isCloseTo(2 * rowSum[r],
                                org.assertj.core.data.Offset.offset(2e-5 * cols));
                    }
                    java.util.Arrays.fill(out, 0f);
                    kernels.columnSums(x, 2, ld, rows, cols, out, 1, false);
                    NnTesting.assertClose(what + " columnSums", java.util.Arrays.copyOfRange(out, 1, 1 + cols),
                            colSum, 1e-5, 1e-5 * rows);
                    kernels.columnSums(x, 2, ld, rows, cols, out, 1, true);
                    for (int c = 0; c < cols; c++) {
                        assertThat((double) out[1 + c]).isCloseTo(2 * colSum[c],
                                org.assertj.core.data.Offset.offset(2e-5 * rows));
                    }
                    float[] max = new float[rows];
                    int[] arg = new int[rows];
                    kernels.rowMax(x, 2, ld, rows, cols, max, 0);
                    kernels.rowArgmax(x, 2, ld, rows, cols, arg, 0);
                    for (int r = 0; r < rows; r++) {
                        int best = 0;
                        for (int c = 1; c < cols; c++) {
                            if (x[2 + r * ld + c] > x[2 + r * ld + best]) {
                                best = c;
                            }
                        }
                        assertThat(arg[r]).as(what + " argmax").isEqualTo(best);
                        assertThat(max[r]).as(what + " max").isEqualTo(x[2 + r * ld + best]);
                    }
                }
            }
        }
    }

    @Test
    void argmaxTakesTheFirstOfTiesAndTreatsNanAsLargest() {
        float[] q = {1f, 3f, 3f, 2f, Float.NaN, 5f, -1f, -1f};
        for (Kernels kernels : bothKernels()) {
            int[] arg = new int[2];
            float[] max = new float[2];
            kernels.rowArgmax(q, 0, 4, 2, 4, arg, 0);
            kernels.rowMax(q, 0, 4, 2, 4, max, 0);
            assertThat(arg).containsExactly(1, 0);
            assertThat(max[0]).isEqualTo(3f);
            assertThat(max[1]).isNaN();
        }
    }

    @Test
    void transposeAndElementwiseOperations() {
        Rng rng = Rng.seeded(15);
        for (int n : SIZES) {
            for (int rows : new int[] {1, 3, 17}) {
                float[] src = random(rng, 1 + rows * n);
                for (Kernels kernels : bothKernels()) {
                    float[] dst = new float[2 + rows * n];
                    kernels.transpose(src, 1, rows, n, dst, 2);
                    for (int r = 0; r < rows; r++) {
                        for (int c = 0; c < n; c++) {
                            assertThat(dst[2 + c * rows + r]).isEqualTo(src[1 + r * n + c]);
                        }
                    }
                }
            }
            float[] x = random(rng, n + 1);
            float[] y0 = random(rng, n + 2);
            for (Kernels kernels : bothKernels()) {
                String what = kernels.name() + " n=" + n;
                float[] y = y0.clone();
                kernels.axpy(0.37f, x, 1, y, 2, n);
                double dot = 0;
                double squares = 0;
                for (int i = 0; i < n; i++) {
                    assertThat((double) y[2 + i]).as(what + " axpy").isCloseTo(y0[2 + i] + 0.37 * x[1 + i],
                            org.assertj.core.data.Offset.offset(1e-6));
                    dot += (double) x[1 + i] * y0[2 + i];
                    squares += (double) x[1 + i] * x[1 + i];
                }
                assertThat(y[0]).isEqualTo(y0[0]);
                assertThat(y[1]).isEqualTo(y0[1]);
                y = y0.clone();
                kernels.axpby(0.25f, x, 1, 0.75f, y, 2, n);
                for (int i = 0; i < n; i++) {
                    assertThat(y[2 + i]).as(what + " axpby").isEqualTo(0.25f * x[1 + i] + 0.75f * y0[2 + i]);
                }
                y = y0.clone();
                kernels.scale(-1.5f, y, 2, n);
                for (int i = 0; i < n; i++) {
                    assertThat(y[2 + i]).as(what + " scale").isEqualTo(-1.5f * y0[2 + i]);
                }
                assertThat((double) kernels.dot(x, 1, y0, 2, n)).as(what + " dot")
                        .isCloseTo(dot, org.assertj.core.data.Offset.offset(1e-6 * n));
                assertThat((double) kernels.sumOfSquares(x, 1, n)).as(what + " sumOfSquares")
                        .isCloseTo(squares, org.assertj.core.data.Offset.offset(1e-6 * n));
            }
        }
    }

    @Test
    void adamUpdateIsBitIdenticalAcrossImplementationsAndMatchesTheFormula() {
        Rng rng = Rng.seeded(16);
        for (int n : SIZES) {
            float[] p0 = random(rng, n + 1);
            float[] g = random(rng, n + 1);
            float[] m0 = random(rng, n + 1);
            float[] v0 = random(rng, n + 1);
            for (int i = 0; i < v0.length; i++) {
                v0[i] *= v0[i];
            }
            float[][] results = new float[2][];
            int which = 0;
            for (Kernels kernels : bothKernels()) {
                float[] p = p0.clone();
                float[] m = m0.clone();
                float[] v = v0.clone();
                kernels.adamUpdate(p, g, m, v, 1, n, 0.9f, 0.1f, 0.999f, 0.001f, 0.02f, 0.05f, 1e-8f, 0.01f);
                assertThat(p[0]).isEqualTo(p0[0]);
                for (int i = 1; i <= n; i++) {
                    double gi = g[i] + 0.01 * p0[i];
                    double mi = 0.9 * m0[i] + 0.1 * gi;
                    double vi = 0.999 * v0[i] + 0.001 * gi * gi;
                    double pi = p0[i] - 0.02 * mi / (Math.sqrt(vi) / 0.05 + 1e-8);
                    assertThat((double) m[i]).isCloseTo(mi, org.assertj.core.data.Offset.offset(1e-6));
                    assertThat((double) v[i]).isCloseTo(vi, org.assertj.core.data.Offset.offset(1e-6));
                    assertThat((double) p[i]).isCloseTo(pi, org.assertj.core.data.Offset.offset(1e-5));
                }
                results[which++] = p;
            }
            assertThat(results[1]).as("vector Adam == scalar Adam, n=" + n).containsExactly(results[0]);
        }
    }
}
