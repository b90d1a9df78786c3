package dev.deepq.nn;

import dev.deepq.random.Rng;
import java.util.List;

/**
 * A dense layer y = act(W·x + b), optionally with a fused {@link Activation#fusable() fusable} activation
 * (the product, bias and activation then run as one kernel pass). W has PyTorch's {@code nn.Linear} layout,
 * out×in row-major, named {@code weight}; b is named {@code bias}.
 */
public final class Linear extends Layer {
    private final Activation activation;
    private final boolean hasBias;
    private final LinearInit init;
    private float[] parameters;
    private float[] gradients;
    private int weightOffset;
    private int biasOffset;
    private float[] output;
    private float[] inputGradient;
    private float[] preActivationGradient;
    private float[] input;

    /** A plain affine layer with bias and PyTorch's default initialization. */
    public Linear(int inputSize, int outputSize) {
        this(inputSize, outputSize, Activation.IDENTITY, true, LinearInit.pytorchDefault());
    }

    /** An affine layer with bias, PyTorch's default initialization and a fused activation. */
    public Linear(int inputSize, int outputSize, Activation activation) {
        this(inputSize, outputSize, activation, true, LinearInit.pytorchDefault());
    }

    public Linear(int inputSize, int outputSize, Activation activation, boolean bias, LinearInit init) {
        super(inputSize, outputSize);
        if (!activation.fusable()) {
            throw new IllegalArgumentException(activation + " cannot be fused into Linear; add it as its own layer");
        }
        this.activation = activation;
        this.hasBias = bias;
        this.init = init;
    }

    /** The fused activation ({@link Activation#IDENTITY} for none). */
    public Activation activation() {
        return activation;
    }

    public boolean hasBias() {
        return hasBias;
    }

    @Override
    public int parameterCount() {
        return outputSize() * inputSize() + (hasBias ? outputSize() : 0);
    }

    @Override
    protected void allocate() {
        output = buffer(outputSize());
        inputGradient = buffer(inputSize());
        if (activation != Activation.IDENTITY) {
            preActivationGradient = buffer(outputSize());
        }
    }

    @Override
    protected void bind(float[] parameters, float[] gradients, int offset) {
        this.parameters = parameters;
        this.gradients = gradients;
        this.weightOffset = offset;
        this.biasOffset = offset + outputSize() * inputSize();
    }

    @Override
    protected void describe(String prefix, int offset, List<ParameterView> out) {
        out.add(new ParameterView(join(prefix, "weight"), offset, outputSize(), inputSize()));
        if (hasBias) {
            out.add(new ParameterView(join(prefix, "bias"), offset + outputSize() * inputSize(), outputSize()));
        }
    }

    @Override
    protected void initialize(Rng rng) {
        init.apply(parameters, weightOffset, outputSize(), inputSize(), hasBias, biasOffset, rng);
    }

    @Override
    protected float[] forward(float[] input, int batch) {
        this.input = input;
        kernels.linearForward(parameters, weightOffset, input, 0, hasBias ? parameters : null, biasOffset,
                output, 0, outputSize(), batch, inputSize(), activation);
        return output;
    }

    @Override
    protected float[] backward(float[] outputGradient, int batch) {
        if (!parameterGradientsNeeded && !inputGradientNeeded) {
            return null;
        }
        int out = outputSize();
        int in = inputSize();
        float[] dz = outputGradient;
        if (activation != Activation.IDENTITY) {
            kernels.activationBackward(activation, output, 0, outputGradient, 0, preActivationGradient, 0,
                    out * batch);
            dz = preActivationGradient;
        }
        // dW += dZ·Xᵀ (out×batch times batch×in), db += row sums of dZ, dX = Wᵀ·dZ.
        if (parameterGradientsNeeded) {
            kernels.matmulTransB(dz, 0, batch, input, 0, batch, gradients, weightOffset, in, out, in, batch, true);
            if (hasBias) {
                kernels.rowSums(dz, 0, batch, out, batch, gradients, biasOffset, true);
            }
        }
        if (!inputGradientNeeded) {
            return null;
        }
        kernels.matmulTransA(parameters, weightOffset, in, dz, 0, batch, inputGradient, 0, batch, in, batch, out,
                false);
        return inputGradient;
    }
}
