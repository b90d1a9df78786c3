package dev.deepq.eval;

import dev.deepq.env.Env;
import dev.deepq.env.StepResult;
import dev.deepq.env.spaces.Space;

/**
 * The uniformly random policy: the baseline every score is normalized against. Actions come from the env's action
 * space seeded with the run seed (as {@code env.action_space.seed(seed)} in Gymnasium), the first episode starts
 * from {@code reset(seed)} and later ones continue the env's stream, so the result is reproducible and matches
 * what the same protocol gives with Gymnasium for envs whose dynamics and spaces deepq reproduces exactly.
 */
public final class RandomPolicy {
    private RandomPolicy() {}

    /**
     * Runs {@code episodes} complete episodes. Envs without a time limit must end on their own; {@code maxStepsPerEpisode}
     * guards against ones that never do (an error, since a truncated-by-us return would not be a fair baseline).
     */
    public static EpisodeStats evaluate(Env env, int episodes, long seed, long maxStepsPerEpisode) {
        if (episodes <= 0) {
            throw new IllegalArgumentException("episodes must be positive, got " + episodes);
        }
        Space actions = env.actionSpace();
        actions.seed(seed);
        double[] action = new double[actions.size()];
        double[] returns = new double[episodes];
        int[] lengths = new int[episodes];
        for (int e = 0; e < episodes; e++) {
            StepResult step = e == 0 ? env.reset(seed) : env.reset();
            double total = 0;
            int length = 0;
            while (!step.done()) {
                if (length >= maxStepsPerEpisode) {
                    throw new IllegalStateException(env.id() + ": an episode of the random policy ran past "
                            + maxStepsPerEpisode + " steps without ending; wrap the env in a TimeLimit");
                }
                actions.sampleFlat(actions.rng(), action, 0);
                step = env.stepFlat(action, 0);
                total += step.reward();
                length++;
            }
            returns[e] = total;
            lengths[e] = length;
        }
        return new EpisodeStats(returns, lengths);
    }
}
