package dev.deepq.algo;

import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;

/**
 * When an off-policy agent trains, and how many gradient steps a round makes, as Stable-Baselines3's
 * {@code train_freq} and {@code gradient_steps}: a round every {@code frequency} vector-env steps, or once
 * {@code frequency} episodes have ended since the last round (over all envs); each of {@code gradientSteps} gradient
 * steps, or with -1 one per env step taken since the last round (all envs counted). The steps and episodes of a round
 * are consumed whether or not the agent can train then (before learning_starts, or with less than a batch in replay),
 * as in Stable-Baselines3, where every rollout ends a round.
 */
final class TrainingRounds {
    /** {@code gradientSteps} value meaning "as many as env steps since the last round". */
    static final int AS_MANY_AS_STEPS = -1;

    private final TrainFrequencyUnit unit;
    private final int frequency;
    private final int gradientSteps;
    private long stepsSinceRound;
    private long episodesSinceRound;
    /** Whether the step {@link #afterStep} last counted ended a round (trained or not). */
    private boolean roundEnded;

    /** Checks a config's {@code train_frequency_unit} and {@code gradient_steps}. */
    static void validate(TrainFrequencyUnit unit, int gradientSteps) {
        if (unit == null) {
            throw new IllegalArgumentException("train_frequency_unit must be step or episode");
        }
        if (gradientSteps <= 0 && gradientSteps != AS_MANY_AS_STEPS) {
            throw new IllegalArgumentException("gradient_steps must be positive, or -1 for one per env step since the"
                    + " previous round, got " + gradientSteps);
        }
    }

    TrainingRounds(TrainFrequencyUnit unit, int frequency, int gradientSteps) {
        this.unit = unit;
        this.frequency = frequency;
        this.gradientSteps = gradientSteps;
    }

    /**
     * Counts one vector step ({@code stepCount} env steps taken in all, {@code ended[i]} for the envs whose episode
     * ended) and returns how many gradient steps to make now: 0 unless a round falls here and {@code canTrain}.
     */
    int afterStep(long stepCount, int numEnvs, boolean[] ended, boolean canTrain) {
        stepsSinceRound += numEnvs;
        for (int i = 0; i < numEnvs; i++) {
            if (ended[i]) {
                episodesSinceRound++;
            }
        }
        boolean due = unit == TrainFrequencyUnit.STEP ? (stepCount / numEnvs) % frequency == 0
                : episodesSinceRound >= frequency;
        roundEnded = due;
        if (!due) {
            return 0;
        }
        long collected = stepsSinceRound;
        stepsSinceRound = 0;
        episodesSinceRound = 0;
        if (!canTrain) {
            return 0;
        }
        return gradientSteps == AS_MANY_AS_STEPS ? (int) collected : gradientSteps;
    }

    /**
     * Whether the step {@link #afterStep} last counted ended a round, whether or not it trained: where
     * Stable-Baselines3 ends a rollout (and starts the next one).
     */
    boolean roundEnded() {
        return roundEnded;
    }

    /** Vector steps taken since the last round ended, as of the step {@link #afterStep} last counted. */
    long vectorStepsSinceRound(long stepCount, int numEnvs) {
        return unit == TrainFrequencyUnit.STEP ? (stepCount / numEnvs) % frequency : stepsSinceRound / numEnvs;
    }

    /** Whether the counters matter (a fixed round every few steps depends on the step count alone). */
    private boolean counting() {
        return unit == TrainFrequencyUnit.EPISODE || gradientSteps == AS_MANY_AS_STEPS;
    }

    void saveState(StateWriter out) {
        if (counting()) {
            out.putLong("steps_since_round", stepsSinceRound);
            out.putLong("episodes_since_round", episodesSinceRound);
        }
    }

    void restoreState(StateReader in) {
        if (counting()) {
            stepsSinceRound = in.getLong("steps_since_round");
            episodesSinceRound = in.getLong("episodes_since_round");
        }
    }
}
