package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.algo.TabularConfig.Rule;
import dev.deepq.env.Envs;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.eval.EpisodeStats;
import dev.deepq.eval.Evaluation;
import dev.deepq.train.Trainer;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TabularAgentTest {

    static TabularAgent train(String envId, TabularConfig config, long seed) {
        VectorEnv env = VectorEnvs.make(envId, 1);
        TabularAgent agent = new TabularAgent(env.singleObservationSpace(), env.singleActionSpace(), config, seed);
        new Trainer(env, agent, config.totalSteps(), seed).run();
        return agent;
    }

    /** Slippery 4x4 FrozenLake: the optimal policy succeeds about 74 % of the time within the 100-step limit. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void qLearningSolvesSlipperyFrozenLake(long seed) {
        TabularAgent agent = train("FrozenLake-v1", TabularConfig.defaults(500_000), seed);
        EpisodeStats eval = Evaluation.run(agent, Envs.make("FrozenLake-v1"), 2_000, 1_000 + seed);
        assertThat(eval.mean()).as("greedy success rate").isGreaterThanOrEqualTo(0.70);
    }

    @ParameterizedTest
    @EnumSource(Rule.class)
    void everyRuleLearnsSlipperyFrozenLake(Rule rule) {
        TabularAgent agent = train("FrozenLake-v1", TabularConfig.defaults(1_000_000).withRule(rule), 7);
        EpisodeStats eval = Evaluation.run(agent, Envs.make("FrozenLake-v1"), 2_000, 99);
        assertThat(eval.mean()).as(rule + " greedy success rate").isGreaterThanOrEqualTo(0.70);
    }

    /** Off-policy Q-learning finds the optimal path along the cliff edge (13 steps); on-policy SARSA the safe one. */
    @Test
    void cliffWalkingPaths() {
        TabularAgent q = train("CliffWalking-v0", TabularConfig.defaults(200_000), 1);
        TabularAgent sarsa = train("CliffWalking-v0", TabularConfig.defaults(200_000).withRule(Rule.SARSA), 1);
        assertThat(Evaluation.run(q, Envs.make("CliffWalking-v0", Map.of(), 100), 1, 0).mean()).isEqualTo(-13.0);
        double safe = Evaluation.run(sarsa, Envs.make("CliffWalking-v0", Map.of(), 100), 1, 0).mean();
        assertThat(safe).isLessThan(-13.0).isGreaterThan(-100.0);
    }

    @Test
    void sameSeedSameTable() {
        TabularConfig config = TabularConfig.defaults(20_000).withRule(Rule.DOUBLE_Q_LEARNING);
        assertThat(train("FrozenLake-v1", config, 5).qTable()).containsExactly(train("FrozenLake-v1", config, 5).qTable());
        assertThat(train("FrozenLake-v1", config, 6).qTable()).isNotEqualTo(train("FrozenLake-v1", config, 5).qTable());
    }

    @Test
    void refusesContinuousObservations() {
        assertThatThrownBy(() -> train("CartPole-v1", TabularConfig.defaults(10), 0))
                .hasMessageContaining("tabular agents need a Discrete observation space, got Box(");
        assertThatThrownBy(() -> TabularConfig.defaults(10).withLearningRate(0))
                .hasMessage("learningRate must be in (0.0, 1.0], got 0.0");
        assertThatThrownBy(() -> TabularConfig.defaults(0)).hasMessageContaining("totalSteps must be positive");
    }

    @Test
    void greedyActionsRespectMasks() {
        TabularAgent agent = train("Taxi-v3", TabularConfig.defaults(2_000), 0);
        boolean[] onlyThree = new boolean[6];
        onlyThree[3] = true;
        assertThat(agent.greedyAction(0, onlyThree)).isEqualTo(3);
    }
}
