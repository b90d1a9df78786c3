package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.algo.TabularConfig.Rule;
import dev.deepq.env.Envs;
import dev.deepq.eval.EpisodeStats;
import dev.deepq.eval.Evaluation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.Arrays;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every tabular rule learns Taxi-v3 with the settings of the CLI's Taxi presets (300k steps, alpha 0.1, gamma 0.99,
 * epsilon 1 to 0.05 over half the run). Taxi's action mask marks the actions that change the state; acting takes only
 * those, so the bootstrap must also look at valid next actions only: the Q of an invalid action stays at its initial 0
 * while valid ones go negative, and a max (or an epsilon-greedy expectation) over all actions would bootstrap from it.
 */
class TabularTaxiTest {
    static final TabularConfig PRESET = new TabularConfig(Rule.Q_LEARNING, 0.1, 0.99, 1.0, 0.05, 0.5, 0.0, 300_000);

    static Stream<Arguments> rulesAndSeeds() {
        return Arrays.stream(Rule.values()).flatMap(rule -> LongStream.rangeClosed(1, 3).mapToObj(seed -> Arguments.of(rule, seed)));
    }

    @ParameterizedTest
    @MethodSource("rulesAndSeeds")
    void everyRuleLearnsTaxi(Rule rule, long seed) {
        TabularAgent agent = TabularAgentTest.train("Taxi-v3", PRESET.withRule(rule), seed);
        EpisodeStats eval = Evaluation.run(agent, Envs.make("Taxi-v3"), 100, 1_000 + seed);
        System.out.println("TAXI " + rule + " seed " + seed + " greedy mean return " + eval.mean());
        assertThat(eval.mean()).as(rule + " greedy mean return over 100 episodes").isGreaterThanOrEqualTo(7.0);
    }

    /** The double-qlearning-Taxi-v3 preset's own settings (1M steps, alpha 0.5). */
    @Test
    void doubleQLearningPresetLearnsTaxi() {
        TabularConfig preset = PRESET.withRule(Rule.DOUBLE_Q_LEARNING).withLearningRate(0.5).withTotalSteps(1_000_000);
        TabularAgent agent = TabularAgentTest.train("Taxi-v3", preset, 1);
        EpisodeStats eval = Evaluation.run(agent, Envs.make("Taxi-v3"), 100, 1_001);
        System.out.println("TAXI double-q preset greedy mean return " + eval.mean());
        assertThat(eval.mean()).isGreaterThanOrEqualTo(7.0);
    }
}
