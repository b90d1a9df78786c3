package dev.deepq.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.deepq.nn.Kernels;
import dev.deepq.random.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The optimizers against straightforward double-precision transcriptions of PyTorch's update rules, over several
 * steps with changing gradients (bias corrections, first-step momentum buffers, state carried between steps).
 * {@code TorchFixtureTest} checks the same rules against PyTorch itself.
 */
class OptimizerTest {
    private static final int SIZE = 37;
    private static final int STEPS = 6;

    /** β^t as PyTorch's Python float power gives it: the correctly rounded value, checked against exact decimals. */
    @Test
    void adamPowersAreCorrectlyRounded() {
        java.math.MathContext exact = new java.math.MathContext(2000);
        for (double beta : new double[] {0.9, 0.99, 0.999, 0.9999, 0.8, 0.95, 0.5, 0.0}) {
            java.math.BigDecimal b = new java.math.BigDecimal(beta);
            java.math.BigDecimal power = java.math.BigDecimal.ONE;
            for (int t = 1; t <= 2000; t++) {
                power = power.multiply(b, exact);
                assertThat(Adam.power(beta, t)).as("%s^%d", beta, t).isEqualTo(power.doubleValue());
            }
            for (int t : new int[] {9_999, 123_457, 1_000_000}) {
                assertThat(Adam.power(beta, t)).as("%s^%d", beta, t)
                        .isEqualTo(b.pow(t, new java.math.MathContext(60)).doubleValue());
            }
        }
        assertThat(Adam.power(0.9, 0)).isEqualTo(1.0);
    }

