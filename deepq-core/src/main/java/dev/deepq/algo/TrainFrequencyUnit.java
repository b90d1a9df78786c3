package dev.deepq.algo;

/** What an off-policy agent's {@code train_frequency} counts (Stable-Baselines3's {@code train_freq} unit). */
public enum TrainFrequencyUnit {
    /** Vector-env steps: a training round every train_frequency steps. */
    STEP,
    /** Finished episodes, over all envs: a training round once train_frequency episodes have ended since the last. */
    EPISODE
}
