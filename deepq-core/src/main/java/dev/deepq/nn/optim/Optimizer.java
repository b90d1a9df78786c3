package dev.deepq.nn.optim;

import java.util.Map;

/**
 * An in-place first-order optimizer over one flat parameter array and its gradient array (a
 * {@link dev.deepq.nn.Network}'s {@code parameters()} and {@code gradients()}). All state is flat float arrays plus
 * a step counter, so a checkpoint can save and restore it exactly.
 */
public interface Optimizer {

    /** Applies one update to {@code parameters[0, size())} using {@code gradients}. Allocates nothing. */
    void step(float[] parameters, float[] gradients);

    /** Number of parameters this optimizer was made for. */
    int size();

    double learningRate();

    /** Changes the learning rate (for schedules); takes effect at the next step. */
    void setLearningRate(double learningRate);

    /** Updates applied so far. */
    long steps();

    /** Restores the step counter (with {@link #state()} arrays, from a checkpoint). */
    void setSteps(long steps);

    /** The state arrays by name (live references: write into them to restore). Names follow PyTorch's state keys. */
    Map<String, float[]> state();

    /** Checks sizes once per call; cheap enough for the hot path. */
    static void checkSizes(Optimizer optimizer, float[] parameters, float[] gradients) {
        if (parameters.length < optimizer.size() || gradients.length < optimizer.size()) {
            throw new IllegalArgumentException(optimizer.getClass().getSimpleName() + " was made for "
                    + optimizer.size() + " parameters but got arrays of " + parameters.length + " parameters and "
                    + gradients.length + " gradients");
        }
    }
}
