package dev.deepq.eval;

import dev.deepq.env.Env;
import dev.deepq.env.StepResult;
import dev.deepq.train.Agent;

/**
 * Greedy evaluation of an agent on its own env: {@code episodes} complete episodes, the first from
 * {@code reset(seed)}, later ones continuing the env's stream, actions from {@link Agent#predict}.
 */
public final class Evaluation {
    private Evaluation() {}

    public static EpisodeStats run(Agent agent, Env env, int episodes, long seed) {
        return run(agent::predict, env, episodes, seed, 10_000_000L);
    }

    /** Chooses an action for one observation, written flat into {@code actionOut}. */
    @FunctionalInterface
    public interface Policy {
        void act(double[] observation, boolean[] actionMask, double[] actionOut);
    }

    /**
     * Runs {@code policy} for {@code episodes} complete episodes (the first from {@code reset(seed)}, later ones
     * continuing the env's stream), failing if an episode runs past {@code maxStepsPerEpisode}.
     */
    public static EpisodeStats run(Policy policy, Env env, int episodes, long seed, long maxStepsPerEpisode) {
        if (episodes <= 0) {
            throw new IllegalArgumentException("evaluation needs at least one episode, got " + episodes);
        }
        double[] action = new double[env.actionSpace().size()];
        double[] returns = new double[episodes];
        int[] lengths = new int[episodes];
        for (int e = 0; e < episodes; e++) {
            StepResult step = e == 0 ? env.reset(seed) : env.reset();
            double total = 0;
            int length = 0;
            while (!step.done()) {
                if (length >= maxStepsPerEpisode) {
                    throw new IllegalStateException(env.id() + ": an episode ran past " + maxStepsPerEpisode
                            + " steps without ending; wrap the env in a TimeLimit");
                }
                policy.act(step.observation(), step.actionMask(), action);
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
