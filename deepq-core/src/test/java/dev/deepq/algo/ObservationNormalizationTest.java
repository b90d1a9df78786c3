package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.env.wrappers.RunningMeanStd;
import dev.deepq.io.SafeTensors;
import dev.deepq.state.StateWriter;
import dev.deepq.train.ActionBatch;
import dev.deepq.train.Agent;
import dev.deepq.train.StepBatch;
import dev.deepq.train.Trainer;
import dev.deepq.train.TrainingMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code normalize_observations} for SAC and TD3: the running statistics see exactly the observations the agent acts
 * on, acting and predicting use clip((obs - mean) / sqrt(var + 1e-8), -10, 10), the statistics go into checkpoints
 * and model files, and a loaded model normalizes the same way.
 */
class ObservationNormalizationTest {

    @Test
    void statisticsMergeBatchesAsOneRunningMeanAndVariance() {
        ObservationNormalizer one = new ObservationNormalizer(2, true);
        ObservationNormalizer pairs = new ObservationNormalizer(2, true);
        RunningMeanStd reference = new RunningMeanStd(2);
        double[][] samples = {{1, -2}, {3, 0.5}, {-4, 7}, {0.25, 1}, {2, -1}, {5, 5}};
        for (int i = 0; i < samples.length; i++) {
            one.update(samples[i], 1);
            reference.update(samples[i], 0);
            if (i % 2 == 1) {
                double[] two = {samples[i - 1][0], samples[i - 1][1], samples[i][0], samples[i][1]};
                pairs.update(two, 2);
            }
        }
        for (int k = 0; k < 2; k++) {
            // One at a time: Gymnasium's (and SB3's) RunningMeanStd exactly.
            assertThat(one.statistics().mean(k)).isEqualTo(reference.mean(k));
            assertThat(one.statistics().var(k)).isEqualTo(reference.var(k));
            // In batches of two: the same moments up to rounding (prior weight 1e-4 with mean 0 and variance 1).
            double prior = 1e-4;
            double sum = 0;
            for (double[] s : samples) {
                sum += s[k];
            }
            double mean = sum / (samples.length + prior);
            double m2 = prior * (1 + mean * mean);
            for (double[] s : samples) {
                m2 += (s[k] - mean) * (s[k] - mean);
            }
            assertThat(pairs.statistics().mean(k)).isCloseTo(mean, within(1e-12));
            assertThat(pairs.statistics().var(k)).isCloseTo(m2 / (samples.length + prior), within(1e-9));
        }
        assertThat(pairs.statistics().count()).isCloseTo(6 + 1e-4, within(1e-12));
    }

    @Test
    void normalizationIsClippedAtTenAndOffMeansAFloatCopy() {
        ObservationNormalizer normalizer = new ObservationNormalizer(1, true);
        for (double x : new double[] {1, 2, 3, 2, 1, 2, 3}) {
            normalizer.update(new double[] {x}, 1);
        }
        RunningMeanStd s = normalizer.statistics();
        float[] out = new float[3];
        normalizer.normalize(new double[] {2.5, 100, -100}, out, 3);
        assertThat((double) out[0]).isCloseTo((2.5 - s.mean(0)) / Math.sqrt(s.var(0) + 1e-8), within(1e-6));
        assertThat(out[1]).isEqualTo(10f);
        assertThat(out[2]).isEqualTo(-10f);
        float[] batch = {2.5f, 100f};
        normalizer.normalizeInPlace(batch, 2);
        assertThat(batch[0]).isEqualTo(out[0]);
        assertThat(batch[1]).isEqualTo(10f);

        ObservationNormalizer off = new ObservationNormalizer(2, false);
        off.update(new double[] {5, 6}, 1);
        float[] copy = new float[2];
        off.normalize(new double[] {0.1, -7}, copy, 1);
        assertThat(copy).containsExactly(0.1f, -7f);
        float[] untouched = {3f, 4f};
        off.normalizeInPlace(untouched, 1);
        assertThat(untouched).containsExactly(3f, 4f);
        StateWriter state = new StateWriter();
        off.saveState(state);
        assertThat(state.snapshot().entries()).isEmpty();
    }

    /** Records the observations the agent is asked to act on. */
    private static final class Recorder implements Agent {
        final Agent inner;
        final List<double[]> seen = new ArrayList<>();

        Recorder(Agent inner) {
            this.inner = inner;
        }

        @Override
        public void act(VectorEnv env, long step, ActionBatch out) {
            seen.add(env.observations().clone());
            inner.act(env, step, out);
        }

        @Override
        public void observe(StepBatch batch, long step) {
            inner.observe(batch, step);
        }

