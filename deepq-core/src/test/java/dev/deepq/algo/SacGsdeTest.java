package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.deepq.env.Envs;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.eval.Evaluation;
import dev.deepq.random.Rng;
import dev.deepq.train.ActionBatch;
import dev.deepq.train.Agent;
import dev.deepq.train.StepBatch;
import dev.deepq.train.Trainer;
import dev.deepq.train.TrainingMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SAC with generalized state-dependent exploration (gSDE): the actor-loss gradient through torso, mean head and
 * log-std by finite differences, the noise's variance against the variance its log-probability assumes, when the
 * acting noise is redrawn, bad settings, model files and a short run.
 */
class SacGsdeTest {
    private static final Box OBSERVATIONS = Box.float32(new double[] {-1, -1, -1}, new double[] {1, 1, 1});
    private static final Box ACTIONS = Box.float32(new double[] {-2, 0}, new double[] {2, 3});

    private static SacConfig small() {
        return SacConfig.stableBaselines3().with("use_sde", true).with("hidden", "[8, 8]").with("batch_size", 5)
                .with("buffer_size", 100).with("log_std_init", -0.7);
    }

    @Test
    void actorLossGradientMatchesFiniteDifferencesThroughTorsoHeadAndLogStd() {
        for (String variant : new String[] {"full_std", "shared_std", "expln", "tight_clip"}) {
            SacConfig config = switch (variant) {
                case "shared_std" -> small().with("full_std", false);
                case "expln" -> small().with("use_expln", true);
                case "tight_clip" -> small().with("clip_mean", 0.05);
                default -> small();
            };
            Sac sac = new Sac(OBSERVATIONS, ACTIONS, config, 11);
            StateDependentExploration sde = sac.stateDependentExploration();
            float[] logStd = sde.logStd();
            Rng rng = Rng.seeded(1);
            if (variant.equals("expln")) {
                // Both branches of expln: log_std above and below 0.
                for (int k = 0; k < logStd.length; k++) {
                    logStd[k] = (float) rng.uniform(-1, 1);
                }
            }
            int b = 5;
            float[] obs = new float[b * 3];
            for (int i = 0; i < obs.length; i++) {
                obs[i] = (float) rng.uniform(-1, 1);
            }
            sde.resampleTraining(rng);
            double alpha = 0.3;
            sac.actorLossGradient(obs, null, b, alpha);
            List<float[]> params = List.of(sac.actor().parameters(), sde.head().parameters(), logStd);
            List<float[]> analytic = List.of(sac.actor().gradients().clone(), sde.head().gradients().clone(),
                    sde.logStdGradient().clone());
            double worstRelative = 0;
            int checked = 0;
            int clippedZeros = 0;
            for (int t = 0; t < params.size(); t++) {
                float[] p = params.get(t);
                for (int j = 0; j < p.length; j += t == 0 ? 3 : 1) {
                    double best = Double.MAX_VALUE;
                    for (double h : new double[] {2e-3, 5e-4}) {
                        float saved = p[j];
                        p[j] = (float) (saved + h);
                        double plus = sac.actorLossGradient(obs, null, b, alpha);
                        p[j] = (float) (saved - h);
                        double minus = sac.actorLossGradient(obs, null, b, alpha);
                        p[j] = saved;
                        double fd = (plus - minus) / (2 * h);
                        best = Math.min(best, Math.abs(fd - analytic.get(t)[j]) / Math.max(0.05, Math.abs(fd)));
                    }
                    if (t == 1 && analytic.get(t)[j] == 0) {
                        clippedZeros++;
                    }
                    worstRelative = Math.max(worstRelative, best);
                    checked++;
                }
            }
            System.out.println("gSDE actor FD worst relative error (" + variant + "): " + worstRelative);
            assertThat(checked).isGreaterThan(50);
            assertThat(worstRelative).as(variant).isLessThan(2e-3);
            if (variant.equals("tight_clip")) {
                // Means beyond the clip pass no gradient to the head, as PyTorch's Hardtanh.
                assertThat(clippedZeros).as("head gradients zeroed by the clip").isPositive();
            }
        }
    }

