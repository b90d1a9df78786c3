package dev.deepq.nn;

import dev.deepq.random.Rng;
import java.util.List;

/**
 * A piece of a network with an explicit forward and backward pass. Layers are assembled into a tree (like PyTorch modules) and handed
 * to {@link Network}, which owns the flat parameter and gradient arrays and the batch-major boundary; a layer is
 * used by one network only.
 *
 * <p>Inside a network data is <em>feature-major</em>: a batch of {@code n} vectors of size {@code f} is an f×n
 * row-major matrix (element (feature i, sample j) at {@code i * n + j}), so dense layers multiply W·X with the
 * batch along the vector lanes and no weight matrix is ever transposed. Every layer owns its output and
 * input-gradient buffers, sized for the network's maximum batch when the network is built; forward and backward
 * return those buffers (or, for layers that do nothing, their argument).
 */
public abstract class Layer {
    private final int inputSize;
    private final int outputSize;
    private boolean attached;
    /** The kernels of the network this layer belongs to (set by {@link #attach}). */
    protected Kernels kernels;
    /** The largest batch the buffers hold (set by {@link #attach}). */
    protected int maxBatch;
    /** Whether backward must produce the input gradient (false for the network's first layer). */
    protected boolean inputGradientNeeded = true;
    /**
     * Whether backward must add this layer's parameter gradients (false during
     * {@link Network#backwardInputOnly}, which wants only the input gradient).
     */
    protected boolean parameterGradientsNeeded = true;

    protected Layer(int inputSize, int outputSize) {
        if (inputSize <= 0 || outputSize <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " sizes must be positive, got input "
                    + inputSize + " and output " + outputSize);
        }
        this.inputSize = inputSize;
        this.outputSize = outputSize;
    }

    /** Features per sample going in. */
    public final int inputSize() {
        return inputSize;
    }

    /** Features per sample coming out. */
    public final int outputSize() {
        return outputSize;
    }

    /** Number of float parameters, children included. */
    public int parameterCount() {
        return 0;
    }

    /** Called once by the network: remembers the kernels and allocates buffers for {@code maxBatch} samples. */
    void attach(Kernels kernels, int maxBatch) {
        if (attached) {
            throw new IllegalStateException(getClass().getSimpleName() + " already belongs to a network;"
                    + " build new layers for each network");
        }
        attached = true;
        this.kernels = kernels;
        this.maxBatch = maxBatch;
        allocate();
    }

    /** Allocates this layer's buffers (children: call their {@link #attach}). */
    protected abstract void allocate();

    /** Points this layer at its parameters and gradients, which start at {@code offset} in the flat arrays. */
    protected void bind(float[] parameters, float[] gradients, int offset) {}

    /** Appends this layer's named parameter views (names prefixed with {@code prefix}, offsets from {@code offset}). */
    protected void describe(String prefix, int offset, List<ParameterView> out) {}

    /** Sets the parameters to this layer's initial values, drawing from {@code rng}. */
    protected void initialize(Rng rng) {}

    /** Training or evaluation mode (only dropout cares). */
    protected void setTraining(boolean training) {}

    /** Whether backward must produce the gradient with respect to the input. */
    protected void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
    }

    /**
     * Whether backward must add parameter gradients to the gradient array. Containers pass the setting on to their
     * children; a layer with parameters must skip its parameter gradients (and leave the gradient array untouched)
     * when it is false, while still returning exactly the input gradient it returns otherwise.
     */
    protected void setParameterGradientsNeeded(boolean needed) {
        parameterGradientsNeeded = needed;
    }

    /**
     * Computes the output for {@code batch} samples of input (feature-major, inputSize×batch from index 0) and
     * returns the buffer holding it (outputSize×batch from index 0). The layer may keep a reference to
     * {@code input} for the backward pass.
     */
    protected abstract float[] forward(float[] input, int batch);

    /**
     * Back-propagates {@code outputGradient} (outputSize×batch) through the most recent forward pass: adds the
     * parameter gradients to the gradient array (unless {@link #setParameterGradientsNeeded} said they are not
     * needed) and returns the input gradient (inputSize×batch), or null when {@link #setInputGradientNeeded} said it
     * is not needed.
     */
    protected abstract float[] backward(float[] outputGradient, int batch);

    /** A buffer for {@code rows} features of the maximum batch. */
    protected final float[] buffer(int rows) {
        return new float[Math.multiplyExact(rows, maxBatch)];
    }

    static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }
}
