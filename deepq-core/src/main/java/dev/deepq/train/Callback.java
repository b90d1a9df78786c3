package dev.deepq.train;

/**
 * Hooks into a {@link Trainer} run: evaluation, logging, checkpoints, progress. All default to doing nothing.
 *
 * <p>A callback whose state shapes the run's results (evaluation schedule, recorded rows) also implements
 * {@link dev.deepq.state.Checkpointable}, so that a resumed run produces the same output as an uninterrupted one.
 */
public interface Callback {
    default void onStart(Trainer trainer) {}

    /**
     * Instead of {@link #onStart} when the trainer continues from a checkpoint: the callback's state, if it is
     * checkpointable, has been restored. By default it calls {@link #onStart} (for callbacks without saved state,
     * such as progress output).
     */
    default void onResume(Trainer trainer) {
        onStart(trainer);
    }

    /** After every vector step (all envs stepped and the agent has learned from it). */
    default void onStep(Trainer trainer) {}

    /** When env {@code envIndex} finishes an episode (terminated or truncated) on the current step. */
    default void onEpisodeEnd(Trainer trainer, int envIndex, double episodeReturn, int episodeLength) {}

    default void onEnd(Trainer trainer) {}
}
