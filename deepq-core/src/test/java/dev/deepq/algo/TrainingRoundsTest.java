package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stable-Baselines3's train_freq / gradient_steps semantics, step by step. */
class TrainingRoundsTest {

    /** Gradient steps returned at each vector step of one env whose episodes have the given lengths. */
    private static List<Integer> run(TrainingRounds rounds, int[] lengths, long learningStarts) {
        List<Integer> out = new ArrayList<>();
        long step = 0;
        for (int length : lengths) {
            for (int t = 1; t <= length; t++) {
                step++;
                out.add(rounds.afterStep(step, 1, new boolean[] {t == length}, step > learningStarts));
            }
        }
        return out;
    }

    @Test
    void afterEveryEpisodeOneGradientStepPerEnvStepOfIt() {
        TrainingRounds rounds = new TrainingRounds(TrainFrequencyUnit.EPISODE, 1, -1);
        assertThat(run(rounds, new int[] {3, 5, 2}, 0)).containsExactly(0, 0, 3, 0, 0, 0, 0, 5, 0, 2);
    }

    @Test
    void everySecondEpisodeAndAFixedCount() {
        assertThat(run(new TrainingRounds(TrainFrequencyUnit.EPISODE, 2, -1), new int[] {3, 5, 2, 1}, 0))
                .containsExactly(0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 3);
        assertThat(run(new TrainingRounds(TrainFrequencyUnit.EPISODE, 1, 4), new int[] {3, 5}, 0))
                .containsExactly(0, 0, 4, 0, 0, 0, 0, 4);
    }

    @Test
    void roundsBeforeLearningStartsConsumeTheirSteps() {
        // SB3: the episode ending at step 3 is a round that cannot train (3 <= learning_starts 4); the next round
        // trains on its own 5 steps only.
        assertThat(run(new TrainingRounds(TrainFrequencyUnit.EPISODE, 1, -1), new int[] {3, 5}, 4))
                .containsExactly(0, 0, 0, 0, 0, 0, 0, 5);
    }

    @Test
    void stepUnitWithSeveralEnvs() {
        TrainingRounds rounds = new TrainingRounds(TrainFrequencyUnit.STEP, 2, -1);
        boolean[] none = new boolean[3];
        List<Integer> out = new ArrayList<>();
        for (long vectorStep = 1; vectorStep <= 6; vectorStep++) {
            out.add(rounds.afterStep(vectorStep * 3, 3, none, true));
        }
        assertThat(out).containsExactly(0, 6, 0, 6, 0, 6);
        // Episodes count over all envs: two ending on one vector step make two.
        TrainingRounds episodes = new TrainingRounds(TrainFrequencyUnit.EPISODE, 2, -1);
        assertThat(episodes.afterStep(3, 3, new boolean[] {true, false, true}, true)).isEqualTo(3);
    }

    @Test
    void countersSurviveACheckpoint() {
        int[] lengths = {3, 5, 2, 4};
        List<Integer> whole = run(new TrainingRounds(TrainFrequencyUnit.EPISODE, 1, -1), lengths, 0);

        TrainingRounds first = new TrainingRounds(TrainFrequencyUnit.EPISODE, 1, -1);
        List<Integer> out = new ArrayList<>();
        for (int t = 1; t <= 5; t++) {
            out.add(first.afterStep(t, 1, new boolean[] {t == 3}, true));
        }
        StateWriter writer = new StateWriter();
        first.saveState(writer);
        TrainingRounds second = new TrainingRounds(TrainFrequencyUnit.EPISODE, 1, -1);
        second.restoreState(new StateReader(writer.snapshot()));
        for (int t = 6; t <= 14; t++) {
            out.add(second.afterStep(t, 1, new boolean[] {t == 8 || t == 10 || t == 14}, true));
        }
        assertThat(out).isEqualTo(whole);
    }
}
