package dev.deepq.nn;

import dev.deepq.random.Rng;

/**
 * {@code torch.nn.Dropout(p)}: in training mode each element is zeroed with probability p and the survivors are
 * scaled by 1/(1 − p); in evaluation mode it passes its input through. The masks come from the {@link Rng} given
 * here, one {@link Rng#random()} draw per element in feature-major order.
 */
public final class Dropout extends Layer {
    private final double p;
    private final float keepScale;
    private final Rng rng;
    private boolean training = true;
    private boolean maskValid;
    private float[] mask;
    private float[] output;
    private float[] inputGradient;

    public Dropout(int size, double p, Rng rng) {
        super(size, size);
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
        }
        this.p = p;
        this.keepScale = p == 1 ? 0f : (float) (1.0 / (1.0 - p));
        this.rng = rng;
    }

    public double probability() {
        return p;
    }

    @Override
    protected void allocate() {
        mask = buffer(inputSize());
        output = buffer(inputSize());
        inputGradient = buffer(inputSize());
    }

    @Override
    protected void setTraining(boolean training) {
        this.training = training;
    }

    @Override
    protected float[] forward(float[] input, int batch) {
        maskValid = training && p > 0;
        if (!maskValid) {
            return input;
        }
        int n = inputSize() * batch;
        for (int i = 0; i < n; i++) {
            float m = rng.random() < p ? 0f : keepScale;
            mask[i] = m;
            output[i] = input[i] * m;
        }
        return output;
    }

    @Override
    protected float[] backward(float[] outputGradient, int batch) {
        if (!inputGradientNeeded) {
            return null;
        }
        if (!maskValid) {
            return outputGradient;
        }
        int n = inputSize() * batch;
        for (int i = 0; i < n; i++) {
            inputGradient[i] = outputGradient[i] * mask[i];
        }
        return inputGradient;
    }
}