    /** Not even before the JIT has compiled it (StrictMath.pow's Java port allocated three arrays per call). */
    @Test
    void adamStepAllocatesNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        float[] p = new float[64];
        float[] g = new float[64];
        java.util.Arrays.fill(g, 0.1f);
        Adam adam = new Adam(64, 1e-3, 0.9, 0.999, 1e-8, 0, false, Kernels.scalar());
        adam.step(p, g);
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int t = 0; t < 100; t++) {
            adam.step(p, g);
        }
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).isZero();
    }

    @Test
    void adamAndAdamWFollowPyTorch() {
        for (Kernels kernels : List.of(Kernels.scalar(), Kernels.vector())) {
            for (boolean decoupled : new boolean[] {false, true}) {
                for (double wd : new double[] {0, 0.05}) {
                    double lr = 3e-3;
                    double b1 = 0.8;
                    double b2 = 0.95;
                    double eps = 1e-6;
                    Adam adam = new Adam(SIZE, lr, b1, b2, eps, wd, decoupled, kernels);
                    Rng rng = Rng.seeded(5);
                    float[] p = values(rng, SIZE);
                    double[] rp = toDouble(p);
                    double[] m = new double[SIZE];
                    double[] v = new double[SIZE];
                    for (int t = 1; t <= STEPS; t++) {
                        float[] g = values(rng, SIZE);
                        adam.step(p, g);
                        for (int i = 0; i < SIZE; i++) {
                            if (decoupled) {
                                rp[i] *= 1 - lr * wd;
                            }
                            double gi = g[i] + (decoupled ? 0 : wd * rp[i]);
                            m[i] = b1 * m[i] + (1 - b1) * gi;
                            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                            double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                            rp[i] -= lr / (1 - Math.pow(b1, t)) * m[i] / denom;
                        }
                        assertClose("Adam " + kernels.name() + " decoupled=" + decoupled + " wd=" + wd + " step " + t,
                                p, rp);
                    }
                    assertThat(adam.steps()).isEqualTo(STEPS);
                    assertThat(adam.state()).containsOnlyKeys("exp_avg", "exp_avg_sq");
                    assertClose("exp_avg", adam.state().get("exp_avg"), m);
                    assertClose("exp_avg_sq", adam.state().get("exp_avg_sq"), v);
                }
            }
        }
    }

    @Test
    void adamStateRoundTripsThroughItsArrays() {
        Rng rng = Rng.seeded(6);
        float[] p = values(rng, SIZE);
        Adam a = Adam.adam(SIZE, 1e-2);
        for (int t = 0; t < 3; t++) {
            a.step(p, values(rng, SIZE));
        }
        Adam b = Adam.adam(SIZE, 1e-2);
        a.state().forEach((name, array) -> System.arraycopy(array, 0, b.state().get(name), 0, SIZE));
        b.setSteps(a.steps());
        float[] pa = p.clone();
        float[] pb = p.clone();
        float[] g = values(rng, SIZE);
        a.step(pa, g);
        b.step(pb, g);
        assertThat(pb).containsExactly(pa);
    }

    @Test
    void rmsPropFollowsPyTorch() {
        for (boolean centered : new boolean[] {false, true}) {
            for (double momentum : new double[] {0, 0.9}) {
                double lr = 1e-2;
                double alpha = 0.9;
                double eps = 1e-5;
                double wd = 0.01;
                RmsProp opt = new RmsProp(SIZE, lr, alpha, eps, wd, momentum, centered);
                Rng rng = Rng.seeded(7);
                float[] p = values(rng, SIZE);
                double[] rp = toDouble(p);
                double[] sq = new double[SIZE];
                double[] ga = new double[SIZE];
                double[] buf = new double[SIZE];
                for (int t = 1; t <= STEPS; t++) {
                    float[] g = values(rng, SIZE);
                    opt.step(p, g);
                    for (int i = 0; i < SIZE; i++) {
                        double gi = g[i] + wd * rp[i];
                        sq[i] = alpha * sq[i] + (1 - alpha) * gi * gi;
                        double avg;
                        if (centered) {
                            ga[i] = alpha * ga[i] + (1 - alpha) * gi;
                            avg = Math.sqrt(sq[i] - ga[i] * ga[i]) + eps;
                        } else {
                            avg = Math.sqrt(sq[i]) + eps;
                        }
                        if (momentum > 0) {
                            buf[i] = momentum * buf[i] + gi / avg;
                            rp[i] -= lr * buf[i];
                        } else {
                            rp[i] -= lr * gi / avg;
                        }
                    }
                    assertClose("RMSProp centered=" + centered + " momentum=" + momentum + " step " + t, p, rp);
                }
                assertThat(opt.state().keySet()).contains("square_avg");
                assertThat(opt.state().containsKey("grad_avg")).isEqualTo(centered);
                assertThat(opt.state().containsKey("momentum_buffer")).isEqualTo(momentum > 0);
            }
        }
    }

    @Test
    void sgdFollowsPyTorch() {
        double[][] configs = {{0, 0, 0, 0}, {0.9, 0, 0.01, 0}, {0.9, 0.3, 0, 0}, {0.9, 0, 0.01, 1}};
        for (double[] c : configs) {
            double momentum = c[0];
            double dampening = c[1];
            double wd = c[2];
            boolean nesterov = c[3] == 1;
            double lr = 0.05;
            Sgd opt = new Sgd(SIZE, lr, momentum, dampening, wd, nesterov);
            Rng rng = Rng.seeded(8);
            float[] p = values(rng, SIZE);
            double[] rp = toDouble(p);
            double[] buf = new double[SIZE];
            for (int t = 1; t <= STEPS; t++) {
                float[] g = values(rng, SIZE);
                opt.step(p, g);
                for (int i = 0; i < SIZE; i++) {
                    double d = g[i] + wd * rp[i];
                    if (momentum != 0) {
                        buf[i] = t == 1 ? d : momentum * buf[i] + (1 - dampening) * d;
                        d = nesterov ? d + momentum * buf[i] : buf[i];
                    }
                    rp[i] -= lr * d;
                }
                assertClose("SGD " + java.util.Arrays.toString(c) + " step " + t, p, rp);
            }
        }
        assertThatThrownBy(() -> new Sgd(SIZE, 0.1, 0, 0, 0, true)).hasMessageContaining("Nesterov");
    }

    @Test
    void clippingFollowsClipGradNorm() {
        for (Kernels kernels : List.of(Kernels.scalar(), Kernels.vector())) {
            float[] g = {3f, 4f, 0f, 12f};
            float norm = GradientClipping.clipGlobalNorm(kernels, g, 0, 4, 6.5);
            assertThat(norm).isEqualTo(13f);
            double coef = 6.5 / (13 + 1e-6);
            assertThat((double) g[0]).isCloseTo(3 * coef, within(1e-6));
            assertThat((double) g[3]).isCloseTo(12 * coef, within(1e-6));
            float[] small = {0.3f, 0.4f};
            assertThat(GradientClipping.clipGlobalNorm(kernels, small, 0, 2, 10)).isCloseTo(0.5f, within(1e-7f));
            assertThat(small).containsExactly(0.3f, 0.4f);
            float[] offset = {100f, 3f, 4f, 100f};
            assertThat(GradientClipping.clipGlobalNorm(kernels, offset, 1, 2, 1)).isCloseTo(5f, within(1e-6f));
            assertThat(offset[0]).isEqualTo(100f);
            assertThat(offset[3]).isEqualTo(100f);
            assertThat((double) offset[1]).isCloseTo(0.6, within(1e-6));
        }
        assertThatThrownBy(() -> GradientClipping.clipGlobalNorm(new float[1], 0)).hasMessageContaining("positive");
    }

    @Test
    void mismatchedSizesAreRejected() {
        Adam adam = Adam.adam(10, 1e-3);
        assertThatThrownBy(() -> adam.step(new float[5], new float[10]))
                .hasMessageContaining("made for 10 parameters");
    }

    private static float[] values(Rng rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.uniform(-1, 1);
        }
        return x;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    private static void assertClose(String what, float[] actual, double[] expected) {
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as(what + " element " + i)
                    .isCloseTo(expected[i], within(2e-6 + 2e-6 * Math.abs(expected[i])));
        }
    }
}
