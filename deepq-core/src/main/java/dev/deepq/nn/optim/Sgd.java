package dev.deepq.nn.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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
public final class Sgd implements Optimizer {
    private final int size;
    private final float momentum;
    private final float oneMinusDampening;
    private final float weightDecay;
    private final boolean nesterov;
    private final float[] momentumBuffer;
    private final Map<String, float[]> state;
    private double learningRate;
    private long steps;

    /** Plain SGD without momentum or weight decay. */
    public Sgd(int size, double learningRate) {
        this(size, learningRate, 0, 0, 0, false);
    }

    public Sgd(int size, double learningRate, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        Adam.checkLearningRate(learningRate);
        if (!(momentum >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("SGD momentum and weight decay must be non-negative, got "
                    + momentum + " and " + weightDecay);
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum > 0 and zero dampening");
        }
        this.size = size;
        this.learningRate = learningRate;
        this.momentum = (float) momentum;
        this.oneMinusDampening = (float) (1 - dampening);
        this.weightDecay = (float) weightDecay;
        this.nesterov = nesterov;
        this.momentumBuffer = momentum != 0 ? new float[size] : null;
        Map<String, float[]> s = new LinkedHashMap<>();
        if (momentumBuffer != null) {
            s.put("momentum_buffer", momentumBuffer);
        }
        this.state = Collections.unmodifiableMap(s);
    }

    @Override
    public void step(float[] parameters, float[] gradients) {
        Optimizer.checkSizes(this, parameters, gradients);
        boolean first = steps == 0;
        steps++;
        float negLr = (float) -learningRate;
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

    @Override
    public int size() {
        return size;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(double learningRate) {
        Adam.checkLearningRate(learningRate);
        this.learningRate = learningRate;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void setSteps(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be non-negative, got " + steps);
        }
        this.steps = steps;
    }

    @Override
    public Map<String, float[]> state() {
        return state;
    }
}
