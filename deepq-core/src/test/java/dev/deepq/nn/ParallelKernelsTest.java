package dev.deepq.nn;

import static dev.deepq.nn.NnTesting.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.deepq.random.Rng;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels on 2, 3 and 4 threads give bit-identical results to one thread, for every matrix product and
 * shapes whose rows do not divide evenly (m not a multiple of the 4-row block or of the thread count, column tails
 * beyond the last 16-column panel), with and without accumulation, bias and each fused activation. The kernels here
 * split every product of at least 1 multiply-add, so small shapes exercise the split too; a counter shows that they
 * did.
 */
class ParallelKernelsTest {
    private static final int[] M = {16, 17, 24, 30, 33, 48, 67, 100, 257};
    private static final int[] N = {16, 17, 40, 64, 100};
    private static final int[] K = {1, 5, 64, 130};

    private static final Kernels ONE = Kernels.vector();

    @Test
    void everyProductIsBitIdenticalOnTwoThreeAndFourThreads() {
        for (int threads = 2; threads <= 4; threads++) {
            VectorKernels many = new VectorKernels(threads, 1);
            Rng rng = Rng.seeded(threads);
            for (int m : M) {
                for (int n : N) {
                    for (int k : K) {
                        compareAll(many, rng, m, n, k);
                    }
                }
            }
            assertThat(many.parallelProducts()).as("products split over %d threads", threads).isGreaterThan(300);
        }
    }

    private static void compareAll(Kernels many, Rng rng, int m, int n, int k) {
        int pad = 3;
        float[] a = random(rng, (m + pad) * (k + pad) + 8);
        float[] b = random(rng, (n + pad) * (k + pad) + 8);
        float[] c0 = random(rng, m * (n + pad) + 8);
        float[] bias = random(rng, m + 2);
        String shape = "m=" + m + " n=" + n + " k=" + k + " on " + many.name();
        for (boolean acc : new boolean[] {false, true}) {
            same("matmul " + shape, c0, c -> ONE.matmul(a, 1, k + pad, b, 2, n + pad, c, 3, n + pad, m, n, k, acc),
                    c -> many.matmul(a, 1, k + pad, b, 2, n + pad, c, 3, n + pad, m, n, k, acc));
            same("matmulTransA " + shape, c0,
                    c -> ONE.matmulTransA(a, 1, m + pad, b, 2, n + pad, c, 3, n + pad, m, n, k, acc),
                    c -> many.matmulTransA(a, 1, m + pad, b, 2, n + pad, c, 3, n + pad, m, n, k, acc));
            same("matmulTransB " + shape, c0,
                    c -> ONE.matmulTransB(a, 1, k + pad, b, 2, k + pad, c, 3, n + pad, m, n, k, acc),
                    c -> many.matmulTransB(a, 1, k + pad, b, 2, k + pad, c, 3, n + pad, m, n, k, acc));
        }
        for (Activation act : new Activation[] {Activation.IDENTITY, Activation.RELU, Activation.TANH}) {
            same("linearForward " + act + " " + shape, c0,
                    c -> ONE.linearForward(a, 1, b, 2, bias, 1, c, 3, m, n, k, act),
                    c -> many.linearForward(a, 1, b, 2, bias, 1, c, 3, m, n, k, act));
        }
    }

    private interface Product {
        void into(float[] c);
    }

