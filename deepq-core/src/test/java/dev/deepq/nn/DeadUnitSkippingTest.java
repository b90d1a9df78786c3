package dev.deepq.nn;

import static dev.deepq.nn.NnTesting.random;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.random.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Linear layers with ReLU skip the units that are off for the whole batch in backward; the gradients must be the
 * same bits as the full products', for both kernel implementations, ordinary and input-only backward passes,
 * accumulated gradients, and every number of dead units (including too few live units to skip).
 */
class DeadUnitSkippingTest {
    private static final int IN = 8;
    private static final int HIDDEN1 = 96;
    private static final int HIDDEN2 = 80;
    private int skippedCases;
    private int denseCases;

    @Test
    void gradientsAreBitIdenticalToTheFullProducts() {
        for (Kernels kernels : NnTesting.bothKernels()) {
            for (int dead : new int[] {0, 3, 5, 30, 76, 77, 79, 80}) {
                for (int batch : new int[] {1, 37, 64}) {
                    compare(kernels, dead, batch);
                }
            }
        }
        assertThat(skippedCases).as("cases that skipped dead units").isGreaterThan(10);
        assertThat(denseCases).as("cases with too few dead (or live) units to skip").isGreaterThan(4);
    }

    private void compare(Kernels kernels, int dead, int batch) {
        Network dense = network(kernels, false, dead);
        Network skipping = network(kernels, true, dead);
        Linear second = (Linear) ((Sequential) skipping.root()).children().get(1);
        Rng rng = Rng.seeded(11 + dead + batch);
        float[] x = random(rng, batch * IN);
        float[] dy = random(rng, batch * dense.outputSize());
        float[] preset = random(rng, dense.parameterCount());
        String what = kernels.name() + ", " + dead + " dead units, batch " + batch;

        for (Network net : new Network[] {dense, skipping}) {
            net.forward(x, batch);
            System.arraycopy(preset, 0, net.gradients(), 0, preset.length); // gradients accumulate onto these
            net.backward(dy);
        }
        // Besides the forced ones, some units are off for the whole batch anyway (about half for one sample).
        int live = second.lastLiveUnits();
        assertThat(live).as(what + ": live units seen").isBetween(0, HIDDEN2 - dead);
        boolean skipped = live >= 4 && live <= HIDDEN2 - HIDDEN2 / 8;
        skippedCases += skipped ? 1 : 0;
        denseCases += skipped ? 0 : 1;
        assertThat(bits(skipping.gradients())).as(what + ": parameter gradients (skipped: " + skipped + ")")
                .isEqualTo(bits(dense.gradients()));
        assertThat(bits(skipping.inputGradient())).as(what + ": input gradient").isEqualTo(bits(dense.inputGradient()));

        for (Network net : new Network[] {dense, skipping}) {
            net.forward(x, batch);
            net.backwardInputOnly(dy);
        }
        assertThat(bits(skipping.inputGradient())).as(what + ": input-only backward")
                .isEqualTo(bits(dense.inputGradient()));
    }

    /** An 8-96-80-2 ReLU network whose last {@code dead} second-layer units never fire (bias −1000). */
    private static Network network(Kernels kernels, boolean skip, int dead) {
        boolean before = Linear.skipDeadUnits;
        Linear.skipDeadUnits = skip;
        try {
            Network net = Network.create(Mlp.builder(IN).hidden(HIDDEN1, HIDDEN2).output(2), 64, kernels)
                    .initialize(Rng.seeded(5)).enableInputGradient();
            float[] bias = net.parameters();
            int biasOffset = net.parameter("2.bias").offset();
            // Spread the dead units over the layer, not one block, so the skipped rows are not contiguous.
            int[] order = permutation(HIDDEN2, Rng.seeded(dead));
            for (int i = 0; i < dead; i++) {
                bias[biasOffset + order[i]] = -1000f;
            }
            return net;
        } finally {
            Linear.skipDeadUnits = before;
        }
    }

    private static int[] permutation(int n, Rng rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = (int) rng.integers(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static int[] bits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            b[i] = Float.floatToRawIntBits(x[i]);
        }
        return Arrays.copyOf(b, b.length);
    }
}
