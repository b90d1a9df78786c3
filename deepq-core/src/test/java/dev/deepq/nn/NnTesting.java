package dev.deepq.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.deepq.random.Rng;
import java.util.List;

/** Shared helpers for the neural-core tests. */
public final class NnTesting {
    private NnTesting() {}

    /** Both kernel implementations; the vector one must be available under surefire (it passes --add-modules). */
    public static List<Kernels> bothKernels() {
        assertThat(Kernels.vectorAvailable())
                .as("the Vector API kernels must run in tests (surefire passes --add-modules jdk.incubator.vector)")
                .isTrue();
        return List.of(Kernels.scalar(), Kernels.vector());
    }

    /** n values uniform in [-1, 1). */
    public static float[] random(Rng rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.uniform(-1, 1);
        }
        return x;
    }

    /** Asserts |actual − expected| ≤ abs + rel·|expected| element-wise over n elements. */
    public static void assertClose(String what, float[] actual, float[] expected, int n, double rel, double abs) {
        for (int i = 0; i < n; i++) {
            double a = actual[i];
            double e = expected[i];
            if (!(Math.abs(a - e) <= abs + rel * Math.abs(e))) {
                fail(what + ": element " + i + " is " + a + ", expected " + e + " (|diff| " + Math.abs(a - e)
                        + ", tolerance " + (abs + rel * Math.abs(e)) + ")");
            }
        }
    }

    public static void assertClose(String what, float[] actual, double[] expected, double rel, double abs) {
        for (int i = 0; i < expected.length; i++) {
            double a = actual[i];
            double e = expected[i];
            if (!(Math.abs(a - e) <= abs + rel * Math.abs(e))) {
                fail(what + ": element " + i + " is " + a + ", expected " + e + " (|diff| " + Math.abs(a - e)
                        + ")");
            }
        }
    }
}
