package dev.deepq.env.wrappers;

import dev.deepq.env.Env;
import dev.deepq.env.Wrapper;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.DType;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.util.Arrays;

/**
 * Affinely maps actions from {@code [minAction, maxAction]} onto the env's Box bounds, as Gymnasium 0.29.1's
 * {@code RescaleAction}: {@code low + (high - low) * ((action - min) / (max - min))}, then clipped to
 * {@code [low, high]} against rounding. The wrapper's action space is {@code Box(minAction, maxAction)} with the inner
 * shape and dtype, so an action outside it is an error.
 *
 * <p>For a float32 action space the map is evaluated in float32, step by step, as NumPy evaluates it for float32
 * actions (the action is first rounded to float32, which an element of a float32 space already is); for float64 in
 * double. The bounds on both sides must be finite and {@code minAction < maxAction} (Gymnasium allows equality, which
 * produces NaN).
 */
public final class RescaleAction extends Wrapper {
    private final Box inner;
    private final Box outer;
    private final boolean float32;
    private final double[] rescaled;

    /** The same range {@code [minAction, maxAction]} for every action element. */
    public RescaleAction(Env env, double minAction, double maxAction) {
        this(env, filled(env, minAction), filled(env, maxAction));
    }

    /** Per-element ranges, flat in the action space's row-major order. */
    public RescaleAction(Env env, double[] minAction, double[] maxAction) {
        super(env, env.observationSpace(), rescaledSpace(env, minAction, maxAction));
        this.inner = (Box) env.actionSpace();
        this.outer = (Box) actionSpace();
        this.float32 = inner.dtype() == DType.FLOAT32;
        this.rescaled = new double[inner.size()];
    }

    private static Box innerBox(Env env) {
        if (!(env.actionSpace() instanceof Box box)) {
            throw new IllegalArgumentException("RescaleAction needs a Box action space, but " + env.id() + " has "
                    + env.actionSpace());
        }
        if (box.dtype().isInteger()) {
            throw new IllegalArgumentException("RescaleAction needs a floating-point Box action space, but " + env.id()
                    + " has " + box);
        }
        for (int i = 0; i < box.size(); i++) {
            if (!box.isBoundedBelow(i) || !box.isBoundedAbove(i)) {
                throw new IllegalArgumentException("RescaleAction needs finite action bounds, but " + env.id() + " has "
                        + box + " (element " + i + " is unbounded)");
            }
        }
        return box;
    }

    private static double[] filled(Env env, double value) {
        double[] a = new double[innerBox(env).size()];
        Arrays.fill(a, value);
        return a;
    }

    private static Box rescaledSpace(Env env, double[] minAction, double[] maxAction) {
        Box box = innerBox(env);
        if (minAction.length != box.size() || maxAction.length != box.size()) {
            throw new IllegalArgumentException("RescaleAction bounds must have " + box.size() + " elements for "
                    + box + ", got " + minAction.length + " and " + maxAction.length);
        }
        for (int i = 0; i < minAction.length; i++) {
            if (!(minAction[i] < maxAction[i]) || Double.isInfinite(minAction[i]) || Double.isInfinite(maxAction[i])) {
                throw new IllegalArgumentException("RescaleAction needs finite minAction < maxAction, but element " + i
                        + " has min " + minAction[i] + " and max " + maxAction[i]);
            }
        }
        Box outer = new Box(minAction, maxAction, box.shape(), box.dtype());
        for (int i = 0; i < outer.size(); i++) {
            // Rounding to float32 can collapse a narrow range.
            if (!(outer.low(i) < outer.high(i))) {
                throw new IllegalArgumentException("RescaleAction range of element " + i + " is empty in " + box.dtype()
                        + ": [" + outer.low(i) + ", " + outer.high(i) + "]");
            }
        }
        return outer;
    }

    @Override
    protected void stepEnv(double[] action) {
        for (int i = 0; i < rescaled.length; i++) {
            rescaled[i] = float32 ? rescale32(i, (float) action[i]) : rescale64(i, action[i]);
        }
        onStep(env.step(rescaled));
    }

    private double rescale32(int i, float a) {
        float low = (float) inner.low(i);
        float high = (float) inner.high(i);
        float min = (float) outer.low(i);
        float max = (float) outer.high(i);
        float v = low + (high - low) * ((a - min) / (max - min));
        return Math.min(Math.max(v, low), high);
    }

    private double rescale64(int i, double a) {
        double low = inner.low(i);
        double high = inner.high(i);
        double min = outer.low(i);
        double max = outer.high(i);
        double v = low + (high - low) * ((a - min) / (max - min));
        return Math.min(Math.max(v, low), high);
    }

    /** Keeps no state of its own. */
    @Override
    protected void saveWrapperState(StateWriter out) {}

    @Override
    protected void restoreWrapperState(StateReader in) {}
}
