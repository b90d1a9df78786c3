package dev.deepq.train;

import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.Space;
import dev.deepq.env.vector.VectorEnv;

/**
 * One action per env of a vector env, in the array type its action space takes: {@code int[]} for Discrete,
 * MultiDiscrete and MultiBinary, {@code double[]} for Box (flat, env {@code i}'s at {@code i * size}).
 */
public final class ActionBatch {
    private final boolean continuous;
    private final int size;
    private final int[] discrete;
    private final double[] box;

    public ActionBatch(Space actionSpace, int numEnvs) {
        this.continuous = actionSpace instanceof Box;
        this.size = actionSpace.size();
        this.discrete = continuous ? null : new int[numEnvs * size];
        this.box = continuous ? new double[numEnvs * size] : null;
    }

    public boolean isContinuous() {
        return continuous;
    }

    /** Numbers per env's action (1 for Discrete). */
    public int size() {
        return size;
    }

    /** The integer actions (Discrete: one per env). */
    public int[] discrete() {
        if (discrete == null) {
            throw new IllegalStateException("this action batch holds continuous (Box) actions");
        }
        return discrete;
    }

    /** The continuous actions. */
    public double[] box() {
        if (box == null) {
            throw new IllegalStateException("this action batch holds integer actions");
        }
        return box;
    }

    /** Steps the vector env with these actions. */
    public void stepWith(VectorEnv env) {
        if (continuous) {
            env.step(box);
        } else {
            env.step(discrete);
        }
    }
}
