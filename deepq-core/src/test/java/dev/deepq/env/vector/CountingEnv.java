package dev.deepq.env.vector;

import dev.deepq.env.Env;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.DType;
import dev.deepq.env.spaces.Space;

/**
 * A tiny test env. Observation: [a draw from the env's generator made at reset, steps taken, sum of all action
 * numbers this episode]. Reward: 1 + the action numbers' sum. Terminates after {@code episodeLength} steps. Info:
 * "steps" on every step, "reset" = 1 on reset. Optionally throws once, on its {@code failAtStep}-th step overall.
 */
final class CountingEnv extends Env {
    static final Box OBSERVATION_SPACE = new Box(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, new int[] {3},
            DType.FLOAT64);

    private final int episodeLength;
    private int failAtStep = -1;
    private int totalSteps;

    CountingEnv(Space actionSpace, int episodeLength) {
        super(OBSERVATION_SPACE, actionSpace);
        this.episodeLength = episodeLength;
    }

    CountingEnv failingAtStep(int step) {
        failAtStep = step;
        return this;
    }

    @Override
    protected void resetEnv(boolean seeded, long seed) {
        observation[0] = rng().random();
        observation[1] = 0;
        observation[2] = 0;
        info.put("reset", 1);
    }

    @Override
    protected void stepEnv(int action) {
        advance(action);
    }

    @Override
    protected void stepEnv(int[] action) {
        double sum = 0;
        for (int a : action) {
            sum += a;
        }
        advance(sum);
    }

    @Override
    protected void stepEnv(double[] action) {
        double sum = 0;
        for (double a : action) {
            sum += a;
        }
        advance(sum);
    }

    private void advance(double actionSum) {
        totalSteps++;
        if (totalSteps == failAtStep) {
            throw new IllegalStateException("CountingEnv failure injected at step " + totalSteps);
        }
        observation[1] += 1;
        observation[2] += actionSum;
        info.put("steps", observation[1]);
        result.set(1 + actionSum, observation[1] >= episodeLength, false);
    }
}
