package dev.deepq.nn;

import static dev.deepq.nn.NnTesting.bothKernels;
import static dev.deepq.nn.NnTesting.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.deepq.random.Rng;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of every layer's backward pass, with both kernel implementations and batches of 1
 * (matrix-vector paths), 5 and 19 (vector blocks plus scalar tails).
 *
 * <p>The objective is L = Σ r·y for a fixed random r, so the output gradient is r. Each layer sits behind a
 * Linear layer: the Linear's weight gradient is only right if the layer's input gradient is right, so parameter
 * gradients alone check both. Central differences in float with step 3e-3; at a ReLU kink the analytic gradient
 * is the one-sided slope on its own side, so a one-sided difference is accepted too.
 */
class GradientCheckTest {
    private static final int[] BATCHES = {1, 5, 19};
    private static final double STEP = 3e-3;

    @Test
    void linearWithEachFusedActivation() {
        for (Activation act : new Activation[] {Activation.IDENTITY, Activation.RELU, Activation.TANH}) {
            check("Linear " + act, rng -> new Sequential(new Linear(3, 5), new Linear(5, 6, act)));
            check("Linear " + act + " no bias", rng -> new Sequential(new Linear(3, 5),
                    new Linear(5, 6, act, false, LinearInit.pytorchDefault())));
        }
    }

    @Test
    void activationLayers() {
        check("ReLU", rng -> new Sequential(new Linear(3, 7), new Relu(7)));
        check("Tanh", rng -> new Sequential(new Linear(3, 7), new Tanh(7)));
        check("ELU", rng -> new Sequential(new Linear(3, 7), new Elu(7)));
        check("ELU alpha 0.5", rng -> new Sequential(new Linear(3, 7), new Elu(7, 0.5)));
        check("GELU", rng -> new Sequential(new Linear(3, 7), new Gelu(7)));
    }

    @Test
    void layerNorm() {
        check("LayerNorm", rng -> new Sequential(new Linear(3, 7), new LayerNorm(7), new Linear(7, 2)));
        check("LayerNorm without affine", rng -> new Sequential(new Linear(3, 7), new LayerNorm(7, 1e-5, false)));
    }

    @Test
    void dropoutWithAFixedMask() {
        Rng masks = Rng.seeded(99);
        long[] start = masks.state();
        check("Dropout", rng -> new Sequential(new Linear(3, 7), new Dropout(7, 0.3, masks), new Linear(7, 2)),
                () -> masks.restore(start));
    }

    @Test
    void duelingAndMultiHeadOutputs() {
        check("Dueling", rng -> new Sequential(new Linear(3, 6, Activation.TANH),
                new DuelingHead(new Linear(6, 1), new Linear(6, 4))));
        check("MultiHead", rng -> new Sequential(new Linear(3, 6, Activation.TANH),
                new MultiHead(new Linear(6, 2), new Sequential(new Linear(6, 3, Activation.RELU), new Linear(3, 2)),
                        new Linear(6, 1))));
    }

    @Test
    void mlpBuilderVariants() {
        check("MLP GELU + LayerNorm", rng -> Mlp.builder(4).hidden(9, 7).activation(Activation.GELU)
                .layerNorm(true).output(3));
        check("MLP ReLU", rng -> Mlp.builder(4).hidden(9, 7).output(3));
        check("MLP tanh dueling", rng -> Mlp.builder(4).hidden(9).activation(Activation.TANH).dueling(3));
        check("MLP ELU multi-head", rng -> Mlp.builder(4).hidden(9).activation(Activation.ELU).multiHead(2, 3));
    }

    private static void check(String name, Function<Rng, Layer> factory) {
        check(name, factory, () -> {});
    }

    private static void check(String name, Function<Rng, Layer> factory, Runnable beforeForward) {
        for (Kernels kernels : bothKernels()) {
            for (int batch : BATCHES) {
                Rng rng = Rng.seeded(31L * batch + (name.hashCode() & 0x7fffffff));
                Network net = Network.create(factory.apply(rng), batch, kernels).initialize(rng);
                float[] params = net.parameters();
                // Move LayerNorm's γ = 1, β = 0 (and every bias) off their initial values so all terms matter.
                for (int i = 0; i < params.length; i++) {
                    params[i] += (float) rng.uniform(-0.2, 0.2);
                }
                float[] x = random(rng, batch * net.inputSize());
                float[] r = random(rng, batch * net.outputSize());
                net.zeroGradients();
                beforeForward.run();
                net.forward(x, batch);
                net.backward(r);
                float[] analytic = net.gradients().clone();
                int kinks = 0;
                for (int i = 0; i < params.length; i++) {
                    double a = analytic[i];
                    double tolerance = 1e-3 + 1e-2 * Math.abs(a);
                    Differences coarse = differences(net, params, i, STEP, x, r, batch, beforeForward);
                    if (coarse.centralMatches(a, tolerance)) {
                        continue;
                    }
                    Differences fine = differences(net, params, i, STEP / 3, x, r, batch, beforeForward);
                    if (fine.centralMatches(a, tolerance)) {
                        continue;
                    }
                    if (coarse.oneSidedMatches(a, 2 * tolerance) || fine.oneSidedMatches(a, 2 * tolerance)) {
                        kinks++;
                        continue;
                    }
                    fail(name + " (" + kernels.name() + ", batch " + batch + "): d/d" + describe(net, i) + " is "
                            + a + " by backprop but " + coarse.central() + " by finite differences");
                }
                assertThat(kinks).as(name + ": parameters whose difference crossed a kink")
                        .isLessThanOrEqualTo(Math.max(2, params.length / 4));
            }
        }
    }

    /** Objective values at θ − h, θ and θ + h for one parameter (h as actually representable in float). */
    private record Differences(double minus, double center, double plus, double h) {
        double central() {
            return (plus - minus) / (2 * h);
        }

        boolean centralMatches(double analytic, double tolerance) {
            return Math.abs(central() - analytic) <= tolerance;
        }

        boolean oneSidedMatches(double analytic, double tolerance) {
            return Math.abs((plus - center) / h - analytic) <= tolerance
                    || Math.abs((center - minus) / h - analytic) <= tolerance;
        }
    }

    private static Differences differences(Network net, float[] params, int i, double step, float[] x, float[] r,
                                           int batch, Runnable beforeForward) {
        float saved = params[i];
        float up = (float) (saved + step);
        float down = (float) (saved - step);
        params[i] = up;
        double plus = objective(net, x, r, batch, beforeForward);
        params[i] = down;
        double minus = objective(net, x, r, batch, beforeForward);
        params[i] = saved;
        double center = objective(net, x, r, batch, beforeForward);
        return new Differences(minus, center, plus, ((double) up - down) / 2);
    }
    private static double objective(Network net, float[] x, float[] r, int batch, Runnable beforeForward) {
        beforeForward.run();
        float[] y = net.forward(x, batch);
        double sum = 0;
        for (int i = 0; i < batch * net.outputSize(); i++) {
            sum += (double) r[i] * y[i];
        }
        return sum;
    }

    private static String describe(Network net, int index) {
        for (ParameterView v : net.parameterViews()) {
            if (index >= v.offset() && index < v.offset() + v.size()) {
                return v.name() + "[" + (index - v.offset()) + "]";
            }
        }
        return "parameter " + index;
    }
}
