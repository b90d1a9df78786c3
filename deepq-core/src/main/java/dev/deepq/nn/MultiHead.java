package dev.deepq.nn;

import dev.deepq.random.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Several heads reading the same features, their outputs concatenated (head 0's outputs first): per-dimension
 * Q-value branches for MultiDiscrete actions, or any other multi-output network on one torso. Heads are named
 * "0", "1", ... unless names are given.
 */
public final class MultiHead extends Layer {
    private final List<String> names;
    private final List<Layer> heads;
    private final int[] offsets;
    private float[] output;
    private float[][] headGradients;
    private float[] inputGradient;

    public MultiHead(Layer... heads) {
        this(indexNames(heads.length), List.of(heads));
    }

    public MultiHead(List<String> names, List<Layer> heads) {
        super(check(heads).get(0).inputSize(), totalOutputs(heads));
        if (names.size() != heads.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + heads.size() + " heads");
        }
        offsets = new int[heads.size()];
        int offset = 0;
        for (int i = 0; i < heads.size(); i++) {
            Layer h = heads.get(i);
            if (h.inputSize() != inputSize()) {
                throw new IllegalArgumentException("head " + names.get(i) + " takes " + h.inputSize()
                        + " inputs but head " + names.get(0) + " takes " + inputSize());
            }
            offsets[i] = offset;
            offset += h.outputSize();
        }
        this.names = List.copyOf(names);
        this.heads = List.copyOf(heads);
    }

    private static List<Layer> check(List<Layer> heads) {
        if (heads.isEmpty()) {
            throw new IllegalArgumentException("a MultiHead needs at least one head");
        }
        return heads;
    }

    private static int totalOutputs(List<Layer> heads) {
        int n = 0;
        for (Layer h : heads) {
            n += h.outputSize();
        }
        return n;
    }

    private static List<String> indexNames(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    public int headCount() {
        return heads.size();
    }

    /** Where head {@code i}'s outputs start within each sample's outputs. */
    public int headOffset(int i) {
        return offsets[i];
    }

    /** How many outputs head {@code i} has. */
    public int headSize(int i) {
        return heads.get(i).outputSize();
    }

    @Override
    public int parameterCount() {
        int n = 0;
        for (Layer h : heads) {
            n += h.parameterCount();
        }
        return n;
    }

    @Override
    protected void allocate() {
        output = buffer(outputSize());
        inputGradient = buffer(inputSize());
        headGradients = new float[heads.size()][];
        for (int i = 0; i < heads.size(); i++) {
            Layer h = heads.get(i);
            h.attach(kernels, maxBatch);
            headGradients[i] = buffer(h.outputSize());
        }
    }

    @Override
    protected void bind(float[] parameters, float[] gradients, int offset) {
        for (Layer h : heads) {
            h.bind(parameters, gradients, offset);
            offset += h.parameterCount();
        }
    }

    @Override
    protected void describe(String prefix, int offset, List<ParameterView> out) {
        for (int i = 0; i < heads.size(); i++) {
            heads.get(i).describe(join(prefix, names.get(i)), offset, out);
            offset += heads.get(i).parameterCount();
        }
    }

    @Override
    protected void initialize(Rng rng) {
        for (Layer h : heads) {
            h.initialize(rng);
        }
    }

    @Override
    protected void setTraining(boolean training) {
        for (Layer h : heads) {
            h.setTraining(training);
        }
    }

    @Override
    protected void setInputGradientNeeded(boolean needed) {
        super.setInputGradientNeeded(needed);
        for (Layer h : heads) {
            h.setInputGradientNeeded(needed);
        }
    }

    @Override
    protected void setParameterGradientsNeeded(boolean needed) {
        super.setParameterGradientsNeeded(needed);
        for (int i = 0; i < heads.size(); i++) {
            heads.get(i).setParameterGradientsNeeded(needed);
        }
    }

    @Override
    protected float[] forward(float[] input, int batch) {
        // Feature-major: head i's rows form one contiguous block of the concatenated output.
        for (int i = 0; i < heads.size(); i++) {
            Layer h = heads.get(i);
            float[] y = h.forward(input, batch);
            System.arraycopy(y, 0, output, offsets[i] * batch, h.outputSize() * batch);
        }
        return output;
    }

    @Override
    protected float[] backward(float[] outputGradient, int batch) {
        int n = inputSize() * batch;
        for (int i = 0; i < heads.size(); i++) {
            Layer h = heads.get(i);
            System.arraycopy(outputGradient, offsets[i] * batch, headGradients[i], 0, h.outputSize() * batch);
            float[] dx = h.backward(headGradients[i], batch);
            if (inputGradientNeeded) {
                if (i == 0) {
                    System.arraycopy(dx, 0, inputGradient, 0, n);
                } else {
                    kernels.axpy(1f, dx, 0, inputGradient, 0, n);
                }
            }
        }
        return inputGradientNeeded ? inputGradient : null;
    }
}