    @Test
    void theNoiseHasTheVarianceItsLogProbabilityAssumes() {
        // One observation, one action dimension; u = mean + z.W over many draws of W. The log-probability is
        // log N(u; mean, s^2) - log(1 - a^2 + 1e-6) with s^2 = sum_j z_j^2 sigma_j^2 + 1e-6: recover s^2 from it and
        // compare with the draws' variance.
        Box oneAction = Box.float32(new double[] {-1}, new double[] {1});
        SacConfig config = small().with("hidden", "[16]").with("log_std_init", -1.5);
        Sac sac = new Sac(OBSERVATIONS, oneAction, config, 3);
        StateDependentExploration sde = sac.stateDependentExploration();
        float[] obs = {0.3f, -0.8f, 0.5f};
        double[] greedy = new double[1];
        sac.predict(new double[] {0.3, -0.8, 0.5}, null, greedy);
        double mean = 0.5 * Math.log((1 + greedy[0]) / (1 - greedy[0]));
        Rng rng = Rng.seeded(5);
        int draws = 4000;
        double sumSquares = 0;
        double smallestOffset = Double.MAX_VALUE;
        double assumedVariance = Double.NaN;
        for (int k = 0; k < draws; k++) {
            sde.resampleTraining(rng);
            sac.actorLossGradient(obs, null, 1, 0.0);
            double a = sac.lastSquashed()[0];
            double d = 0.5 * Math.log((1 + a) / (1 - a)) - mean;
            sumSquares += d * d;
            if (Math.abs(d) < smallestOffset) {
                // The same s^2 every draw; solved from the draw nearest the mean, where d^2 << s^2 fixes the branch.
                smallestOffset = Math.abs(d);
                assumedVariance = solveVariance(sac.lastLogProbs()[0] + Math.log(1 - a * a + 1e-6), d);
            }
        }
        double empirical = sumSquares / draws;
        System.out.println("gSDE noise variance: empirical " + empirical + ", assumed " + assumedVariance);
        assertThat(assumedVariance).isGreaterThan(1e-3);
        assertThat(empirical).isCloseTo(assumedVariance, within(0.12 * assumedVariance));
    }

    /** The s^2 with -d^2 / (2 s^2) - log(s^2) / 2 - log(2 pi) / 2 = logDensity, on the branch s^2 > d^2. */
    private static double solveVariance(double logDensity, double d) {
        double lo = d * d;
        double hi = 1e6;
        for (int i = 0; i < 200; i++) {
            double mid = Math.sqrt(lo * Math.max(hi, 1e-300));
            double f = -d * d / (2 * mid) - 0.5 * Math.log(mid) - 0.5 * Math.log(2 * Math.PI);
            if (f > logDensity) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Test
    void actingNoiseIsRedrawnWhenARoundEndsAndEverySampleFrequencySteps() {
        for (int sampleFrequency : new int[] {-1, 3}) {
            SacConfig config = SacConfig.stableBaselines3().with("use_sde", true).with("hidden", "[8, 8]")
                    .with("batch_size", 8).with("buffer_size", 200).with("learning_starts", 0)
                    .with("train_frequency", 10).with("gradient_steps", 2)
                    .with("sde_sample_frequency", sampleFrequency).with("total_steps", 60);
            VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
            Sac sac = new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, 4);
            List<Long> redrawnAfter = new ArrayList<>();
            Agent watching = new Agent() {
                float[] last = sac.stateDependentExploration().actingWeights().clone();

                @Override
                public void act(VectorEnv e, long step, ActionBatch out) {
                    sac.act(e, step, out);
                }

                @Override
                public void observe(StepBatch batch, long step) {
                    sac.observe(batch, step);
                    float[] now = sac.stateDependentExploration().actingWeights();
                    if (!Arrays.equals(now, last)) {
                        redrawnAfter.add(step);
                        last = now.clone();
                    }
                }

                @Override
                public void predict(double[] observation, boolean[] mask, double[] out) {
                    sac.predict(observation, mask, out);
                }

                @Override
                public TrainingMetrics metrics() {
                    return sac.metrics();
                }
            };
            new Trainer(env, watching, 60, 4).run();
            List<Long> expected = new ArrayList<>();
            for (long step = 1; step <= 60; step++) {
                long intoRound = step % 10;
                if (intoRound == 0 || sampleFrequency > 0 && intoRound % sampleFrequency == 0) {
                    expected.add(step);
                }
            }
            assertThat(redrawnAfter).as("sde_sample_frequency %d", sampleFrequency).isEqualTo(expected);
        }
    }

    @Test
    void warmUpActsUniformlyUnlessToldToUseTheNoisyPolicy() {
        for (boolean atWarmup : new boolean[] {false, true}) {
            SacConfig config = small().with("learning_starts", 1000).with("use_sde_at_warmup", atWarmup)
                    .with("log_std_init", -20.0);
            VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
            env.reset(1);
            Sac sac = new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, 1);
            ActionBatch out = new ActionBatch(env.singleActionSpace(), 1);
            sac.act(env, 0, out);
            double[] greedy = new double[1];
            double[] obs = new double[3];
            for (int i = 0; i < 3; i++) {
                obs[i] = env.observations()[i];
            }
            sac.predict(obs, null, greedy);
            // With sigma = e^-20 the noisy policy's action is the greedy one to float precision; a uniform draw is not.
            if (atWarmup) {
                assertThat(out.box()[0]).isCloseTo(greedy[0], within(1e-6));
            } else {
                assertThat(Math.abs(out.box()[0] - greedy[0])).isGreaterThan(1e-6);
            }
        }
    }

