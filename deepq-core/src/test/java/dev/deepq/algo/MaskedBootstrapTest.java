package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.deepq.algo.TabularConfig.Rule;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.random.Rng;
import dev.deepq.train.ActionBatch;
import dev.deepq.train.StepBatch;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap of every rule looks only at the actions valid in the next state: an invalid next action whose Q is
 * far higher than every valid one's must not enter the target. Transitions are handed to {@code observe} directly,
 * as the trainer would, with the next state's mask ({@link StepBatch#nextActionMasks()}).
 */
class MaskedBootstrapTest {
    private static final Discrete STATES = new Discrete(500);
    private static final Discrete ACTIONS = new Discrete(6);
    private static final boolean[] FIRST_TWO = {true, true, false, false, false, false};
    private static final boolean[] FIRST_ONLY = {true, false, false, false, false, false};

    /** A one-env step batch the tests fill by hand. */
    private static final class Steps {
        final StepBatch batch = new StepBatch(1, 1, 6, new ActionBatch(ACTIONS, 1));
        long step;

        void observe(dev.deepq.train.Agent agent, int s, int a, double r, int next, boolean terminated,
                boolean truncated, boolean[] nextMask) {
            batch.observations()[0] = s;
            batch.actions().discrete()[0] = a;
            batch.rewards()[0] = r;
            batch.nextObservations()[0] = next;
            batch.terminated()[0] = terminated;
            batch.truncated()[0] = truncated;
            System.arraycopy(nextMask, 0, batch.nextActionMasks(), 0, 6);
            agent.observe(batch, ++step);
        }
    }

    // ---- tabular ----

    /** alpha 1 (updates land exactly), gamma 0.5, a fixed epsilon, Q starting at 10: invalid actions keep 10. */
    private static TabularAgent tabular(Rule rule, double eps) {
        return new TabularAgent(STATES, ACTIONS, new TabularConfig(rule, 1.0, 0.5, eps, eps, 0.5, 10.0, 1_000), 3);
    }

    /** Q(1, 0) = -5, Q(1, 1) = -3 from terminal steps (in both tables for Double Q); Q(1, 2..5) stay 10. */
    private static Steps prepared(TabularAgent agent) {
        Steps steps = new Steps();
        for (int i = 0; i < 40; i++) {
            steps.observe(agent, 1, 0, -5, 2, true, false, FIRST_TWO);
            steps.observe(agent, 1, 1, -3, 2, true, false, FIRST_TWO);
        }
        return steps;
    }

    @Test
    void qLearningMaxesOverValidNextActions() {
        TabularAgent agent = tabular(Rule.Q_LEARNING, 0.1);
        Steps steps = prepared(agent);
        steps.observe(agent, 0, 0, 1, 1, false, false, FIRST_TWO);
        assertThat(agent.value(0, 0)).isEqualTo(1 + 0.5 * -3); // not 1 + 0.5 * 10
        steps.observe(agent, 0, 0, 1, 1, false, false, FIRST_ONLY);
        assertThat(agent.value(0, 0)).isEqualTo(1 + 0.5 * -5);
    }

    /** A truncated episode bootstraps from its final state with the final state's mask. */
    @Test
    void truncationBootstrapsWithTheFinalStatesMask() {
        for (Rule rule : new Rule[] {Rule.Q_LEARNING, Rule.SARSA, Rule.DOUBLE_Q_LEARNING}) {
            TabularAgent agent = tabular(rule, 0.0);
            Steps steps = prepared(agent);
            double other = rule == Rule.DOUBLE_Q_LEARNING ? 10 : 0; // the other table's untouched Q(0, 0)
            steps.observe(agent, 0, 0, 1, 1, false, true, FIRST_ONLY);
            assertThat(agent.value(0, 0)).as(rule.name()).isEqualTo(1 + 0.5 * -5 + other);
            steps.observe(agent, 0, 3, 1, 1, false, true, FIRST_TWO);
            assertThat(agent.value(0, 3)).as(rule.name()).isEqualTo(1 + 0.5 * -3 + other);
        }
    }

    /** eps * mean over valid + (1 - eps) * max over valid: the policy acting follows. */
    @Test
    void expectedSarsaAveragesOverValidNextActions() {
        TabularAgent agent = tabular(Rule.EXPECTED_SARSA, 0.2);
        Steps steps = prepared(agent);
        steps.observe(agent, 0, 0, 1, 1, false, false, FIRST_TWO);
        assertThat(agent.value(0, 0)).isCloseTo(1 + 0.5 * (0.2 * -4 + 0.8 * -3), within(1e-12));
        steps.observe(agent, 0, 0, 1, 1, false, true, FIRST_ONLY);
        assertThat(agent.value(0, 0)).isCloseTo(1 + 0.5 * -5, within(1e-12));
    }