    private static void same(String what, float[] c0, Product one, Product many) {
        float[] expected = c0.clone();
        one.into(expected);
        float[] actual = c0.clone();
        many.into(actual);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
                fail(what + ": element " + i + " is " + actual[i] + " on several threads, " + expected[i] + " on one");
            }
        }
    }

    @Test
    void adamIsBitIdenticalOnSeveralThreads() {
        Rng rng = Rng.seeded(12);
        int n = 100_003;
        float[] param = random(rng, n + 5);
        float[] grad = random(rng, n + 5);
        float[] m = random(rng, n + 5);
        float[] v = random(rng, n + 5);
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.abs(v[i]);
        }
        float[][] expected = {param.clone(), m.clone(), v.clone()};
        ONE.adamUpdate(expected[0], grad, expected[1], expected[2], 3, n, 0.9f, 0.1f, 0.999f, 0.001f, 1e-3f, 0.3f,
                1e-8f, 0.01f);
        for (int threads = 2; threads <= 3; threads++) {
            float[][] actual = {param.clone(), m.clone(), v.clone()};
            Kernels.parallel(threads).adamUpdate(actual[0], grad, actual[1], actual[2], 3, n, 0.9f, 0.1f, 0.999f,
                    0.001f, 1e-3f, 0.3f, 1e-8f, 0.01f);
            for (int a = 0; a < 3; a++) {
                if (!java.util.Arrays.equals(actual[a], expected[a])) {
                    fail("Adam on " + threads + " threads differs from one thread in array " + a);
                }
            }
        }
    }

    /** Two threads sharing one parallel instance: one of them gets the helpers, the other computes alone. */
    @Test
    void concurrentCallersGetCorrectResults() throws Exception {
        Kernels shared = Kernels.parallel(2);
        int m = 256;
        int n = 128;
        int k = 256;
        Rng rng = Rng.seeded(9);
        float[] w = random(rng, m * k);
        float[] x = random(rng, k * n);
        float[] bias = random(rng, m);
        float[] expected = new float[m * n];
        ONE.linearForward(w, 0, x, 0, bias, 0, expected, 0, m, n, k, Activation.RELU);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?>[] runs = new Future<?>[2];
            for (int t = 0; t < 2; t++) {
                runs[t] = pool.submit(() -> {
                    float[] y = new float[m * n];
                    for (int r = 0; r < 200; r++) {
                        shared.linearForward(w, 0, x, 0, bias, 0, y, 0, m, n, k, Activation.RELU);
                        if (!java.util.Arrays.equals(y, expected)) {
                            fail("a product computed while another thread used the kernels differs");
                        }
                    }
                    return null;
                });
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void forEachRunsEveryIndexOnceSpreadOverTheThreadsAndProductsInsideRunAlone() {
        for (int threads = 1; threads <= 3; threads++) {
            VectorKernels many = new VectorKernels(threads, 1);
            for (int count : new int[] {0, 1, 2, 5, 10}) {
                int[] runs = new int[count];
                Thread[] ranOn = new Thread[count];
                float[][] products = new float[count][16 * 16];
                float[] a = random(Rng.seeded(count), 16 * 16);
                long splitBefore = many.parallelProducts();
                many.forEach(count, i -> {
                    runs[i]++;
                    ranOn[i] = Thread.currentThread();
                    many.matmul(a, 0, 16, a, 0, 16, products[i], 0, 16, 16, 16, 16, false);
                });
                assertThat(runs).containsOnly(count == 0 ? new int[0] : new int[] {1});
                assertThat(many.parallelProducts()).as("products inside forEach run alone").isEqualTo(splitBefore);
                float[] expected = new float[16 * 16];
                Kernels.vector().matmul(a, 0, 16, a, 0, 16, expected, 0, 16, 16, 16, 16, false);
                for (int i = 0; i < count; i++) {
                    assertThat(products[i]).isEqualTo(expected);
                    // Index i runs on thread i mod threads: the caller takes 0, threads, 2 threads, ...
                    assertThat(ranOn[i] == Thread.currentThread()).isEqualTo(i % Math.min(threads, count) == 0);
                }
            }
            assertThatThrownBy(() -> many.forEach(4, i -> {
                if (i == 3) {
                    throw new IllegalStateException("task 3 failed");
                }
            })).hasMessageContaining("task 3 failed");
            // The workers are free again after a failure.
            float[] out = new float[4];
            many.forEach(4, i -> out[i] = i);
            assertThat(out).containsExactly(0, 1, 2, 3);
        }
    }

    @Test
    void factoryAndPropertyChooseTheThreadCount() {
        assertThat(Kernels.parallel(1)).isSameAs(Kernels.vector());
        assertThat(Kernels.parallel(2)).isSameAs(Kernels.parallel(2));
        assertThat(Kernels.parallel(2).threads()).isEqualTo(2);
        assertThat(Kernels.parallel(3).name()).endsWith(", 3 threads)");
        assertThat(Kernels.vector().threads()).isEqualTo(1);
        assertThat(KernelSelection.select("vector", "2")).isSameAs(Kernels.parallel(2));
        assertThat(KernelSelection.select(null, " 3 ")).isSameAs(Kernels.parallel(3));
        assertThat(KernelSelection.select("scalar", "2")).isSameAs(Kernels.scalar());
        assertThat(KernelSelection.select("auto", null)).isSameAs(Kernels.vector());
        assertThatThrownBy(() -> KernelSelection.select("auto", "two"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deepq.threads=two")
                .hasMessageContaining("from 1 to 64");
        assertThatThrownBy(() -> Kernels.parallel(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
    }

    /** A network on two threads trains to the same bits as on one. */
    @Test
    void aNetworkTrainsToTheSameBitsOnTwoThreads() {
        float[][] params = new float[2][];
        for (int t = 1; t <= 2; t++) {
            Network net = Network.create(Mlp.builder(6).hidden(256, 256).output(3), 128, Kernels.parallel(t))
                    .initialize(Rng.seeded(4));
            Rng rng = Rng.seeded(5);
            float[] x = random(rng, 128 * 6);
            float[] dy = random(rng, 128 * 3);
            for (int step = 0; step < 5; step++) {
                net.forward(x, 128);
                net.zeroGradients();
                net.backward(dy);
                net.kernels().axpy(-0.01f, net.gradients(), 0, net.parameters(), 0, net.parameterCount());
            }
            params[t - 1] = net.parameters().clone();
        }
        assertThat(params[1]).containsExactly(params[0]);
    }
}
