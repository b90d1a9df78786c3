package dev.deepq.nn;

import static dev.deepq.nn.NnTesting.bothKernels;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepq.nn.loss.CrossEntropyLoss;
import dev.deepq.nn.loss.HuberLoss;
import dev.deepq.nn.loss.MseLoss;
import dev.deepq.nn.optim.Adam;
import dev.deepq.nn.optim.GradientClipping;
import dev.deepq.nn.optim.Optimizer;
import dev.deepq.nn.optim.RmsProp;
import dev.deepq.nn.optim.Sgd;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reproduces numbers computed by PyTorch 1.13.1 ({@code tools/fixtures/make_torch_fixture.py} →
 * {@code torch/nn_fixture.json}): with PyTorch's weights loaded into the same four networks, forward outputs,
 * MSE and weighted Huber losses and their output gradients, parameter gradients, global-norm clipping, and three
 * steps each of Adam, AdamW, RMSprop (plain; centered with momentum and weight decay) and Nesterov SGD; plus
 * cross-entropy over logits. Tolerance: 1e-5 relative (plus a 1e-6 floor for values near zero).
 */
class TorchFixtureTest {
    private static final double REL = 1e-5;
    private static final double ABS = 1e-6;
    private static JsonNode fixture;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = TorchFixtureTest.class.getResourceAsStream("/torch/nn_fixture.json")) {
            assertThat(in).as("torch/nn_fixture.json on the test classpath").isNotNull();
            fixture = new ObjectMapper().readTree(in);
        }
    }

    private static Layer build(String variant) {
        return switch (variant) {
            case "relu" -> Mlp.builder(4).hidden(8, 8).output(3);
            case "layernorm" -> Mlp.builder(4).hidden(8, 8).layerNorm(true).output(3);
            case "tanh_gelu" -> new Sequential(List.of("0", "2", "3", "4"),
                    List.of(new Linear(4, 8, Activation.TANH), new Linear(8, 8), new Gelu(8), new Linear(8, 3)));
            case "elu_dueling" -> Mlp.builder(4).hidden(8).activation(Activation.ELU).dueling(3);
            default -> throw new IllegalArgumentException("unknown fixture variant " + variant);
        };
    }

    @Test
    void everyVariantMatchesPyTorch() {
        int batch = fixture.get("batch").asInt();
        float[] input = floats(fixture.get("input"));
        float[] target = floats(fixture.get("target"));
        float[] weights = floats(fixture.get("sample_weights"));
        double delta = fixture.get("huber_delta").asDouble();
        double maxNorm = fixture.get("max_norm").asDouble();
        List<String> seen = new ArrayList<>();
        for (JsonNode v : fixture.get("variants")) {
            String name = v.get("name").asText();
            seen.add(name);
            for (Kernels kernels : bothKernels()) {
                String what = name + " (" + kernels.name() + ")";
                Network net = Network.create(build(name), batch, kernels);
                loadParameters(net, v.get("parameters"), what);
                float[] start = net.parameters().clone();
                int outputs = net.outputSize();

                float[] out = net.forward(input, batch).clone();
                close(what + " forward", out, floats(v.get("output")));

                float[] mseGrad = new float[batch * outputs];
                float[] huberGrad = new float[batch * outputs];
                float mse = MseLoss.INSTANCE.compute(out, target, null, batch, outputs, mseGrad);
                float huber = HuberLoss.huber(delta).compute(out, target, weights, batch, outputs, huberGrad);
                close(what + " mse", new float[] {mse}, new float[] {(float) v.get("mse").asDouble()});
                close(what + " huber", new float[] {huber}, new float[] {(float) v.get("huber").asDouble()});
                close(what + " d mse / d output", mseGrad, floats(v.get("mse_grad_output")));
                close(what + " d huber / d output", huberGrad, floats(v.get("huber_grad_output")));

                float[] total = new float[batch * outputs];
                for (int i = 0; i < total.length; i++) {
                    total[i] = mseGrad[i] + huberGrad[i];
                }
                net.zeroGradients();
                net.backward(total);
                closeByName(what + " gradients", net, net.gradients(), v.get("gradients"));

                float norm = GradientClipping.clipGlobalNorm(kernels, net.gradients(), 0, net.parameterCount(),
                        maxNorm);
                close(what + " total norm", new float[] {norm}, new float[] {(float) v.get("total_norm").asDouble()});
                closeByName(what + " clipped gradients", net, net.gradients(), v.get("clipped_gradients"));

                // The optimizers start from PyTorch's clipped gradients, so they are tested on their own.
                float[] torchClipped = flatten(net, v.get("clipped_gradients"));
                JsonNode optimizers = v.get("optimizers");
                assertThat(optimizers.size()).isEqualTo(5);
                runOptimizer(what + " Adam", net, start, torchClipped, optimizers.get("adam"),
                        () -> new Adam(net.parameterCount(), 1e-2, 0.9, 0.999, 1e-8, 0, false, kernels));
                runOptimizer(what + " AdamW", net, start, torchClipped, optimizers.get("adamw"),
                        () -> new Adam(net.parameterCount(), 1e-2, 0.9, 0.999, 1e-8, 0.1, true, kernels));
                runOptimizer(what + " RMSprop", net, start, torchClipped, optimizers.get("rmsprop"),
                        () -> new RmsProp(net.parameterCount(), 1e-2));
                runOptimizer(what + " RMSprop centered momentum", net, start, torchClipped,
                        optimizers.get("rmsprop_centered_momentum"),
                        () -> new RmsProp(net.parameterCount(), 1e-2, 0.99, 1e-8, 0.01, 0.9, true));
                runOptimizer(what + " SGD Nesterov", net, start, torchClipped, optimizers.get("sgd_nesterov"),
                        () -> new Sgd(net.parameterCount(), 0.1, 0.9, 0, 0.01, true));
            }
        }
        assertThat(seen).containsExactly("relu", "layernorm", "tanh_gelu", "elu_dueling");
    }

    @Test
    void crossEntropyMatchesPyTorch() {
        JsonNode ce = fixture.get("cross_entropy");
        int classes = ce.get("classes").asInt();
        float[] logits = floats(ce.get("logits"));
        int batch = logits.length / classes;
        int[] labels = new int[batch];
        for (int b = 0; b < batch; b++) {
            labels[b] = ce.get("labels").get(b).asInt();
        }
        float[] grad = new float[logits.length];
        float loss = CrossEntropyLoss.withLabels(logits, batch, classes, labels, floats(ce.get("weights")), grad);
        close("weighted CE loss", new float[] {loss}, new float[] {(float) ce.get("labelled_weighted_loss").asDouble()});
        close("weighted CE gradient", grad, floats(ce.get("labelled_weighted_grad")));
        loss = CrossEntropyLoss.withDistributions(logits, batch, classes, floats(ce.get("targets")), null, grad);
        close("soft CE loss", new float[] {loss}, new float[] {(float) ce.get("distribution_loss").asDouble()});
        close("soft CE gradient", grad, floats(ce.get("distribution_grad")));
    }

    private static void runOptimizer(String what, Network net, float[] start, float[] gradients, JsonNode run,
                                     Supplier<Optimizer> factory) {
        float[] params = start.clone();
        Optimizer optimizer = factory.get();
        JsonNode steps = run.get("steps");
        assertThat(steps.size()).isEqualTo(3);
        for (int t = 0; t < steps.size(); t++) {
            optimizer.step(params, gradients.clone());
            closeByName(what + " step " + (t + 1), net, params, steps.get(t));
        }
    }

    private static void loadParameters(Network net, JsonNode parameters, String what) {
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (JsonNode p : parameters) {
            expected.add(p.get("name").asText() + p.get("shape"));
        }
        for (ParameterView v : net.parameterViews()) {
            actual.add(v.name() + java.util.Arrays.toString(v.shape()).replace(" ", ""));
        }
        assertThat(actual).as(what + " parameter names and shapes").isEqualTo(expected);
        for (JsonNode p : parameters) {
            ParameterView view = net.parameter(p.get("name").asText());
            float[] data = floats(p.get("data"));
            System.arraycopy(data, 0, net.parameters(), view.offset(), view.size());
        }
    }

    private static float[] flatten(Network net, JsonNode byName) {
        float[] flat = new float[net.parameterCount()];
        for (ParameterView view : net.parameterViews()) {
            float[] data = floats(byName.get(view.name()));
            System.arraycopy(data, 0, flat, view.offset(), view.size());
        }
        return flat;
    }

    private static void closeByName(String what, Network net, float[] flat, JsonNode byName) {
        assertThat(byName.size()).as(what + " tensors").isEqualTo(net.parameterViews().size());
        for (ParameterView view : net.parameterViews()) {
            float[] expected = floats(byName.get(view.name()));
            assertThat(expected.length).isEqualTo(view.size());
            close(what + " " + view.name(), java.util.Arrays.copyOfRange(flat, view.offset(),
                    view.offset() + view.size()), expected);
        }
    }

    private static void close(String what, float[] actual, float[] expected) {
        assertThat(actual.length).as(what + " length").isEqualTo(expected.length);
        NnTesting.assertClose(what, actual, expected, expected.length, REL, ABS);
    }

    private static float[] floats(JsonNode array) {
        float[] x = new float[array.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) array.get(i).asDouble();
        }
        return x;
    }
}
