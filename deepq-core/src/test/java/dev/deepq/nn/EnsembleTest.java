package dev.deepq.nn;

import static dev.deepq.nn.NnTesting.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.deepq.random.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link Mlp.Builder#ensemble}: N members as one network, each bit-identical to the network {@code output} builds on
 * its own (initialization from one generator in member order, forward pass, parameter gradients), with PyTorch
 * ModuleList names.
 */
class EnsembleTest {

    @Test
    void parametersAreNamedAsAModuleListOfSequentials() {
        Network net = Network.create(Mlp.builder(4).hidden(8, 6).ensemble(3, 2), 1);
        assertThat(net.parameterViews().stream().map(v -> v.name() + Arrays.toString(v.shape())).toList())
                .containsExactly(
                        "0.0.weight[8, 4]", "0.0.bias[8]", "0.2.weight[6, 8]", "0.2.bias[6]", "0.4.weight[2, 6]",
                        "0.4.bias[2]",
                        "1.0.weight[8, 4]", "1.0.bias[8]", "1.2.weight[6, 8]", "1.2.bias[6]", "1.4.weight[2, 6]",
                        "1.4.bias[2]",
                        "2.0.weight[8, 4]", "2.0.bias[8]", "2.2.weight[6, 8]", "2.2.bias[6]", "2.4.weight[2, 6]",
                        "2.4.bias[2]");
        Network single = Network.create(Mlp.builder(4).hidden(8, 6).output(2), 1);
        assertThat(net.parameterCount()).isEqualTo(3 * single.parameterCount());
        assertThat(net.inputSize()).isEqualTo(4);
        assertThat(net.outputSize()).isEqualTo(6);
        // Every parameter is in exactly one view.
        boolean[] covered = new boolean[net.parameterCount()];
        for (ParameterView v : net.parameterViews()) {
            for (int i = v.offset(); i < v.offset() + v.size(); i++) {
                assertThat(covered[i]).isFalse();
                covered[i] = true;
            }
        }
        assertThat(covered).doesNotContain(false);
    }

    @Test
    void eachMemberIsBitIdenticalToItsOwnNetwork() {
        for (Kernels kernels : NnTesting.bothKernels()) {
            check(kernels, 3, 5, new int[] {64, 48}, 2, Activation.RELU, 37);
            check(kernels, 4, 3, new int[] {16}, 1, Activation.TANH, 9);
        }
        // The Pendulum critic shapes of REDQ: 256-256 on a batch of 256 (the packed, split products).
        check(Kernels.vector(), 10, 4, new int[] {256, 256}, 1, Activation.RELU, 256);
        check(Kernels.parallel(2), 3, 4, new int[] {256, 256}, 1, Activation.RELU, 256);
    }

    private static void check(Kernels kernels, int members, int in, int[] hidden, int out, Activation act,
                              int batch) {
        String what = kernels.name() + " " + members + "×" + in + "-" + Arrays.toString(hidden) + "-" + out;
        Network ensemble = Network.create(Mlp.builder(in).hidden(hidden).activation(act).ensemble(members, out),
                batch, kernels).initialize(Rng.seeded(7)).enableInputGradient();
        Rng init = Rng.seeded(7);
        Network[] separate = new Network[members];
        for (int i = 0; i < members; i++) {
            separate[i] = Network.create(Mlp.builder(in).hidden(hidden).activation(act).output(out), batch, kernels)
                    .initialize(init).enableInputGradient();
        }
        for (int i = 0; i < members; i++) {
            for (ParameterView v : separate[i].parameterViews()) {
                ParameterView e = ensemble.parameter(i + "." + v.name());
                assertThat(e.shape()).isEqualTo(v.shape());
                sameBits(what + " initial " + e.name(), ensemble.parameters(), e.offset(), separate[i].parameters(),
                        v.offset(), v.size());
            }
        }

        Rng rng = Rng.seeded(8);
        float[] x = random(rng, batch * in);
        float[] dy = random(rng, batch * members * out);
        float[] y = ensemble.forward(x, batch).clone();
        ensemble.zeroGradients();
        ensemble.backward(dy);
        float[] sumOfInputGradients = new float[batch * in];
        for (int i = 0; i < members; i++) {
            float[] yi = separate[i].forward(x, batch);
            float[] dyi = new float[batch * out];
            for (int b = 0; b < batch; b++) {
                for (int o = 0; o < out; o++) {
                    if (Float.floatToRawIntBits(y[b * members * out + i * out + o])
                            != Float.floatToRawIntBits(yi[b * out + o])) {
                        fail(what + ": member " + i + " output " + o + " of sample " + b + " differs");
                    }
                    dyi[b * out + o] = dy[b * members * out + i * out + o];
                }
            }
            separate[i].zeroGradients();
            separate[i].backward(dyi);
            for (ParameterView v : separate[i].parameterViews()) {
                ParameterView e = ensemble.parameter(i + "." + v.name());
                sameBits(what + " gradient of " + e.name(), ensemble.gradients(), e.offset(),
                        separate[i].gradients(), v.offset(), v.size());
            }
            for (int j = 0; j < sumOfInputGradients.length; j++) {
                sumOfInputGradients[j] += separate[i].inputGradient()[j];
            }
        }
        // The shared input's gradient sums the members' (in another order than this sum, so to rounding).
        NnTesting.assertClose(what + " input gradient", ensemble.inputGradient(), sumOfInputGradients,
                sumOfInputGradients.length, 1e-4, 1e-5);
    }

    private static void sameBits(String what, float[] a, int aOff, float[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) {
            if (Float.floatToRawIntBits(a[aOff + i]) != Float.floatToRawIntBits(b[bOff + i])) {
                fail(what + ": element " + i + " is " + a[aOff + i] + ", its own network has " + b[bOff + i]);
            }
        }
    }

    @Test
    void unsupportedOptionsAreRefused() {
        assertThatThrownBy(() -> Mlp.builder(4).hidden(8).layerNorm(true).ensemble(3, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer norm");
        assertThatThrownBy(() -> Mlp.builder(4).hidden(8).activation(Activation.GELU).ensemble(3, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fusable");
        assertThatThrownBy(() -> Mlp.builder(4).hidden(8).ensemble(0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one member");
    }
}
