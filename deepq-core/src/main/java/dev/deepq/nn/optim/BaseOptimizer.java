package dev.deepq.nn.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every optimizer keeps besides its update rule: its size, learning rate, step counter and named state arrays. */
abstract class BaseOptimizer implements Optimizer {
    private final int size;
    private final Map<String, float[]> state = new LinkedHashMap<>();
    private final Map<String, float[]> stateView = Collections.unmodifiableMap(state);
    private double learningRate;
    private long steps;

    BaseOptimizer(int size, double learningRate) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be non-negative, got " + size);
        }
        checkLearningRate(learningRate);
        this.size = size;
        this.learningRate = learningRate;
    }

    static void checkLearningRate(double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a non-negative number, got " + learningRate);
        }
    }

    /** A new state array of {@link #size()} floats, saved under {@code name} (PyTorch's state key). */
    final float[] stateArray(String name) {
        float[] array = new float[size];
        state.put(name, array);
        return array;
    }

    /** Checks the arrays and counts the step; returns the step number (1 on the first step). */
    final long beginStep(float[] parameters, float[] gradients) {
        Optimizer.checkSizes(this, parameters, gradients);
        return ++steps;
    }

    @Override
    public final int size() {
        return size;
    }

    @Override
    public final double learningRate() {
        return learningRate;
    }

    @Override
    public final void setLearningRate(double learningRate) {
        checkLearningRate(learningRate);
        this.learningRate = learningRate;
    }

    @Override
    public final long steps() {
        return steps;
    }

    @Override
    public final void setSteps(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be non-negative, got " + steps);
        }
        this.steps = steps;
    }

    @Override
    public final Map<String, float[]> state() {
        return stateView;
    }
}
