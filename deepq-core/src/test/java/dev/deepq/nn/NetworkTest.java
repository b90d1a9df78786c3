package dev.deepq.nn;

import static dev.deepq.nn.NnTesting.bothKernels;
import static dev.deepq.nn.NnTesting.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.random.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flat parameter layout, batch handling, target-network helpers and argument checks of {@link Network}. */
class NetworkTest {

    private static List<String> names(Network net) {
        return net.parameterViews().stream().map(v -> v.name() + java.util.Arrays.toString(v.shape())).toList();
    }

    @Test
    void parameterNamesAndShapesFollowPyTorch() {
        Network mlp = Network.create(Mlp.builder(4).hidden(64, 64).output(2), 1);
        assertThat(names(mlp)).containsExactly("0.weight[64, 4]", "0.bias[64]", "2.weight[64, 64]", "2.bias[64]",
                "4.weight[2, 64]", "4.bias[2]");
        assertThat(mlp.parameterCount()).isEqualTo(4 * 64 + 64 + 64 * 64 + 64 + 2 * 64 + 2);
        int expectedOffset = 0;
        for (ParameterView v : mlp.parameterViews()) {
            assertThat(v.offset()).isEqualTo(expectedOffset);
            expectedOffset += v.size();
        }
        assertThat(expectedOffset).isEqualTo(mlp.parameterCount());
        assertThat(mlp.gradients()).hasSameSizeAs(mlp.parameters());

        Network norm = Network.create(Mlp.builder(4).hidden(8, 8).layerNorm(true).dropout(0.1, Rng.seeded(1))
                .output(3), 1);
        assertThat(names(norm)).containsExactly("0.weight[8, 4]", "0.bias[8]", "1.weight[8]", "1.bias[8]",
                "4.weight[8, 8]", "4.bias[8]", "5.weight[8]", "5.bias[8]", "8.weight[3, 8]", "8.bias[3]");

        Network dueling = Network.create(Mlp.builder(4).hidden(8).activation(Activation.GELU).dueling(3), 1);
        assertThat(names(dueling)).containsExactly("torso.0.weight[8, 4]", "torso.0.bias[8]",
                "head.value.weight[1, 8]", "head.value.bias[1]", "head.advantage.weight[3, 8]",
                "head.advantage.bias[3]");

        Network heads = Network.create(Mlp.builder(4).hidden(8).multiHead(2, 3), 1);
        assertThat(names(heads)).containsExactly("torso.0.weight[8, 4]", "torso.0.bias[8]", "heads.0.weight[2, 8]",
                "heads.0.bias[2]", "heads.1.weight[3, 8]", "heads.1.bias[3]");
        assertThat(heads.outputSize()).isEqualTo(5);
        assertThatThrownBy(() -> heads.parameter("heads.2.weight"))
                .hasMessageContaining("no parameter named 'heads.2.weight'").hasMessageContaining("torso.0.bias");
    }

    @Test
    void forwardMatchesAnIndependentReferenceForEveryBatchSize() {
        for (Kernels kernels : bothKernels()) {
            Network net = Network.create(Mlp.builder(5).hidden(17, 9).output(3), 33, kernels)
                    .initialize(Rng.seeded(2));
            Rng rng = Rng.seeded(3);
            for (int batch : new int[] {1, 2, 7, 8, 9, 16, 17, 33}) {
                float[] x = random(rng, batch * 5 + 4);
                float[] y = net.forward(x, 4, batch).clone();
                for (int b = 0; b < batch; b++) {
                    double[] h = reference(net, x, 4 + b * 5);
                    NnTesting.assertClose(kernels.name() + " batch " + batch + " sample " + b,
                            java.util.Arrays.copyOfRange(y, b * 3, b * 3 + 3), h, 1e-5, 1e-6);
                }
            }
        }
    }

    /** The MLP computed in double straight from the named PyTorch-layout tensors. */
    private static double[] reference(Network net, float[] x, int off) {
        double[] h = new double[5];
        for (int i = 0; i < 5; i++) {
            h[i] = x[off + i];
        }
        String[] layers = {"0", "2", "4"};
        for (int l = 0; l < layers.length; l++) {
            ParameterView w = net.parameter(layers[l] + ".weight");
            ParameterView b = net.parameter(layers[l] + ".bias");
            int out = w.shape()[0];
            int in = w.shape()[1];
            double[] next = new double[out];
            for (int o = 0; o < out; o++) {
                double s = net.parameters()[b.offset() + o];
                for (int i = 0; i < in; i++) {
                    s += net.parameters()[w.offset() + o * in + i] * h[i];
                }
                next[o] = l < layers.length - 1 ? Math.max(s, 0) : s;
            }
            h = next;
        }
        return h;
    }

