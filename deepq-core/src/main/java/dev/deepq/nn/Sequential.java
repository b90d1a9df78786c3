package dev.deepq.nn;

import dev.deepq.random.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Layers applied one after another, like {@code torch.nn.Sequential}. Children are named by their index unless
 * names are given, so parameter names match PyTorch's ({@code 0.weight}, {@code 2.bias}, ...).
 */
public final class Sequential extends Layer {
    private final List<String> names;
    private final List<Layer> children;

    /** Children named "0", "1", ... */
    public Sequential(Layer... children) {
        this(indexNames(children.length), List.of(children));
    }

    /** Children with explicit names (for example the indices PyTorch would give when activations are fused). */
    public Sequential(List<String> names, List<Layer> children) {
        super(first(children).inputSize(), children.get(children.size() - 1).outputSize());
        if (names.size() != children.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + children.size() + " layers");
        }
        for (int i = 1; i < children.size(); i++) {
            Layer prev = children.get(i - 1);
            Layer next = children.get(i);
            if (prev.outputSize() != next.inputSize()) {
                throw new IllegalArgumentException("layer " + names.get(i) + " (" + next.getClass().getSimpleName()
                        + ") takes " + next.inputSize() + " inputs but layer " + names.get(i - 1) + " ("
                        + prev.getClass().getSimpleName() + ") produces " + prev.outputSize());
            }
        }
        this.names = List.copyOf(names);
        this.children = List.copyOf(children);
    }

    private static Layer first(List<Layer> children) {
        if (children.isEmpty()) {
            throw new IllegalArgumentException("a Sequential needs at least one layer");
        }
        return children.get(0);
    }

    private static List<String> indexNames(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    /** The children in order. */
    public List<Layer> children() {
        return children;
    }

    /** The children's names in order. */
    public List<String> names() {
        return names;
    }

    @Override
    public int parameterCount() {
        int n = 0;
        for (Layer m : children) {
            n += m.parameterCount();
        }
        return n;
    }

    @Override
    protected void allocate() {
        for (Layer m : children) {
            m.attach(kernels, maxBatch);
        }
    }

    @Override
    protected void bind(float[] parameters, float[] gradients, int offset) {
        for (Layer m : children) {
            m.bind(parameters, gradients, offset);
            offset += m.parameterCount();
        }
    }

    @Override
    protected void describe(String prefix, int offset, List<ParameterView> out) {
        for (int i = 0; i < children.size(); i++) {
            Layer m = children.get(i);
            m.describe(join(prefix, names.get(i)), offset, out);
            offset += m.parameterCount();
        }
    }

    @Override
    protected void initialize(Rng rng) {
        for (Layer m : children) {
            m.initialize(rng);
        }
    }

    @Override
    protected void setTraining(boolean training) {
        for (Layer m : children) {
            m.setTraining(training);
        }
    }

    @Override
    protected void setInputGradientNeeded(boolean needed) {
        super.setInputGradientNeeded(needed);
        children.get(0).setInputGradientNeeded(needed);
    }

    @Override
    protected void setParameterGradientsNeeded(boolean needed) {
        super.setParameterGradientsNeeded(needed);
        for (int i = 0; i < children.size(); i++) {
            children.get(i).setParameterGradientsNeeded(needed);
        }
    }

    @Override
    protected float[] forward(float[] input, int batch) {
        float[] h = input;
        for (int i = 0; i < children.size(); i++) {
            h = children.get(i).forward(h, batch);
        }
        return h;
    }

    @Override
    protected float[] backward(float[] outputGradient, int batch) {
        float[] g = outputGradient;
        for (int i = children.size() - 1; i >= 0; i--) {
            g = children.get(i).backward(g, batch);
        }
        return g;
    }
}