    /** SARSA's next action is drawn among valid actions, greedy ones and exploring ones alike. */
    @Test
    void sarsaChoosesItsNextActionAmongValidOnes() {
        TabularAgent greedy = tabular(Rule.SARSA, 0.0);
        Steps steps = prepared(greedy);
        steps.observe(greedy, 0, 0, 1, 1, false, false, FIRST_TWO);
        assertThat(greedy.value(0, 0)).isEqualTo(1 + 0.5 * -3);

        TabularAgent exploring = tabular(Rule.SARSA, 1.0);
        Steps more = prepared(exploring);
        Set<Double> seen = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            more.observe(exploring, 0, 0, 1, 1, false, false, FIRST_TWO);
            seen.add(exploring.value(0, 0));
        }
        assertThat(seen).containsExactlyInAnyOrder(1 + 0.5 * -5, 1 + 0.5 * -3);
    }

    @Test
    void doubleQLearningTakesTheArgmaxAmongValidNextActions() {
        TabularAgent agent = tabular(Rule.DOUBLE_Q_LEARNING, 0.1);
        Steps steps = prepared(agent);
        assertThat(agent.value(1, 0)).isEqualTo(-10);
        assertThat(agent.value(1, 1)).isEqualTo(-6);
        steps.observe(agent, 0, 0, 1, 1, false, false, FIRST_TWO);
        // The updated table gets 1 + 0.5 * (-3); the other keeps 10. Unmasked it would be 1 + 0.5 * 10 + 10.
        assertThat(agent.value(0, 0)).isEqualTo(1 + 0.5 * -3 + 10);
    }

    // ---- DQN ----

    private static DqnConfig dqnConfig(boolean doubleQ) {
        return DqnConfig.cleanRl().with("total_steps", 1_000).with("learning_starts", 5).with("batch_size", 4)
                .with("buffer_size", 100).with("train_frequency", 1).with("target_network_frequency", 1_000_000)
                .with("hidden", "[8]").withDoubleQ(doubleQ);
    }

    private static float[] values(dev.deepq.nn.Network network, float observation) {
        float[] out = network.forward(new float[] {observation}, 0, 1);
        return Arrays.copyOf(out, 6);
    }

    private static int argmax(float[] v, boolean[] mask) {
        int best = -1;
        for (int a = 0; a < v.length; a++) {
            if ((mask == null || mask[a]) && (best < 0 || v[a] > v[best])) {
                best = a;
            }
        }
        return best;
    }

    /**
     * Every replayed transition is (5, action 0, reward 1, next 7): the TD error of the first gradient step is
     * exactly |1 + 0.99 V(7) - Q(5, 0)|, with V(7) taken over the actions the mask allows, which exclude the best
     * action overall. Plain and double DQN, ordinary and truncated transitions (final state 7).
     */
    @Test
    void dqnTargetsUseTheBestValidNextAction() {
        for (boolean doubleQ : new boolean[] {false, true}) {
            for (boolean truncated : new boolean[] {false, true}) {
                Dqn agent = new Dqn(STATES, ACTIONS, dqnConfig(doubleQ), 4);
                // Make the target network differ from the online one, so double DQN's choice matters.
                float[] targetParameters = agent.targetNetwork().parameters();
                Rng noise = Rng.seeded(8);
                for (int i = 0; i < targetParameters.length; i++) {
                    targetParameters[i] += (float) noise.uniform(-0.3, 0.3);
                }
                float[] online = values(agent.qNetwork(), 7);
                float[] target = values(agent.targetNetwork(), 7);
                float q50 = values(agent.qNetwork(), 5)[0];
                boolean[] mask = new boolean[6];
                Arrays.fill(mask, true);
                mask[argmax(doubleQ ? online : target, null)] = false;
                int chosen = argmax(doubleQ ? online : target, mask);
                int unmasked = argmax(doubleQ ? online : target, null);
                Steps steps = new Steps();
                for (int i = 0; i < 7; i++) {
                    steps.observe(agent, 5, 0, 1, 7, false, truncated, mask);
                }
                assertThat(agent.gradientUpdates()).isEqualTo(1);
                double expected = Math.abs(1 + 0.99f * target[chosen] - q50);
                double ifUnmasked = Math.abs(1 + 0.99f * target[unmasked] - q50);
                assertThat(Math.abs(expected - ifUnmasked)).as("the test can tell the two apart").isGreaterThan(1e-3);
                assertThat(agent.metrics().get("td_error_abs")).as("double=%s truncated=%s", doubleQ, truncated)
                        .isCloseTo(expected, within(1e-5));
            }
        }
    }
}
