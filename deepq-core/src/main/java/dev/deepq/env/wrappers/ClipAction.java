package dev.deepq.env.wrappers;

import dev.deepq.env.Env;
import dev.deepq.env.Wrapper;
import dev.deepq.env.spaces.Box;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;

/**
 * Clips Box actions into the env's bounds, as Gymnasium's {@code ClipAction}: the action passed on is
 * {@code clip(action, low, high)} element by element.
 *
 * <p>The wrapper's action space is {@code Box(-inf, inf)} of the inner shape and dtype, as in Gymnasium 1.0 (0.29.1
 * still reported the inner, bounded space). deepq checks every action against the action space, so with the bounded
 * space an out-of-range action would be rejected before it could be clipped, which would defeat the wrapper. NaN is
 * still rejected.
 */
public final class ClipAction extends Wrapper {
    private final Box bounds;
    private final double[] clipped;

    /** Clips actions for {@code env}, which must have a Box action space. */
    public ClipAction(Env env) {
        super(env, env.observationSpace(), unboundedLike(env));
        this.bounds = (Box) env.actionSpace();
        this.clipped = new double[bounds.size()];
    }

    private static Box unboundedLike(Env env) {
        if (!(env.actionSpace() instanceof Box box)) {
            throw new IllegalArgumentException("ClipAction needs a Box action space, but " + env.id() + " has "
                    + env.actionSpace());
        }
        return new Box(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, box.shape(), box.dtype());
    }

    @Override
    protected void stepEnv(double[] action) {
        for (int i = 0; i < clipped.length; i++) {
            clipped[i] = Math.min(Math.max(action[i], bounds.low(i)), bounds.high(i));
        }
        onStep(env.step(clipped));
    }

    /** Keeps no state of its own. */
    @Override
    protected void saveWrapperState(StateWriter out) {}

    @Override
    protected void restoreWrapperState(StateReader in) {}
}
