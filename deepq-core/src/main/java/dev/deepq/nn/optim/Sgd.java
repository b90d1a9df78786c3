package dev.deepq.nn.optim;

/**
 * Stochastic gradient descent exactly as {@code torch.optim.SGD}:
 * <pre>
 *   d ← g + wd·θ
 *   momentum μ ≠ 0: b ← d on the first step, else b ← μ·b + (1 − dampening)·d;
 *                   d ← d + μ·b (Nesterov) or d ← b
 *   θ ← θ − lr·d
 * </pre>
 * State: {@code momentum_buffer} (when μ ≠ 0) and the step counter (the first step initializes the buffer).
 */
public final class Sgd extends BaseOptimizer {
    private final float momentum;
    private final float oneMinusDampening;
    private final float weightDecay;
    private final boolean nesterov;
    private final float[] momentumBuffer;

    /** Plain SGD without momentum or weight decay. */
    public Sgd(int size, double learningRate) {
        this(size, learningRate, 0, 0, 0, false);
    }

    public Sgd(int size, double learningRate, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        super(size, learningRate);
        if (!(momentum >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("SGD momentum and weight decay must be non-negative, got "
                    + momentum + " and " + weightDecay);
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum > 0 and zero dampening");
        }
        this.momentum = (float) momentum;
        this.oneMinusDampening = (float) (1 - dampening);
        this.weightDecay = (float) weightDecay;
        this.nesterov = nesterov;
        this.momentumBuffer = momentum != 0 ? stateArray("momentum_buffer") : null;
    }

    @Override
    public void step(float[] parameters, float[] gradients) {
        boolean first = beginStep(parameters, gradients) == 1;
        int size = size();
        float negLr = (float) -learningRate();
        for (int i = 0; i < size; i++) {
            float p = parameters[i];
            float d = gradients[i] + weightDecay * p;
            if (momentumBuffer != null) {
                float b = first ? d : momentum * momentumBuffer[i] + oneMinusDampening * d;
                momentumBuffer[i] = b;
                d = nesterov ? d + momentum * b : b;
            }
            parameters[i] = p + negLr * d;
        }
    }
}
