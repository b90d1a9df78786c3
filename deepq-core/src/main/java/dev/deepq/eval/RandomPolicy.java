package dev.deepq.eval;

import dev.deepq.env.Env;
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
        Space actions = env.actionSpace();
        actions.seed(seed);
        return Evaluation.run((observation, mask, out) -> actions.sampleFlat(actions.rng(), out, 0),
                env, episodes, seed, maxStepsPerEpisode);
    }
}
