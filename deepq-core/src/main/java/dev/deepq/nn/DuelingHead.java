package dev.deepq.nn;

import dev.deepq.random.Rng;
import java.util.List;

/**
 * The dueling architecture's output (Wang et al. 2016): Q(s, a) = V(s) + A(s, a) − mean_a' A(s, a'), from a value
 * stream with one output and an advantage stream with one output per action, both reading the same features.
 * Parameters are named {@code value.*} and {@code advantage.*}.
 */
public final class DuelingHead extends Layer {
    private final Layer value;
    private final Layer advantage;
    private float[] output;
    private float[] valueGradient;
    private float[] advantageGradient;
    private float[] inputGradient;
    private float[] advantageMean;

    public DuelingHead(Layer value, Layer advantage) {
        super(value.inputSize(), advantage.outputSize());
        if (value.outputSize() != 1) {
            throw new IllegalArgumentException("the value stream must have 1 output, got " + value.outputSize());
        }
        if (advantage.inputSize() != value.inputSize()) {
            throw new IllegalArgumentException("the value stream takes " + value.inputSize()
                    + " inputs but the advantage stream takes " + advantage.inputSize());
        }
        this.value = value;
        this.advantage = advantage;
    }

    @Override
    public int parameterCount() {
        return value.parameterCount() + advantage.parameterCount();
    }

    @Override
    protected void allocate() {
        value.attach(kernels, maxBatch);
        advantage.attach(kernels, maxBatch);
        output = buffer(outputSize());
        valueGradient = buffer(1);
        advantageGradient = buffer(outputSize());
        inputGradient = buffer(inputSize());
        advantageMean = buffer(1);
    }

    @Override
    protected void bind(float[] parameters, float[] gradients, int offset) {
        value.bind(parameters, gradients, offset);
        advantage.bind(parameters, gradients, offset + value.parameterCount());
    }

    @Override
    protected void describe(String prefix, int offset, List<ParameterView> out) {
        value.describe(join(prefix, "value"), offset, out);
        advantage.describe(join(prefix, "advantage"), offset + value.parameterCount(), out);
    }

    @Override
    protected void initialize(Rng rng) {
        value.initialize(rng);
        advantage.initialize(rng);
    }

    @Override
    protected void setTraining(boolean training) {
        value.setTraining(training);
        advantage.setTraining(training);
    }

    @Override
    protected void setInputGradientNeeded(boolean needed) {
        super.setInputGradientNeeded(needed);
        value.setInputGradientNeeded(needed);
        advantage.setInputGradientNeeded(needed);
    }

    @Override
    protected void setParameterGradientsNeeded(boolean needed) {
        super.setParameterGradientsNeeded(needed);
        value.setParameterGradientsNeeded(needed);
        advantage.setParameterGradientsNeeded(needed);
    }

    @Override
    protected float[] forward(float[] input, int batch) {
        float[] v = value.forward(input, batch);
        float[] a = advantage.forward(input, batch);
        int actions = outputSize();
        java.util.Arrays.fill(advantageMean, 0, batch, 0f);
        for (int j = 0; j < actions; j++) {
            int row = j * batch;
            for (int b = 0; b < batch; b++) {
                advantageMean[b] += a[row + b];
            }
        }
        for (int b = 0; b < batch; b++) {
            advantageMean[b] /= actions;
        }
        for (int j = 0; j < actions; j++) {
            int row = j * batch;
            for (int b = 0; b < batch; b++) {
                output[row + b] = (v[b] + a[row + b]) - advantageMean[b];
            }
        }
        return output;
    }

    @Override
    protected float[] backward(float[] outputGradient, int batch) {
        int actions = outputSize();
        // dV = Σ_a dQ; dA = dQ − mean_a dQ.
        java.util.Arrays.fill(valueGradient, 0, batch, 0f);
        for (int j = 0; j < actions; j++) {
            int row = j * batch;
            for (int b = 0; b < batch; b++) {
                valueGradient[b] += outputGradient[row + b];
            }
        }
        for (int j = 0; j < actions; j++) {
            int row = j * batch;
            for (int b = 0; b < batch; b++) {
                advantageGradient[row + b] = outputGradient[row + b] - valueGradient[b] / actions;
            }
        }
        float[] dxValue = value.backward(valueGradient, batch);
        float[] dxAdvantage = advantage.backward(advantageGradient, batch);
        if (!inputGradientNeeded) {
            return null;
        }
        int n = inputSize() * batch;
        System.arraycopy(dxValue, 0, inputGradient, 0, n);
        kernels.axpy(1f, dxAdvantage, 0, inputGradient, 0, n);
        return inputGradient;
    }
}
