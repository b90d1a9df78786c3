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
    // Dead-unit skipping (ReLU layers large enough to gain): the live rows of dZ, W and dW gathered contiguously.
    private int[] liveUnits;
    private float[] liveGradientRows;
    private float[] liveWeightRows;
    private float[] liveWeightGradientRows;

    /**
     * Dead-unit skipping needs inputs wide enough that the vector kernels take their blocked (one chain per element)
     * path for the weight gradient with or without the skipped rows, whatever the vector width.
     */
    private static final int DEAD_UNIT_SKIP_MIN_INPUTS = 64;
    /** Off ({@code -Ddeepq.nn.denseBackward=true}, or from tests) for layers built afterwards: full products. */
    static boolean skipDeadUnits = !Boolean.getBoolean("deepq.nn.denseBackward");
    private int lastLiveUnits = -1;

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
        if (skipDeadUnits && activation == Activation.RELU && inputSize() >= DEAD_UNIT_SKIP_MIN_INPUTS && outputSize() >= 16
                && maxBatch > 1) {
            liveUnits = new int[outputSize()];
            liveGradientRows = buffer(outputSize());
            liveWeightRows = new float[outputSize() * inputSize()];
            liveWeightGradientRows = new float[outputSize() * inputSize()];
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
        if (liveUnits != null) {
            int live = collectLiveUnits(dz, batch);
            lastLiveUnits = live;
            if (live >= 4 && live <= out - out / 8) {
                return backwardLiveUnits(dz, batch, live);
            }
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

    /** Units with a nonzero gradient in the last backward pass that checked (−1 before any). */
    int lastLiveUnits() {
        return lastLiveUnits;
    }

    /**
     * A ReLU unit that is off for the whole batch has an all-zero row in dZ: its row of dW and its terms of Wᵀ·dZ
     * are zero. Trained ReLU networks have many such units (a SAC critic's second layer: ~40 % of 256 for a
     * batch of 256; its actor's: ~70 %), so the two products run over the live units only. Every element of a
     * product is one fused multiply-add chain started from +0 or the accumulated value, and adding an exact zero
     * product to it changes nothing (a chain from +0 never holds −0), so the result is the same to the bit as the
     * full products for finite weights.
     */
    private int collectLiveUnits(float[] dz, int batch) {
        int live = 0;
        for (int unit = 0; unit < outputSize(); unit++) {
            int start = unit * batch;
            for (int j = start, end = start + batch; j < end; j++) {
                if (dz[j] != 0f) {
                    liveUnits[live++] = unit;
                    break;
                }
            }
        }
        return live;
    }

    private float[] backwardLiveUnits(float[] dz, int batch, int live) {
        int in = inputSize();
        for (int r = 0; r < live; r++) {
            System.arraycopy(dz, liveUnits[r] * batch, liveGradientRows, r * batch, batch);
        }
        if (parameterGradientsNeeded) {
            for (int r = 0; r < live; r++) {
                System.arraycopy(gradients, weightOffset + liveUnits[r] * in, liveWeightGradientRows, r * in, in);
            }
            kernels.matmulTransB(liveGradientRows, 0, batch, input, 0, batch, liveWeightGradientRows, 0, in,
                    live, in, batch, true);
            for (int r = 0; r < live; r++) {
                System.arraycopy(liveWeightGradientRows, r * in, gradients, weightOffset + liveUnits[r] * in, in);
            }
        }
        if (parameterGradientsNeeded && hasBias) {
            kernels.rowSums(dz, 0, batch, outputSize(), batch, gradients, biasOffset, true);
        }
        if (!inputGradientNeeded) {
            return null;
        }
        for (int r = 0; r < live; r++) {
            System.arraycopy(parameters, weightOffset + liveUnits[r] * in, liveWeightRows, r * in, in);
        }
        kernels.matmulTransA(liveWeightRows, 0, in, liveGradientRows, 0, batch, inputGradient, 0, batch, in, batch,
                live, false);
        return inputGradient;
    }
}
