package dev.deepq.nn;

import static dev.deepq.nn.NnTesting.random;
import static org.assertj.core.api.Assertions.fail;

import dev.deepq.random.Rng;
import org.junit.jupiter.api.Test;

/**
 * Pins down, bit for bit, what every blocked matrix product of the vector kernels computes for one output element:
 * start from 0, the current C or the bias, then one fused multiply-add per step p = 0, 1, ..., k − 1 in order, then
 * the activation. Blocking, packing and splitting work between threads may change freely as long as this holds;
 * it is what makes the results independent of the blocking and of the thread count. (The dot-product paths for a
 * batch of one and for thin weight gradients sum in another order and are not covered here.)
 */
class KernelFmaChainTest {
    private static final int[] M = {1, 2, 3, 4, 5, 7, 8, 13, 64, 67, 256};
    private static final int[] N = {2, 7, 8, 15, 16, 17, 31, 33, 48, 100};
    private static final int[] K = {1, 3, 4, 8, 16, 17, 64, 130};
    private static final int PAD = 3;

    private static final Kernels VECTOR = Kernels.vector();

    @Test
    void matmulIsOneFmaChainPerElement() {
        Rng rng = Rng.seeded(3);
        for (int m : M) {
            for (int n : N) {
                for (int k : K) {
                    Operands o = new Operands(rng, m, n, k, k + PAD, n + PAD);
                    for (boolean acc : new boolean[] {false, true}) {
                        float[] c = o.c0.clone();
                        VECTOR.matmul(o.a, o.aOff, k + PAD, o.b, o.bOff, n + PAD, c, o.cOff, o.ldc, m, n, k, acc);
                        float[] expected = o.c0.clone();
                        chain(o, expected, m, n, k, acc ? Init.LOAD : Init.ZERO, null, Activation.IDENTITY,
                                k + PAD, 1, n + PAD, 1);
                        compare("matmul", m, n, k, acc, c, expected);
                    }
                }
            }
        }
    }

    @Test
    void matmulTransAIsOneFmaChainPerElement() {
        Rng rng = Rng.seeded(4);
        for (int m : M) {
            for (int n : N) {
                for (int k : K) {
                    Operands o = new Operands(rng, m, n, k, m + PAD, n + PAD);
                    for (boolean acc : new boolean[] {false, true}) {
                        float[] c = o.c0.clone();
                        VECTOR.matmulTransA(o.a, o.aOff, m + PAD, o.b, o.bOff, n + PAD, c, o.cOff, o.ldc, m, n, k,
                                acc);
                        float[] expected = o.c0.clone();
                        chain(o, expected, m, n, k, acc ? Init.LOAD : Init.ZERO, null, Activation.IDENTITY,
                                1, m + PAD, n + PAD, 1);
                        compare("matmulTransA", m, n, k, acc, c, expected);
                    }
                }
            }
        }
    }

    /** The weight-gradient shapes (A·Bᵀ with at least 4 rows and 2 vectors of columns) take the blocked path. */
    @Test
    void wideMatmulTransBIsOneFmaChainPerElement() {
        Rng rng = Rng.seeded(5);
        for (int m : M) {
            for (int n : N) {
                if (m < 4 || n < 16) {
                    continue;
                }
                for (int k : K) {
                    Operands o = new Operands(rng, m, n, k, k + PAD, k + PAD);
                    for (boolean acc : new boolean[] {false, true}) {
                        float[] c = o.c0.clone();
                        VECTOR.matmulTransB(o.a, o.aOff, k + PAD, o.b, o.bOff, k + PAD, c, o.cOff, o.ldc, m, n, k,
                                acc);
                        float[] expected = o.c0.clone();
                        chain(o, expected, m, n, k, acc ? Init.LOAD : Init.ZERO, null, Activation.IDENTITY,
                                k + PAD, 1, 1, k + PAD);
                        compare("matmulTransB", m, n, k, acc, c, expected);
                    }
                }
            }
        }
    }

    @Test
    void linearForwardIsOneFmaChainPerElement() {
        Rng rng = Rng.seeded(6);
        for (int m : M) {
            for (int n : N) {
                for (int k : K) {
                    // linearForward takes compact operands: W m×k, X k×n, Y m×n.
                    Operands o = new Operands(rng, m, n, k, k, n, n);
                    float[] bias = random(rng, m + 2);
                    for (Activation act : new Activation[] {Activation.IDENTITY, Activation.RELU, Activation.TANH}) {
                        for (boolean withBias : new boolean[] {false, true}) {
                            float[] c = o.c0.clone();
                            VECTOR.linearForward(o.a, o.aOff, o.b, o.bOff, withBias ? bias : null, 2, c, o.cOff, m, n,
                                    k, act);
                            float[] expected = o.c0.clone();
                            chain(o, expected, m, n, k, withBias ? Init.BIAS : Init.ZERO, bias, act, k, 1, n, 1);
                            compare("linearForward " + act + (withBias ? " bias" : ""), m, n, k, false, c, expected);
                        }
                    }
                }
            }
        }
    }

    private enum Init { ZERO, LOAD, BIAS }

    /** Operands at offsets, C with leading dimension ldc (default n + PAD). */
    private static final class Operands {
        final int aOff = 5;
        final int bOff = 2;
        final int cOff = 7;
        final int ldc;
        final float[] a;
        final float[] b;
        final float[] c0;

        Operands(Rng rng, int m, int n, int k, int lda, int ldb) {
            this(rng, m, n, k, lda, ldb, n + PAD);
        }

        Operands(Rng rng, int m, int n, int k, int lda, int ldb, int ldc) {
            this.ldc = ldc;
            int span = Math.max(m, k) * Math.max(lda, 1) + Math.max(m, k) + PAD;
            a = random(rng, aOff + span);
            b = random(rng, bOff + Math.max(k, n) * ldb + Math.max(k, n) + PAD);
            c0 = random(rng, cOff + m * ldc);
        }
    }

    /**
     * The reference: C(i, j) = act(fma(A(i, k−1), B(k−1, j), ... fma(A(i, 0), B(0, j), start))) with A(i, p) =
     * a[aOff + i·ars + p·acs] and B(p, j) = b[bOff + p·brs + j·bcs].
     */
    private static void chain(Operands o, float[] c, int m, int n, int k, Init init, float[] bias, Activation act,
                              int ars, int acs, int brs, int bcs) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = o.cOff + i * o.ldc + j;
                float s = switch (init) {
                    case ZERO -> 0f;
                    case LOAD -> c[ci];
                    case BIAS -> bias[2 + i];
                };
                for (int p = 0; p < k; p++) {
                    s = Math.fma(o.a[o.aOff + i * ars + p * acs], o.b[o.bOff + p * brs + j * bcs], s);
                }
                c[ci] = switch (act) {
                    case RELU -> Math.max(s, 0f);
                    case TANH -> (float) StrictMath.tanh(s);
                    default -> s;
                };
            }
        }
    }

    private static void compare(String what, int m, int n, int k, boolean acc, float[] actual, float[] expected) {
        for (int i = 0; i < actual.length; i++) {
            if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
                fail(what + " m=" + m + " n=" + n + " k=" + k + (acc ? " accumulate" : "") + ": element " + i
                        + " is " + actual[i] + ", the fma chain gives " + expected[i]);
            }
        }
    }
}
