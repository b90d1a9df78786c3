package dev.deepq.nn;

import dev.deepq.random.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * A trainable network: a {@link Layer} tree whose parameters all live in one flat {@code float[]} (and their
 * gradients in another of the same layout), with buffers preallocated for a maximum batch so forward and backward
 * passes allocate nothing.
 *
 * <p>Inputs and outputs are batch-major like PyTorch's (sample i's features at {@code i * size}); inside, data is
 * feature-major (see {@link Layer}). Gradients accumulate across backward passes, as in PyTorch, until
 * {@link #zeroGradients()}. A backward pass applies to the most recent forward pass. Not thread-safe.
 *
 * <p>Parameter names and shapes ({@link #parameterViews()}) follow PyTorch's {@code state_dict}, so an optimizer is
 * a flat loop over {@link #parameters()} and a checkpoint writes the views as safetensors entries.
 */
public final class Network {
    private final Layer root;
    private final Kernels kernels;
    private final int maxBatch;
    private final float[] parameters;
    private final float[] gradients;
    private final List<ParameterView> views;
    private final float[] input;
    private final float[] output;
    private final float[] outputGradient;
    /** Batch-major d loss / d input of the last backward pass; null unless {@link #enableInputGradient()}. */
    private float[] inputGradient;
    private int lastBatch;
    private boolean training = true;
    private Network verifiedSource;

    private Network(Layer root, int maxBatch, Kernels kernels) {
        if (maxBatch <= 0) {
            throw new IllegalArgumentException("maxBatch must be positive, got " + maxBatch);
        }
        this.root = root;
        this.kernels = kernels;
        this.maxBatch = maxBatch;
        root.attach(kernels, maxBatch);
        root.setInputGradientNeeded(false);
        int count = root.parameterCount();
        parameters = new float[count];
        gradients = new float[count];
        root.bind(parameters, gradients, 0);
        List<ParameterView> described = new ArrayList<>();
        root.describe("", 0, described);
        views = List.copyOf(described);
        input = new float[Math.multiplyExact(root.inputSize(), maxBatch)];
        output = new float[Math.multiplyExact(root.outputSize(), maxBatch)];
        outputGradient = new float[Math.multiplyExact(root.outputSize(), maxBatch)];
    }

    /** A network on the process-wide {@link Kernels#get() kernels}; parameters are zero until {@link #initialize}. */
    public static Network create(Layer root, int maxBatch) {
        return create(root, maxBatch, Kernels.get());
    }

    /** A network on the given kernels; parameters are zero until {@link #initialize}. */
    public static Network create(Layer root, int maxBatch, Kernels kernels) {
        return new Network(root, maxBatch, kernels);
    }

    /** Sets every parameter to its layer's initial value (PyTorch's defaults unless configured), drawing from rng. */
    public Network initialize(Rng rng) {
        root.initialize(rng);
        return this;
    }

    public Layer root() {
        return root;
    }

    public Kernels kernels() {
        return kernels;
    }

    public int maxBatch() {
        return maxBatch;
    }

    public int inputSize() {
        return root.inputSize();
    }

    public int outputSize() {
        return root.outputSize();
    }

    /** All parameters, flat (live array: optimizers update it in place). */
    public float[] parameters() {
        return parameters;
    }

    /** All gradients, flat, same layout as {@link #parameters()} (live array). */
    public float[] gradients() {
        return gradients;
    }

    public int parameterCount() {
        return parameters.length;
    }

    /** The named tensors in the flat arrays, in PyTorch's {@code state_dict} order. */
    public List<ParameterView> parameterViews() {
        return views;
    }

    /** The view with this name. */
    public ParameterView parameter(String name) {
        for (ParameterView v : views) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        List<String> names = new ArrayList<>();
        for (ParameterView v : views) {
            names.add(v.name());
        }
        throw new IllegalArgumentException("no parameter named '" + name + "'; the network has " + names);
    }

    /** Training mode (dropout active) or evaluation mode. Networks start in training mode. */
    public void setTraining(boolean training) {
        this.training = training;
        root.setTraining(training);
    }

    public boolean training() {
        return training;
    }

    /** Forward pass on {@code batch} samples, batch-major from index 0; see {@link #forward(float[], int, int)}. */
    public float[] forward(float[] in, int batch) {
        return forward(in, 0, batch);
    }

    /**
     * Forward pass on {@code batch} samples stored batch-major in {@code in} from {@code offset}. Returns the
     * network's output buffer: batch × outputSize, batch-major, valid until the next forward pass.
     */
    public float[] forward(float[] in, int offset, int batch) {
        if (batch <= 0 || batch > maxBatch) {
            throw new IllegalArgumentException("batch must be in [1, " + maxBatch + "] for this network, got " + batch);
        }
        kernels.transpose(in, offset, batch, inputSize(), input, 0);
        float[] y = root.forward(input, batch);
        kernels.transpose(y, 0, outputSize(), batch, output, 0);
        lastBatch = batch;
        return output;
    }

    /**
     * Back-propagates {@code gradient} (d loss / d output, batch × outputSize, batch-major) through the most recent
     * forward pass and adds the parameter gradients to {@link #gradients()}.
     */
    public void backward(float[] gradient) {
        if (lastBatch == 0) {
            throw new IllegalStateException("backward needs a forward pass first");
        }
        int batch = lastBatch;
        kernels.transpose(gradient, 0, batch, outputSize(), outputGradient, 0);
        float[] dx = root.backward(outputGradient, batch);
        if (inputGradient != null) {
            kernels.transpose(dx, 0, inputSize(), batch, inputGradient, 0);
        }
    }

    /**
     * Back-propagates {@code gradient} (d loss / d output, batch × outputSize, batch-major) through the most recent
     * forward pass to d loss / d input only, readable from {@link #inputGradient()}: no layer computes or adds
     * parameter gradients, so {@link #gradients()} is left exactly as it was. For an actor-critic's policy update,
     * which needs dQ/da from the critic but must not train it: it saves the critic's weight-gradient products (a
     * third of a backward pass) and the zeroing that the next critic step would otherwise need. The input gradient
     * is bit-identical to the one {@link #backward} computes. Needs {@link #enableInputGradient()}.
     */
    public void backwardInputOnly(float[] gradient) {
        if (inputGradient == null) {
            throw new IllegalStateException("backwardInputOnly computes only d loss / d input, and input gradients"
                    + " are off; call enableInputGradient() first");
        }
        root.setParameterGradientsNeeded(false);
        try {
            backward(gradient);
        } finally {
            root.setParameterGradientsNeeded(true);
        }
    }

    /**
     * Makes every later {@link #backward} also compute d loss / d input (e.g. dQ/da for an actor-critic's policy
     * update), readable from {@link #inputGradient()}. Off by default: the first layer's input gradient costs a
     * matrix product no plain regression needs.
     */
    public Network enableInputGradient() {
        if (inputGradient == null) {
            root.setInputGradientNeeded(true);
            inputGradient = new float[Math.multiplyExact(inputSize(), maxBatch)];
        }
        return this;
    }

    /**
     * d loss / d input of the most recent backward pass, batch × inputSize, batch-major (live buffer, overwritten by
     * the next backward pass). Needs {@link #enableInputGradient()}.
     */
    public float[] inputGradient() {
        if (inputGradient == null) {
            throw new IllegalStateException("input gradients are off; call enableInputGradient() first");
        }
        return inputGradient;
    }

    /** The greedy action for one observation: argmax of the outputs (the first on ties). */
    public int act(float[] observation) {
        return act(observation, 0);
    }

    /** The greedy action for the observation at {@code offset}. */
    public int act(float[] observation, int offset) {
        float[] q = forward(observation, offset, 1);
        return ScalarKernels.argmax(q, 0, outputSize());
    }

    public void zeroGradients() {
        java.util.Arrays.fill(gradients, 0f);
    }

    /** Copies every parameter of {@code source} (same architecture) into this network: a hard target update. */
    public void copyParametersFrom(Network source) {
        checkSameLayout(source);
        System.arraycopy(source.parameters, 0, parameters, 0, parameters.length);
    }

    /**
     * Polyak averaging toward {@code source}: θ ← τ·θ_source + (1 − τ)·θ, as Stable-Baselines3's
     * {@code polyak_update} and CleanRL do for target networks.
     */
    public void polyakUpdate(Network source, double tau) {
        if (!(tau >= 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau must be in [0, 1], got " + tau);
        }
        checkSameLayout(source);
        kernels.axpby((float) tau, source.parameters, 0, (float) (1 - tau), parameters, 0, parameters.length);
    }

    private void checkSameLayout(Network source) {
        if (source == verifiedSource) {
            return;
        }
        if (!views.equals(source.views)) {
            throw new IllegalArgumentException("the networks have different parameters: " + source.views
                    + " vs " + views);
        }
        verifiedSource = source;
    }
}