    @Test
    void scalarAndVectorNetworksAgree() {
        Network[] nets = new Network[2];
        List<Kernels> kernels = bothKernels();
        for (int i = 0; i < 2; i++) {
            nets[i] = Network.create(Mlp.builder(6).hidden(33, 65).activation(Activation.TANH).layerNorm(true)
                    .dueling(5), 40, kernels.get(i)).initialize(Rng.seeded(4));
        }
        Rng rng = Rng.seeded(5);
        float[] x = random(rng, 37 * 6);
        float[] dy = random(rng, 37 * 5);
        float[][] outputs = new float[2][];
        for (int i = 0; i < 2; i++) {
            outputs[i] = nets[i].forward(x, 37).clone();
            nets[i].backward(dy);
        }
        NnTesting.assertClose("outputs", outputs[1], outputs[0], 37 * 5, 1e-4, 1e-5);
        NnTesting.assertClose("gradients", nets[1].gradients(), nets[0].gradients(), nets[0].parameterCount(),
                1e-3, 1e-4);
    }

    @Test
    void gradientsAccumulateUntilZeroed() {
        Network net = Network.create(Mlp.builder(3).hidden(5).output(2), 4).initialize(Rng.seeded(6));
        Rng rng = Rng.seeded(7);
        float[] x = random(rng, 12);
        float[] dy = random(rng, 8);
        net.forward(x, 4);
        net.backward(dy);
        float[] once = net.gradients().clone();
        assertThat(once).isNotEqualTo(new float[once.length]);
        net.backward(dy);
        for (int i = 0; i < once.length; i++) {
            assertThat(net.gradients()[i]).isEqualTo(2 * once[i]);
        }
        net.zeroGradients();
        assertThat(net.gradients()).containsOnly(0f);
    }

    @Test
    void targetNetworkCopyAndPolyakAveraging() {
        Network online = Network.create(Mlp.builder(3).hidden(5).output(2), 1).initialize(Rng.seeded(8));
        Network target = Network.create(Mlp.builder(3).hidden(5).output(2), 1).initialize(Rng.seeded(9));
        float[] before = target.parameters().clone();
        target.polyakUpdate(online, 0.25);
        for (int i = 0; i < before.length; i++) {
            assertThat(target.parameters()[i]).isEqualTo(0.25f * online.parameters()[i] + 0.75f * before[i]);
        }
        target.copyParametersFrom(online);
        assertThat(target.parameters()).containsExactly(online.parameters());
        assertThat(target.parameters()).isNotSameAs(online.parameters());

        Network other = Network.create(Mlp.builder(3).hidden(6).output(2), 1);
        assertThatThrownBy(() -> other.copyParametersFrom(online)).hasMessageContaining("different parameters");
        assertThatThrownBy(() -> target.polyakUpdate(online, 1.5)).hasMessageContaining("tau must be in [0, 1]");
    }

    @Test
    void actIsTheArgmaxOfTheOutputs() {
        Network net = Network.create(Mlp.builder(4).hidden(16).output(5), 8).initialize(Rng.seeded(10));
        Rng rng = Rng.seeded(11);
        for (int t = 0; t < 20; t++) {
            float[] obs = random(rng, 4);
            float[] q = net.forward(obs, 1).clone();
            int best = 0;
            for (int a = 1; a < 5; a++) {
                if (q[a] > q[best]) {
                    best = a;
                }
            }
            assertThat(net.act(obs)).isEqualTo(best);
        }
    }

    @Test
    void dropoutActsOnlyInTrainingMode() {
        Network net = Network.create(Mlp.builder(4).hidden(256).dropout(0.5, Rng.seeded(12)).output(1), 1)
                .initialize(Rng.seeded(13));
        float[] x = {0.5f, -0.3f, 0.2f, 0.9f};
        float first = net.forward(x, 1)[0];
        float second = net.forward(x, 1)[0];
        assertThat(first).isNotEqualTo(second);
        net.setTraining(false);
        float eval = net.forward(x, 1)[0];
        assertThat(net.forward(x, 1)[0]).isEqualTo(eval);
        assertThat(net.training()).isFalse();
        // Same weights without dropout give the evaluation output.
        Network plain = Network.create(Mlp.builder(4).hidden(256).output(1), 1);
        System.arraycopy(net.parameters(), 0, plain.parameters(), 0, plain.parameterCount());
        assertThat(plain.forward(x, 1)[0]).isEqualTo(eval);
    }

    @Test
    void boundaryErrorsSayWhatIsWrong() {
        Network net = Network.create(Mlp.builder(3).hidden(5).output(2), 4);
        assertThatThrownBy(() -> net.backward(new float[8])).hasMessageContaining("forward pass first");
        assertThatThrownBy(() -> net.forward(new float[15], 5)).hasMessageContaining("batch must be in [1, 4]");
        assertThatThrownBy(() -> net.forward(new float[15], 0)).hasMessageContaining("got 0");
        Linear shared = new Linear(3, 2);
        Network.create(shared, 1);
        assertThatThrownBy(() -> Network.create(shared, 1)).hasMessageContaining("already belongs to a network");
        assertThatThrownBy(() -> new Sequential(new Linear(3, 4), new Linear(5, 2)))
                .hasMessageContaining("layer 1 (Linear) takes 5 inputs but layer 0 (Linear) produces 4");
        assertThatThrownBy(() -> new Linear(3, 4, Activation.GELU)).hasMessageContaining("own layer");
        assertThatThrownBy(() -> new DuelingHead(new Linear(3, 2), new Linear(3, 4)))
                .hasMessageContaining("value stream must have 1 output");
    }
}
