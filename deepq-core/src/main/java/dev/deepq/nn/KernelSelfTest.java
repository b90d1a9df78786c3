package dev.deepq.nn;

/**
 * A start-up check that a fast kernel implementation computes what the scalar kernels compute, on small shapes
 * that reach every code path (vector blocks, vector remainders, scalar tails, matrix-vector products). It guards
 * against a future JDK whose incubating Vector API behaves differently: a mismatch or a linkage error makes
 * {@link KernelSelection} fall back to the scalar kernels instead of training on wrong numbers.
 */
final class KernelSelfTest {
    private static final float TOLERANCE = 1e-4f;

    private KernelSelfTest() {}

    /** Null if {@code candidate} agrees with {@code reference}, else a description of the first disagreement. */
    static String compare(Kernels candidate, Kernels reference) {
        int m = 6;
        int n = 37;
        int k = 19;
        float[] a = values(m * k, 1);
        float[] at = values(k * m, 2);
        float[] b = values(k * n, 3);
        float[] bt = values(n * k, 4);
        float[] bias = values(m, 5);
        for (int cols : new int[] {n, 1}) {
            for (boolean acc : new boolean[] {false, true}) {
                String p = check("matmul", cols, acc, (kk, c) -> kk.matmul(a, 0, k, b, 0, cols, c, 0, cols, m, cols, k, acc),
                        candidate, reference, m * cols);
                if (p != null) {
                    return p;
                }
                p = check("matmulTransA", cols, acc,
                        (kk, c) -> kk.matmulTransA(at, 0, m, b, 0, cols, c, 0, cols, m, cols, k, acc),
                        candidate, reference, m * cols);
                if (p != null) {
                    return p;
                }
                p = check("matmulTransB", cols, acc,
                        (kk, c) -> kk.matmulTransB(a, 0, k, bt, 0, k, c, 0, cols, m, cols, k, acc),
                        candidate, reference, m * cols);
                if (p != null) {
                    return p;
                }
            }
            for (Activation act : new Activation[] {Activation.IDENTITY, Activation.RELU, Activation.TANH}) {
                String p = check("linearForward " + act, cols, false,
                        (kk, c) -> kk.linearForward(a, 0, b, 0, bias, 0, c, 0, m, cols, k, act),
                        candidate, reference, m * cols);
                if (p != null) {
                    return p;
                }
                p = check("activationBackward " + act, cols, false,
                        (kk, c) -> kk.activationBackward(act, b, 0, bt, 0, c, 0, cols * 7), candidate, reference,
                        cols * 7);
                if (p != null) {
                    return p;
                }
            }
        }
        String p = packedProducts(candidate, reference);
        if (p == null) {
            p = check("rowSums", n, false, (kk, c) -> kk.rowSums(b, 0, n, k, n, c, 0, false),
                    candidate, reference, k);
        }
        if (p == null) {
            p = check("columnSums", n, false, (kk, c) -> kk.columnSums(b, 0, n, k, n, c, 0, false),
                    candidate, reference, n);
        }
        if (p == null) {
            p = check("axpby", n, true, (kk, c) -> kk.axpby(0.3f, b, 0, 0.7f, c, 0, n * k), candidate, reference,
                    n * k);
        }
        if (p == null) {
            p = check("adamUpdate", n, false, (kk, c) -> {
                float[] mm = values(n * k, 6);
                float[] vv = values(n * k, 7);
                for (int i = 0; i < vv.length; i++) {
                    vv[i] *= vv[i];
                }
                kk.adamUpdate(c, b, mm, vv, 0, n * k, 0.9f, 0.1f, 0.999f, 0.001f, 0.01f, 0.03f, 1e-8f, 0.01f);
            }, candidate, reference, n * k);
        }
        if (p == null) {
            float x = candidate.dot(a, 0, bt, 0, m * k);
            float y = reference.dot(a, 0, bt, 0, m * k);
            if (!close(x, y)) {
                p = "dot gives " + x + ", expected " + y;
            }
        }
        return p;
    }

    /** The three products and the fused forward pass on a shape large enough for the packed path. */
    private static String packedProducts(Kernels candidate, Kernels reference) {
        int m = 20;
        int n = 40;
        int k = 41;
        float[] a = values(m * k, 11);
        float[] b = values(k * n, 12);
        float[] bt = values(n * k, 13);
        float[] bias = values(m, 14);
        String p = check("packed matmul", n, true, (kk, c) -> kk.matmul(a, 0, k, b, 0, n, c, 0, n, m, n, k, true),
                candidate, reference, m * n);
        if (p == null) {
            p = check("packed matmulTransA", n, false,
                    (kk, c) -> kk.matmulTransA(a, 0, m, b, 0, n, c, 0, n, m, n, k, false), candidate, reference,
                    m * n);
        }
        if (p == null) {
            p = check("packed matmulTransB", n, true,
                    (kk, c) -> kk.matmulTransB(a, 0, k, bt, 0, k, c, 0, n, m, n, k, true), candidate, reference,
                    m * n);
        }
        if (p == null) {
            p = check("packed linearForward", n, false,
                    (kk, c) -> kk.linearForward(a, 0, b, 0, bias, 0, c, 0, m, n, k, Activation.RELU), candidate,
                    reference, m * n);
        }
        return p;
    }

    private interface Op {
        void run(Kernels kernels, float[] out);
    }

    private static String check(String what, int cols, boolean accumulate, Op op, Kernels candidate,
                                Kernels reference, int size) {
        float[] expected = values(size, 9);
        float[] actual = expected.clone();
        op.run(reference, expected);
        op.run(candidate, actual);
        for (int i = 0; i < size; i++) {
            if (!close(actual[i], expected[i])) {
                return "the vector kernels disagree with the scalar kernels in " + what + " (n=" + cols
                        + ", accumulate=" + accumulate + ") at element " + i + ": " + actual[i] + " vs "
                        + expected[i] + "; please report it with the output of 'java -version'";
            }
        }
        return null;
    }

    private static boolean close(float x, float y) {
        return Math.abs(x - y) <= TOLERANCE * (1f + Math.abs(y));
    }

    /** Deterministic values in (−1, 1) without a random generator. */
    private static float[] values(int n, int salt) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(0.7 * i + 1.3 * salt);
        }
        return v;
    }
}
