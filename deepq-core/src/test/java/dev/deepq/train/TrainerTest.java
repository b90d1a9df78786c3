package dev.deepq.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.algo.TabularAgent;
import dev.deepq.algo.TabularConfig;
import dev.deepq.env.Envs;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerTest {

    static TabularAgent agentFor(VectorEnv env, long steps) {
        return new TabularAgent(env.singleObservationSpace(), env.singleActionSpace(), TabularConfig.defaults(steps), 0);
    }

    @Test
    void countsEnvStepsOverAllEnvsAndLogsEveryEpisode() {
        VectorEnv env = VectorEnvs.make("FrozenLake-v1", Map.of(), 3, 1);
        List<Integer> ended = new ArrayList<>();
        int[] stepsSeen = {0};
        Trainer trainer = new Trainer(env, agentFor(env, 3000), 3000, 1).callback(new Callback() {
            @Override
            public void onStep(Trainer t) {
                stepsSeen[0]++;
            }

            @Override
            public void onEpisodeEnd(Trainer t, int envIndex, double episodeReturn, int episodeLength) {
                ended.add(episodeLength);
            }
        }).run();
        assertThat(trainer.step()).isEqualTo(3000);
        assertThat(stepsSeen[0]).isEqualTo(1000);
        assertThat(trainer.episodes().size()).isEqualTo(ended.size());
        long inEpisodes = ended.stream().mapToLong(Integer::longValue).sum();
        long unfinished = trainer.runningLength(0) + trainer.runningLength(1) + trainer.runningLength(2);
        assertThat(inEpisodes + unfinished).isEqualTo(3000);
    }

    @Test
    void stopsEarlyOnRequest() {
        VectorEnv env = VectorEnvs.make("CliffWalking-v0", 1);
        Trainer trainer = new Trainer(env, agentFor(env, 10_000), 10_000, 1);
        trainer.callback(new Callback() {
            @Override
            public void onStep(Trainer t) {
                if (t.step() == 123) {
                    t.requestStop();
                }
            }
        }).run();
        assertThat(trainer.step()).isEqualTo(123);
        assertThat(trainer.stoppedEarly()).isTrue();
        assertThatThrownBy(trainer::run).hasMessageContaining("already run");
    }

    @Test
    void periodicEvaluationRunsOnScheduleAndAtTheEnd() {
        VectorEnv env = VectorEnvs.make("FrozenLake-v1", 1);
        PeriodicEvaluation eval = new PeriodicEvaluation(Envs.make("FrozenLake-v1"), 20_000, 50, 7);
        new Trainer(env, agentFor(env, 50_000), 50_000, 1).callback(eval).run();
        assertThat(eval.results()).extracting(PeriodicEvaluation.Result::step).containsExactly(20_000L, 40_000L, 50_000L);
        assertThat(eval.latest().stats().episodes()).isEqualTo(50);
        assertThatThrownBy(() -> new PeriodicEvaluation(Envs.make("FrozenLake-v1"), 0, 5, 0)).hasMessageContaining("positive");
    }

    @Test
    void periodicEvaluationCanStopTrainingAboveAReturn() {
        VectorEnv env = VectorEnvs.make("FrozenLake-v1", 1);
        PeriodicEvaluation eval = new PeriodicEvaluation(Envs.make("FrozenLake-v1"), 10_000, 100, 7).stopAbove(0.5);
        Trainer trainer = new Trainer(env, agentFor(env, 500_000), 500_000, 1).callback(eval);
        trainer.run();
        List<PeriodicEvaluation.Result> results = eval.results();
        assertThat(eval.reachedStopLevel()).isTrue();
        assertThat(trainer.stoppedEarly()).isTrue();
        assertThat(trainer.step()).isEqualTo(eval.latest().step()).isLessThan(500_000);
        assertThat(results.subList(0, results.size() - 1)).allSatisfy(r -> assertThat(r.stats().mean()).isLessThanOrEqualTo(0.5));
        assertThat(eval.latest().stats().mean()).isGreaterThan(0.5);

        PeriodicEvaluation plain = new PeriodicEvaluation(Envs.make("FrozenLake-v1"), 10_000, 5, 7);
        assertThat(plain.reachedStopLevel()).isFalse();
        assertThatThrownBy(() -> plain.stopAbove(Double.NaN)).hasMessageContaining("finite");
    }

    @Test
    void linearScheduleMatchesCleanRl() {
        LinearSchedule eps = LinearSchedule.overFraction(1.0, 0.05, 0.5, 1000);
        assertThat(eps.valueAt(0)).isEqualTo(1.0);
        assertThat(eps.valueAt(250)).isCloseTo(0.525, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(eps.valueAt(500)).isEqualTo(0.05);
        assertThat(eps.valueAt(10_000)).isEqualTo(0.05);
        assertThat(new LinearSchedule(0, 1, 0).valueAt(0)).isEqualTo(1.0);
    }

    @Test
    void recordConfigsParseEveryTypeAndNameTheBadKey() {
        TabularConfig c = RecordConfigs.with(TabularConfig.defaults(10), Map.of("rule", "expected-sarsa", "gamma", "0.5",
                "total_steps", "1e6", "learningRate", 0.3));
        assertThat(c.rule()).isEqualTo(TabularConfig.Rule.EXPECTED_SARSA);
        assertThat(c.totalSteps()).isEqualTo(1_000_000);
        assertThat(c.learningRate()).isEqualTo(0.3);
        assertThat(RecordConfigs.toMap(c)).containsEntry("rule", "expected_sarsa").containsEntry("gamma", 0.5);
        assertThatThrownBy(() -> RecordConfigs.with(c, Map.of("rule", "monte-carlo")))
                .hasMessage("config key 'rule' must be one of q_learning, sarsa, expected_sarsa, double_q_learning, got 'monte-carlo'");
        assertThatThrownBy(() -> RecordConfigs.with(c, Map.of("total_steps", "1.5")))
                .hasMessage("config key 'total_steps' must be an integer, got '1.5'");
    }
}
