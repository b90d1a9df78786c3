package dev.deepq.train;

/** Hooks into a {@link Trainer} run: evaluation, logging, checkpoints, progress. All default to doing nothing. */
public interface Callback {
    default void onStart(Trainer trainer) {}

    /** After every vector step (all envs stepped and the agent has learned from it). */
    default void onStep(Trainer trainer) {}

    /** When env {@code envIndex} finishes an episode (terminated or truncated) on the current step. */
    default void onEpisodeEnd(Trainer trainer, int envIndex, double episodeReturn, int episodeLength) {}

    default void onEnd(Trainer trainer) {}
}
