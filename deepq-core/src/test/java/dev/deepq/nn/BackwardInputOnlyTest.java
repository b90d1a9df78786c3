package dev.deepq.nn;

import static dev.deepq.nn.NnTesting.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.random.Rng;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link Network#backwardInputOnly}: the input gradient bit-identical to {@link Network#backward}'s, the parameter
 * gradients untouched, and ordinary backward passes unaffected afterwards, for every layer kind that has parameters
 * or sits between them (Linear with each fused activation, LayerNorm, Dropout, ELU, GELU, dueling and multi-head
 * outputs), on both kernel implementations.
 */
class BackwardInputOnlyTest {
    private static final int BATCH = 37;

    @Test
    void inputGradientIsBitIdenticalAndParameterGradientsAreUntouched() {
        for (Kernels kernels : NnTesting.bothKernels()) {
            check(kernels, () -> Mlp.builder(5).hidden(64, 48).output(1));
            check(kernels, () -> Mlp.builder(4).hidden(256, 256).output(1));
            check(kernels, () -> Mlp.builder(5).hidden(16, 12).activation(Activation.TANH).output(3));
            check(kernels, () -> Mlp.builder(5).hidden(16, 12).layerNorm(true).dropout(0.2, Rng.seeded(9)).output(2));
            check(kernels, () -> Mlp.builder(5).hidden(16).activation(Activation.ELU).dueling(3));
            check(kernels, () -> Mlp.builder(5).hidden(16, 8).activation(Activation.GELU).multiHead(2, 3));
            check(kernels, () -> Mlp.builder(5).hidden(16, 8).ensemble(3, 2));
        }
    }

    /**
     * Two identical networks on the same input: one runs backward, the other backwardInputOnly (over gradients
     * preset to a sentinel) and then backward. Dropout masks agree because each network's dropout generator has the
     * same seed.
     */
    private static void check(Kernels kernels, Supplier<Layer> architecture) {
        Network full = Network.create(architecture.get(), BATCH, kernels).initialize(Rng.seeded(1))
                .enableInputGradient();
        Network inputOnly = Network.create(architecture.get(), BATCH, kernels).initialize(Rng.seeded(1))
                .enableInputGradient();
        Rng rng = Rng.seeded(2);
        float[] x = random(rng, BATCH * full.inputSize());
        float[] dy = random(rng, BATCH * full.outputSize());
        String what = kernels.name() + " " + full.parameterViews().get(0).name() + " of " + full.parameterViews();

        full.forward(x, BATCH);
        full.zeroGradients();
        full.backward(dy);

        inputOnly.forward(x, BATCH);
        float[] sentinel = random(rng, inputOnly.parameterCount());
        System.arraycopy(sentinel, 0, inputOnly.gradients(), 0, sentinel.length);
        inputOnly.backwardInputOnly(dy);
        assertThat(Arrays.equals(inputOnly.gradients(), sentinel))
                .as(what + ": parameter gradients untouched by backwardInputOnly").isTrue();
        assertThat(Arrays.equals(bits(inputOnly.inputGradient()), bits(full.inputGradient())))
                .as(what + ": input gradient bit-identical to backward's").isTrue();

        // The same forward pass again through an ordinary backward: parameter gradients are back on.
        inputOnly.zeroGradients();
        inputOnly.backward(dy);
        assertThat(Arrays.equals(bits(inputOnly.gradients()), bits(full.gradients())))
                .as(what + ": parameter gradients of a later backward").isTrue();
        assertThat(Arrays.equals(bits(inputOnly.inputGradient()), bits(full.inputGradient()))).isTrue();
    }

    private static int[] bits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            b[i] = Float.floatToRawIntBits(x[i]);
        }
        return b;
    }

    @Test
    void needsInputGradientsAndAForwardPass() {
        Network net = Network.create(Mlp.builder(3).hidden(8).output(1), 4).initialize(Rng.seeded(1));
        net.forward(new float[12], 4);
        assertThatThrownBy(() -> net.backwardInputOnly(new float[4]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("enableInputGradient()");
        Network fresh = Network.create(Mlp.builder(3).hidden(8).output(1), 4).enableInputGradient();
        assertThatThrownBy(() -> fresh.backwardInputOnly(new float[4]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("forward pass first");
    }
}