    @Test
    void badSettingsAreRefusedWithTheKeyAndTheValue() {
        SacConfig base = SacConfig.stableBaselines3();
        assertThatThrownBy(() -> base.with("sde_sample_frequency", 0)).hasMessageContaining("sde_sample_frequency")
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> base.with("sde_sample_frequency", -4)).hasMessageContaining("got -4");
        assertThatThrownBy(() -> base.with("clip_mean", -1.0)).hasMessageContaining("clip_mean");
        assertThatThrownBy(() -> base.with("log_std_init", Double.NaN)).hasMessageContaining("log_std_init");
        assertThatThrownBy(() -> base.with("use_sde", "sometimes")).hasMessageContaining("use_sde")
                .hasMessageContaining("sometimes");
        assertThat(base.useSde()).isFalse();
        assertThat(base.logStdInit()).isEqualTo(-3.0);
        assertThat(base.clipMean()).isEqualTo(2.0);
        assertThat(base.fullStd()).isTrue();
    }

    @Test
    void aConfigSavedBeforeGsdeExistedStillAgrees() {
        SacConfig config = SacConfig.rlZooPendulum();
        Map<String, Object> saved = new java.util.LinkedHashMap<>(dev.deepq.train.RecordConfigs.toMap(config));
        for (String key : new String[] {"use_sde", "sde_sample_frequency", "use_sde_at_warmup", "log_std_init",
                "full_std", "use_expln", "clip_mean"}) {
            saved.remove(key);
        }
        assertThat(dev.deepq.train.RecordConfigs.difference(saved, config)).isNull();
        assertThat(dev.deepq.train.RecordConfigs.difference(saved, config.with("use_sde", true)))
                .isEqualTo("use_sde: not in the saved config");
    }

    @Test
    void aSavedModelLoadsAndActsTheSameWithStableBaselines3sTensorNames(@TempDir Path dir) throws Exception {
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
        SacConfig config = small().with("batch_size", 16).with("learning_starts", 50).with("total_steps", 300)
                .with("full_std", false);
        Sac sac = new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, 3);
        new Trainer(env, sac, 300, 3).run();
        Path file = dir.resolve("sac.safetensors");
        sac.save(file);
        dev.deepq.io.SafeTensors tensors = dev.deepq.io.SafeTensors.read(file);
        assertThat(tensors.tensor("actor.log_std").shape()).containsExactly(8, 1);
        assertThat(tensors.tensor("actor.mu.weight").shape()).containsExactly(1, 8);
        Sac loaded = Sac.load(file);
        assertThat(loaded.config()).isEqualTo(sac.config());
        assertThat(loaded.stateDependentExploration().logStd()).isEqualTo(sac.stateDependentExploration().logStd());
        double[] a = new double[1];
        double[] b = new double[1];
        sac.predict(new double[] {0.1, 0.9, -2}, null, a);
        loaded.predict(new double[] {0.1, 0.9, -2}, null, b);
        assertThat(b).isEqualTo(a);
    }

    @Test
    void trainsAndMovesItsLogStd() {
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
        SacConfig config = small().with("batch_size", 32).with("learning_starts", 100).with("total_steps", 600)
                .with("train_frequency", 8).with("gradient_steps", 8);
        Sac sac = new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, 2);
        float[] before = sac.stateDependentExploration().logStd().clone();
        new Trainer(env, sac, 600, 2).run();
        assertThat(sac.stateDependentExploration().logStd()).isNotEqualTo(before);
        assertThat(sac.metrics().get("critic_loss")).isFinite();
        assertThat(sac.metrics().get("entropy")).isFinite();
        assertThat(Evaluation.run(sac, Envs.make("Pendulum-v1"), 1, 0).mean()).isFinite();
    }
}
