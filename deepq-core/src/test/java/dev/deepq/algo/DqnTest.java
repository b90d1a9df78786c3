package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.DType;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.env.spaces.MultiDiscrete;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.eval.Evaluation;
import dev.deepq.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DqnTest {

    /**
     * A two-step chain with known action values: from s0 (obs 0) any action leads to s1 (obs 1) with reward 0; from
     * s1 action a ends the episode with reward a (terminated), so Q(s1, a) = a and Q(s0, a) = gamma * max_a Q(s1, a)
     * = gamma * (n - 1).
     */
    static final class Chain extends Env {
        private int position;

        Chain(int actions) {
            super(new Box(0, 1, new int[] {1}, DType.FLOAT32), new Discrete(actions));
        }

        @Override
        protected void resetEnv(boolean seeded, long seed) {
            position = 0;
            observation[0] = 0;
        }

        @Override
        protected void stepEnv(int action) {
            if (position == 0) {
                position = 1;
                observation[0] = 1;
                result.set(0, false, false);
            } else {
                result.set(action, true, false);
            }
        }
    }

    static DqnConfig small(long steps) {
        return DqnConfig.cleanRl().with("total_steps", steps).with("learning_starts", 200).with("buffer_size", 2000)
                .with("batch_size", 32).with("train_frequency", 1).with("target_network_frequency", 50)
                .with("learning_rate", 3e-3).with("hidden", "[32]").with("exploration_fraction", 0.3);
    }

    static Dqn trainOn(Env env, DqnConfig config, long seed) {
        VectorEnv vector = VectorEnvs.make(i -> i == 0 ? env : new Chain(3), config.numEnvs(), 1);
        Dqn agent = new Dqn(vector.singleObservationSpace(), vector.singleActionSpace(), config, seed);
        new Trainer(vector, agent, config.totalSteps(), seed).run();
        return agent;
    }

    static float[] qValues(Dqn agent, float observation) {
        float[] out = agent.qNetwork().forward(new float[] {observation}, 1);
        return Arrays.copyOf(out, agent.qNetwork().outputSize());
    }

    @Test
    void learnsTheChainsActionValues() {
        for (DqnConfig config : new DqnConfig[] {small(6000), small(6000).withDoubleQ(true), small(6000).withDueling(true),
                small(6000).withPrioritized(true), small(6000).with("loss", "huber"), small(6000).with("tau", 0.1)}) {
            Dqn agent = trainOn(new Chain(3), config, 1);
            float[] last = qValues(agent, 1);
            float[] first = qValues(agent, 0);
            for (int a = 0; a < 3; a++) {
                assertThat(last[a]).as("Q(s1, %d) with %s", a, config).isCloseTo(a, within(0.1f));
                assertThat(first[a]).as("Q(s0, %d) with %s", a, config).isCloseTo(0.99f * 2, within(0.15f));
            }
        }
    }

    /** With 2-step returns, s0's target is r0 + gamma r1 directly from the window (no bootstrap through termination). */
    @Test
    void nStepTargetsStopAtTermination() {
        Dqn agent = trainOn(new Chain(3), small(6000).withNStep(2), 2);
        float[] first = qValues(agent, 0);
        // Behaviour actions in s1 are epsilon-greedy, so Q(s0, .) estimates E[gamma * a1], between the mean and the max.
        for (int a = 0; a < 3; a++) {
            assertThat(first[a]).isBetween(0.99f * 1.0f - 0.2f, 0.99f * 2 + 0.15f);
        }
        assertThat(qValues(agent, 1)[2]).isCloseTo(2f, within(0.15f));
    }

    /**
     * Truncation bootstraps: a chain cut by a time limit after the first step still learns Q(s0) = gamma * 2, since
     * the final observation s1 is kept and valued.
     */
    @Test
    void truncatedEpisodesAreBootstrapped() {
        VectorEnv vector = VectorEnvs.make(i -> new dev.deepq.env.wrappers.TimeLimit(new Chain(3), i == 0 ? 1 : 2), 2, 1);
        DqnConfig config = small(12000).withNumEnvs(2);
        Dqn agent = new Dqn(vector.singleObservationSpace(), vector.singleActionSpace(), config, 3);
        new Trainer(vector, agent, config.totalSteps(), 3).run();
        assertThat(qValues(agent, 0)[1]).isCloseTo(0.99f * 2, within(0.15f));
    }

    /** MultiDiscrete([3, 4]): reward is the number of dimensions at their target (2 and 1); one step per episode. */
    static final class TwoDials extends Env {
        TwoDials() {
            super(new Box(0, 1, new int[] {1}, DType.FLOAT32), new MultiDiscrete(3, 4));
        }

        @Override
        protected void resetEnv(boolean seeded, long seed) {
            observation[0] = 0.5;
        }

        @Override
        protected void stepEnv(int[] action) {
            result.set((action[0] == 2 ? 1 : 0) + (action[1] == 1 ? 1 : 0), true, false);
        }
    }

    @Test
    void branchingHeadsLearnMultiDiscreteActions() {
        DqnConfig config = small(3000);
        VectorEnv vector = VectorEnvs.make(i -> new TwoDials(), 1, 1);
        Dqn agent = new Dqn(vector.singleObservationSpace(), vector.singleActionSpace(), config, 4);
        new Trainer(vector, agent, config.totalSteps(), 4).run();
        double[] action = new double[2];
        agent.predict(new double[] {0.5}, null, action);
        assertThat(action).containsExactly(2, 1);
        assertThat(agent.qNetwork().outputSize()).isEqualTo(7);
    }

    @Test
    void masksRestrictGreedyAndRandomActions() {
        DqnConfig config = small(400).with("learning_starts", 1000);
        VectorEnv taxi = VectorEnvs.make("Taxi-v3", 1);
        Dqn agent = new Dqn(taxi.singleObservationSpace(), taxi.singleActionSpace(), config, 5);
        taxi.reset(0);
        dev.deepq.train.ActionBatch actions = new dev.deepq.train.ActionBatch(taxi.singleActionSpace(), 1);
        for (int step = 0; step < 300; step++) {
            boolean[] mask = taxi.actionMask(0).clone();
            agent.act(taxi, step, actions);
            assertThat(mask[actions.discrete()[0]]).as("action %d under mask %s", actions.discrete()[0], Arrays.toString(mask)).isTrue();
            taxi.step(actions.discrete());
        }
        boolean[] onlyFour = new boolean[6];
        onlyFour[4] = true;
        double[] out = new double[1];
        agent.predict(new double[] {0}, onlyFour, out);
        assertThat(out[0]).isEqualTo(4.0);
    }

    @Test
    void sameSeedSameWeightsWithOneOrTwoThreads() {
        DqnConfig config = small(3000).withNumEnvs(4);
        float[][] weights = new float[3][];
        int[] threads = {1, 2, 1};
        long[] seeds = {7, 7, 8};
        for (int run = 0; run < 3; run++) {
            VectorEnv vector = VectorEnvs.make("CartPole-v1", Map.of(), 4, threads[run]);
            Dqn agent = new Dqn(vector.singleObservationSpace(), vector.singleActionSpace(), config, seeds[run]);
            new Trainer(vector, agent, config.totalSteps(), seeds[run]).run();
            vector.close();
            weights[run] = agent.qNetwork().parameters().clone();
        }
        assertThat(weights[1]).containsExactly(weights[0]);
        assertThat(weights[2]).isNotEqualTo(weights[0]);
    }

    @Test
    void targetsComputedForWholeRoundsGiveTheSameBitsAsPerStep() {
        // 24 gradient steps of 32 rows per round: the round's target values come in chunks of 16 minibatches and 8.
        DqnConfig zooLike = small(1500).with("hidden", "[64, 64]").with("train_frequency", 16)
                .with("gradient_steps", 24).with("target_network_frequency", 40);
        DqnConfig[] configs = {zooLike, zooLike.withDoubleQ(true).withDueling(true),
                               zooLike.withNStep(3).withNumEnvs(2).with("tau", 0.5)};
        for (DqnConfig config : configs) {
            float[][] online = new float[2][];
            float[][] target = new float[2][];
            for (int run = 0; run < 2; run++) {
                Dqn.targetsPerRound = run == 0;
                try {
                    VectorEnv vector = VectorEnvs.make("CartPole-v1", Map.of(), config.numEnvs(), 1);
                    Dqn agent = new Dqn(vector.singleObservationSpace(), vector.singleActionSpace(), config, 5);
                    new Trainer(vector, agent, config.totalSteps(), 5).run();
                    vector.close();
                    assertThat(agent.gradientUpdates()).isGreaterThan(500);
                    online[run] = agent.qNetwork().parameters().clone();
                    target[run] = agent.targetNetwork().parameters().clone();
                } finally {
                    Dqn.targetsPerRound = true;
                }
            }
            assertThat(online[1]).containsExactly(online[0]);
            assertThat(target[1]).containsExactly(target[0]);
        }
    }

    @Test
    void saveAndLoadKeepThePolicy(@TempDir Path dir) throws IOException {
        Dqn agent = trainOn(new Chain(3), small(1000), 6);
        Path file = dir.resolve("chain.safetensors");
        agent.save(file);
        Dqn loaded = Dqn.load(file);
        assertThat(loaded.qNetwork().parameters()).containsExactly(agent.qNetwork().parameters());
        assertThat(loaded.config()).isEqualTo(agent.config());
        assertThat(loaded.act(new double[] {1})).isEqualTo(agent.act(new double[] {1}));
        assertThat(Evaluation.run(loaded, new Chain(3), 3, 0).mean())
                .isEqualTo(Evaluation.run(agent, new Chain(3), 3, 0).mean());
    }

    @Test
    void foreignAndDamagedModelFilesAreRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.safetensors");
        trainOn(new Chain(3), small(300), 6).save(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(dir.resolve("cut"), Arrays.copyOf(bytes, bytes.length - 10));
        assertThatThrownBy(() -> Dqn.load(dir.resolve("cut"))).isInstanceOf(IOException.class)
                .hasMessageContaining("cut").hasMessageContaining("not a valid safetensors file");
        dev.deepq.io.SafeTensors.builder().put("x", new float[] {1}, 1).metadata("format", "other").write(dir.resolve("foreign"));
        assertThatThrownBy(() -> Dqn.load(dir.resolve("foreign"))).hasMessageContaining("not a deepq DQN model");
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\\\"hidden\\\":[32]", "\\\"hidden\\\":[31]");
        Files.write(dir.resolve("reshaped"), text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Dqn.load(dir.resolve("reshaped"))).hasMessageContaining("does not fit")
                .hasMessageContaining("shape");
    }

    @Test
    void unsuitableSpacesAndSettingsAreExplained() {
        assertThatThrownBy(() -> new Dqn(new Box(-1, 1, new int[] {3}, DType.FLOAT32), new Box(-2, 2, new int[] {1}, DType.FLOAT32),
                DqnConfig.cleanRl(), 0)).hasMessageContaining("DQN needs a Discrete or MultiDiscrete action space, got Box(-2.0, 2.0, (1,), float32)");
        assertThatThrownBy(() -> new Dqn(new Discrete(3), new MultiDiscrete(2, 2), DqnConfig.cleanRl().withDueling(true), 0))
                .hasMessageContaining("dueling heads are for Discrete action spaces");
        assertThatThrownBy(() -> DqnConfig.cleanRl().with("batch_size", 20000)).hasMessageContaining("larger than buffer_size");
        assertThatThrownBy(() -> DqnConfig.cleanRl().with("tau", 0)).hasMessageContaining("tau must be in (0, 1]");
        assertThatThrownBy(() -> DqnConfig.cleanRl().with("hidden", "[]")).hasMessageContaining("hidden must list");
        assertThat(Envs.make("CartPole-v1")).isNotNull();
    }
}
