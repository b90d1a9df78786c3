package dev.deepq.nn;

import dev.deepq.random.Rng;
import java.util.List;

/**
 * N independent dense layers run as one layer: member i computes y_i = act(W_i·x_i + b_i), with W_i out×in and b_i
 * out, exactly as its own {@link Linear} would (the same kernels on the same shapes, so bit-identical results). The
 * input is either shared (every member reads the same {@code in} features, so the N weight matrices stack into one
 * N·out × in product) or grouped (member i reads features i·in to (i+1)·in of an N·in input, as the output of a
 * previous ensemble layer). The output is grouped: member i's features i·out to (i+1)·out.
 *
 * <p>Parameters: the N weight matrices (PyTorch's {@code nn.Linear} layout each), then the N biases. Used inside an
 * {@link Ensemble}, which names them as N PyTorch modules ({@code 3.2.weight}: member 3's layer 2) and initializes
 * member by member, as PyTorch builds N separate networks one after another.
 */
public final class EnsembleLinear extends Layer {
    private final int members;
    private final int memberInputs;
    private final int memberOutputs;
    private final boolean sharedInput;
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

    /**
     * @param members N
     * @param memberInputs inputs of one member (the layer's input is this, shared, or N times this, grouped)
     * @param memberOutputs outputs of one member (the layer's output is N times this)
     * @param sharedInput whether every member reads the same input
     */
    public EnsembleLinear(int members, int memberInputs, int memberOutputs, boolean sharedInput,
                          Activation activation, boolean bias, LinearInit init) {
        super(sharedInput ? memberInputs : Math.multiplyExact(members, memberInputs),
                Math.multiplyExact(members, memberOutputs));
        if (members <= 0) {
            throw new IllegalArgumentException("an ensemble needs at least one member, got " + members);
        }
        if (!activation.fusable()) {
            throw new IllegalArgumentException(activation + " cannot be fused into EnsembleLinear; use "
                    + Activation.RELU + ", " + Activation.TANH + " or " + Activation.IDENTITY);
        }
        this.members = members;
        this.memberInputs = memberInputs;
        this.memberOutputs = memberOutputs;
        this.sharedInput = sharedInput;
        this.activation = activation;
        this.hasBias = bias;
        this.init = init;
    }

    public int members() {
        return members;
    }

    public int memberInputs() {
        return memberInputs;
    }

    public int memberOutputs() {
        return memberOutputs;
    }

    public boolean sharedInput() {
        return sharedInput;
    }

    public Activation activation() {
        return activation;
    }

    private int weightSize() {
        return memberOutputs * memberInputs;
    }

    @Override
    public int parameterCount() {
        return members * (weightSize() + (hasBias ? memberOutputs : 0));
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
        this.biasOffset = offset + members * weightSize();
    }

    @Override
    protected void describe(String prefix, int offset, List<ParameterView> out) {
        for (int i = 0; i < members; i++) {
            describeMember(join(prefix, Integer.toString(i)), offset, i, out);
        }
    }

    /** Member i's views, named {@code prefix.weight} and {@code prefix.bias}. */
    void describeMember(String prefix, int offset, int member, List<ParameterView> out) {
        out.add(new ParameterView(join(prefix, "weight"), offset + member * weightSize(), memberOutputs,
                memberInputs));
        if (hasBias) {
            out.add(new ParameterView(join(prefix, "bias"), offset + members * weightSize() + member * memberOutputs,
                    memberOutputs));
        }
    }

    @Override
    protected void initialize(Rng rng) {
        for (int i = 0; i < members; i++) {
            initializeMember(i, rng);
        }
    }

    /** Member i's parameters, as its own {@link Linear} would initialize them. */
    void initializeMember(int member, Rng rng) {
        int rows = memberOutputs;
        int cols = memberInputs;
        int w = weightOffset + member * weightSize();
        int b = biasOffset + member * memberOutputs;
        init.apply(parameters, w, rows, cols, hasBias, b, rng);
    }

    @Override
    protected float[] forward(float[] input, int batch) {
        this.input = input;
        float[] bias = hasBias ? parameters : null;
        if (sharedInput) {
            // The N weight matrices are one (N·out)×in matrix: one product for all members.
            kernels.linearForward(parameters, weightOffset, input, 0, bias, biasOffset, output, 0, outputSize(), batch,
                    memberInputs, activation);
            return output;
        }
        for (int i = 0; i < members; i++) {
            kernels.linearForward(parameters, weightOffset + i * weightSize(), input, i * memberInputs * batch, bias,
                    biasOffset + i * memberOutputs, output, i * memberOutputs * batch, memberOutputs, batch,
                    memberInputs, activation);
        }
        return output;
    }

    @Override
    protected float[] backward(float[] outputGradient, int batch) {
        if (!parameterGradientsNeeded && !inputGradientNeeded) {
            return null;
        }
        float[] dz = outputGradient;
        if (activation != Activation.IDENTITY) {
            kernels.activationBackward(activation, output, 0, outputGradient, 0, preActivationGradient, 0,
                    outputSize() * batch);
            dz = preActivationGradient;
        }
        int in = memberInputs;
        int out = memberOutputs;
        if (sharedInput) {
            if (parameterGradientsNeeded) {
                kernels.matmulTransB(dz, 0, batch, input, 0, batch, gradients, weightOffset, in, outputSize(), in,
                        batch, true);
                if (hasBias) {
                    kernels.rowSums(dz, 0, batch, outputSize(), batch, gradients, biasOffset, true);
                }
            }
            if (!inputGradientNeeded) {
                return null;
            }
            kernels.matmulTransA(parameters, weightOffset, in, dz, 0, batch, inputGradient, 0, batch, in, batch,
                    outputSize(), false);
            return inputGradient;
        }
        for (int i = 0; i < members; i++) {
            int w = weightOffset + i * weightSize();
            int z = i * out * batch;
            int x = i * in * batch;
            if (parameterGradientsNeeded) {
                kernels.matmulTransB(dz, z, batch, input, x, batch, gradients, w, in, out, in, batch, true);
                if (hasBias) {
                    kernels.rowSums(dz, z, batch, out, batch, gradients, biasOffset + i * out, true);
                }
            }
            if (inputGradientNeeded) {
                kernels.matmulTransA(parameters, w, in, dz, z, batch, inputGradient, x, batch, in, batch, out, false);
            }
        }
        return inputGradientNeeded ? inputGradient : null;
    }
}
