package dev.deepq.algo;

import dev.deepq.random.Gaussian;
import dev.deepq.random.Rng;
import dev.deepq.state.Checkpointable;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;

/**
 * Temporally correlated exploration noise (Lillicrap et al. 2016), one process per env and action dimension, as
 * Stable-Baselines3's {@code OrnsteinUhlenbeckActionNoise}:
 * {@code x <- x + theta (mu - x) dt + sigma sqrt(dt) N(0, 1)}, reset to 0 at the end of an env's episode.
 * Its stationary law is N(mu, sigma^2 / (2 theta)) and its autocorrelation over k steps is {@code (1 - theta dt)^k}.
 * It draws from its own generator, which a checkpoint saves with the process state.
 */
public final class OrnsteinUhlenbeckNoise implements Checkpointable {
    private final double theta;
    private final double sigma;
    private final double dt;
    private final int size;
    private final double[] x;
    private final float[] draws;
    private final Rng rng;

    /** @param processes independent processes (envs × action dimensions) */
    public OrnsteinUhlenbeckNoise(int processes, double sigma, double theta, double dt, Rng rng) {
        if (!(sigma >= 0) || !(theta > 0) || !(dt > 0)) {
            throw new IllegalArgumentException("OU noise needs sigma >= 0, theta > 0 and dt > 0, got sigma " + sigma
                    + ", theta " + theta + ", dt " + dt);
        }
        this.theta = theta;
        this.sigma = sigma;
        this.dt = dt;
        this.size = processes;
        this.x = new double[processes];
        this.draws = new float[processes];
        this.rng = rng;
    }

    /** Advances every process one step and returns the states (live array). */
    public double[] next() {
        Gaussian.fill(rng, draws, 0, size);
        double scale = sigma * Math.sqrt(dt);
        for (int i = 0; i < size; i++) {
            x[i] += -theta * x[i] * dt + scale * draws[i];
        }
        return x;
    }

    /** Resets processes {@code [from, from + count)} to 0 (an env's episode ended). */
    public void reset(int from, int count) {
        java.util.Arrays.fill(x, from, from + count, 0);
    }

    @Override
    public void saveState(StateWriter out) {
        out.putDoubles("x", x);
        out.putRng("rng", rng);
    }

    @Override
    public void restoreState(StateReader in) {
        in.readDoubles("x", x);
        in.readRng("rng", rng);
    }
}