        @Override
        public void predict(double[] observation, boolean[] actionMask, double[] actionOut) {
            inner.predict(observation, actionMask, actionOut);
        }

        @Override
        public TrainingMetrics metrics() {
            return inner.metrics();
        }
    }

    @Test
    void sacAndTd3StatisticsAreThoseOfEveryObservationTheyActedOn() {
        for (int envs : new int[] {1, 2}) {
            SacConfig sacConfig = SacTest.small(400).with("normalize_observations", true).with("num_envs", envs);
            Td3Config td3Config = Td3Config.stableBaselines3().with("hidden", "[16]").with("batch_size", 16)
                    .with("buffer_size", 500).with("normalize_observations", true).with("num_envs", envs);
            VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), envs, 1);
            Sac sac = new Sac(env.singleObservationSpace(), env.singleActionSpace(), sacConfig, 1);
            Td3 td3 = new Td3(env.singleObservationSpace(), env.singleActionSpace(), td3Config, 1);
            for (Agent agent : new Agent[] {sac, td3}) {
                Recorder recorder = new Recorder(agent);
                new Trainer(VectorEnvs.make("Pendulum-v1", Map.of(), envs, 1), recorder, 400, 1).run();
                ObservationNormalizer reference = new ObservationNormalizer(3, true);
                for (double[] o : recorder.seen) {
                    reference.update(o, envs);
                }
                RunningMeanStd actual = agent instanceof Sac s ? s.observationNormalizer().statistics()
                        : ((Td3) agent).observationNormalizer().statistics();
                assertThat(recorder.seen).hasSize(400 / envs);
                assertThat(actual.state()).isEqualTo(reference.statistics().state());
                // Pendulum's angular velocity ranges over [-8, 8]: its variance is far from the prior's 1.
                assertThat(actual.var(2)).isGreaterThan(1.5);
            }
        }
    }

    @Test
    void predictActsOnTheNormalizedObservation() {
        SacConfig config = SacTest.small(300).with("normalize_observations", true);
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
        Sac sac = new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, 2);
        new Trainer(env, sac, 300, 2).run();
        RunningMeanStd s = sac.observationNormalizer().statistics();
        double[] obs = {0.3, -0.95, 4.0};
        float[] normalized = new float[3];
        for (int k = 0; k < 3; k++) {
            normalized[k] = (float) Math.max(-10, Math.min(10, (obs[k] - s.mean(k)) / Math.sqrt(s.var(k) + 1e-8)));
        }
        float mean = sac.actor().forward(normalized, 0, 1)[0];
        double[] action = new double[1];
        sac.predict(obs, null, action);
        // Pendulum's torque bounds are [-2, 2].
        assertThat(action[0]).isCloseTo(-2 + (Math.tanh(mean) + 1) * 2, within(1e-12));
        float raw = sac.actor().forward(new float[] {0.3f, -0.95f, 4.0f}, 0, 1)[0];
        assertThat(raw).isNotEqualTo(mean);
    }

    @Test
    void savedModelsCarryTheStatisticsAndLoadedOnesPredictTheSame(@TempDir Path dir) throws Exception {
        Td3Config config = Td3Config.ddpg().with("hidden", "[16]").with("batch_size", 16).with("buffer_size", 500)
                .with("learning_starts", 100).with("normalize_observations", true);
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
        Td3 td3 = new Td3(env.singleObservationSpace(), env.singleActionSpace(), config, 4);
        new Trainer(env, td3, 300, 4).run();
        Path file = dir.resolve("ddpg.safetensors");
        td3.save(file);
        Td3 loaded = Td3.load(file);
        assertThat(loaded.observationNormalizer().statistics().state())
                .isEqualTo(td3.observationNormalizer().statistics().state());
        double[] a = new double[1];
        double[] b = new double[1];
        td3.predict(new double[] {-0.2, 0.98, 6}, null, a);
        loaded.predict(new double[] {-0.2, 0.98, 6}, null, b);
        assertThat(b).isEqualTo(a);

        // A model that claims normalization but lacks the statistics is refused, naming the file and the tensor.
        SafeTensors read = SafeTensors.read(file);
        SafeTensors.Builder stripped = SafeTensors.builder();
        for (String name : read.names()) {
            if (!name.startsWith("obs_rms.")) {
                stripped.putRaw(name, read.tensor(name));
            }
        }
        read.metadata().forEach(stripped::metadata);
        Path broken = dir.resolve("broken.safetensors");
        stripped.write(broken);
        assertThatThrownBy(() -> Td3.load(broken)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("broken.safetensors").hasMessageContaining("obs_rms.mean is missing");
    }
}
