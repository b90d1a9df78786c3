package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.deepq.env.Envs;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.eval.Evaluation;
import dev.deepq.nn.Mlp;
import dev.deepq.nn.Network;
import dev.deepq.random.Gaussian;
import dev.deepq.random.Rng;
import dev.deepq.train.Trainer;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SAC's math by finite differences (squashed-Gaussian log-probability, its derivatives, the critic's dQ/da, the
 * actor loss gradient through both critics, the entropy-coefficient gradient), its boundaries, and determinism.
 */
class SacTest {

    // ---- squashed Gaussian ----

    @Test
    void stableLogOneMinusTanhSquaredMatchesTheDirectFormulaAndStaysFiniteFarOut() {
        for (double u : new double[] {-3, -0.7, 0, 0.2, 1.5, 4}) {
            double t = Math.tanh(u);
            assertThat(SquashedGaussian.logOneMinusTanhSquared(u)).isCloseTo(Math.log(1 - t * t), within(1e-12));
        }
        // Where 1 - tanh(u)^2 underflows to 0 the stable form keeps the exact asymptote 2 (log 2 - |u|).
        for (double u : new double[] {-40, 40, 400}) {
            assertThat(SquashedGaussian.logOneMinusTanhSquared(u)).isCloseTo(2 * (Math.log(2) - Math.abs(u)),
                    within(1e-9));
        }
    }

    @Test
    void logProbIsTheChangeOfVariablesDensity() {
        // log pi(a) = log N(u; mean, std) - log(1 - a^2), a = tanh(u): check against the Gaussian density directly.
        double mean = 0.3;
        double logStd = -0.4;
        double eps = 1.1;
        double std = Math.exp(logStd);
        double u = mean + std * eps;
        double gaussian = -0.5 * Math.pow((u - mean) / std, 2) - Math.log(std * Math.sqrt(2 * Math.PI));
        double a = Math.tanh(u);
        assertThat(SquashedGaussian.logProb(logStd, eps, u)).isCloseTo(gaussian - Math.log(1 - a * a), within(1e-12));
        // And it integrates to 1 over a in (-1, 1) (midpoint rule in u, density in a times da/du).
        double total = 0;
        double du = 1e-3;
        for (double x = -12; x < 12; x += du) {
            double uu = x + du / 2;
            double e = (uu - mean) / std;
            double t = Math.tanh(uu);
            total += Math.exp(SquashedGaussian.logProb(logStd, e, uu)) * (1 - t * t) * du;
        }
        assertThat(total).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void logProbDerivativesWithTheNoiseHeldFixedMatchFiniteDifferences() {
        double h = 1e-6;
        double worst = 0;
        for (double[] c : new double[][] {{0.3, -0.4, 1.1}, {-1.2, 0.5, -0.8}, {2.5, -2, 0.3}, {0, 1.5, -2.2}}) {
            double mean = c[0];
            double logStd = c[1];
            double eps = c[2];
            double u = mean + Math.exp(logStd) * eps;
            double t = Math.tanh(u);
            double dMean = 2 * t;
            double dLogStd = -1 + 2 * t * Math.exp(logStd) * eps;
            double fdMean = (logProbAt(mean + h, logStd, eps) - logProbAt(mean - h, logStd, eps)) / (2 * h);
            double fdLogStd = (logProbAt(mean, logStd + h, eps) - logProbAt(mean, logStd - h, eps)) / (2 * h);
            worst = Math.max(worst, Math.max(Math.abs(fdMean - dMean), Math.abs(fdLogStd - dLogStd)));
        }
        System.out.println("log-prob FD worst abs error: " + worst);
        assertThat(worst).isLessThan(1e-7);
    }

    private static double logProbAt(double mean, double logStd, double eps) {
        return SquashedGaussian.logProb(logStd, eps, mean + Math.exp(logStd) * eps);
    }

    @Test
    void boundedLogStdAndItsSlopeMatchFiniteDifferences() {
        double h = 1e-6;
        for (double raw : new double[] {-30, -4, -0.5, 0.7, 1.9, 5}) {
            double fd = (SquashedGaussian.logStd(raw + h, -5, 2, true) - SquashedGaussian.logStd(raw - h, -5, 2, true))
                    / (2 * h);
            assertThat(SquashedGaussian.logStdSlope(raw, -5, 2, true)).isCloseTo(fd, within(1e-8));
            assertThat(SquashedGaussian.logStd(raw, -5, 2, true)).isBetween(-5.0, 2.0);
            assertThat(SquashedGaussian.logStd(raw, -20, 2, false)).isEqualTo(Math.min(2, Math.max(-20, raw)));
        }
        assertThat(SquashedGaussian.logStdSlope(5, -20, 2, false)).isZero();
        assertThat(SquashedGaussian.logStdSlope(1, -20, 2, false)).isEqualTo(1);
    }

    @Test
    void gaussianDrawsHaveUnitMomentsAndAreReproducible() {
        float[] x = new float[200_001];
        Gaussian.fill(Rng.seeded(5), x, 0, x.length);
        double mean = 0;
        double square = 0;
        for (float v : x) {
            mean += v;
            square += v * v;
        }
        mean /= x.length;
        square /= x.length;
        // Standard errors: 1/sqrt(n) = 0.0022 for the mean, sqrt(2/n) = 0.0032 for the second moment.
        assertThat(mean).isCloseTo(0, within(0.01));
        assertThat(square).isCloseTo(1, within(0.015));
        float[] y = new float[x.length];
        Gaussian.fill(Rng.seeded(5), y, 0, y.length);
        assertThat(y).isEqualTo(x);
    }

    // ---- gradients through the networks ----

    @Test
    void criticInputGradientIsDqDaByFiniteDifferences() {
        Network q = Network.create(Mlp.builder(4).hidden(16, 16).output(1), 3).initialize(Rng.seeded(3))
                .enableInputGradient();
        float[] in = {0.3f, -0.2f, 0.9f, 0.5f, -1f, 0.1f, 0.4f, -0.6f, 0.7f, 0.2f, -0.3f, 0.8f};
        q.forward(in, 0, 3);
        q.backward(new float[] {1, 1, 1});
        float[] analytic = q.inputGradient().clone();
        float h = 1e-2f;
        double worst = 0;
        for (int k = 0; k < in.length; k++) {
            float[] plus = in.clone();
            float[] minus = in.clone();
            plus[k] += h;
            minus[k] -= h;
            double fd = (q.forward(plus, 0, 3)[k / 4] - q.forward(minus, 0, 3)[k / 4]) / (2.0 * h);
            worst = Math.max(worst, Math.abs(fd - analytic[k]));
        }
        System.out.println("critic dQ/da FD worst abs error: " + worst);
        assertThat(worst).isLessThan(2e-3);
    }

    @Test
    void actorLossGradientMatchesFiniteDifferencesThroughBothCriticsAndTheLogProb() {
        for (boolean smooth : new boolean[] {false, true}) {
            SacConfig config = SacConfig.stableBaselines3().with("hidden", "[8, 8]").with("batch_size", 5)
                    .with("buffer_size", 100).with("smooth_log_std", smooth).with("log_std_min", -5);
            Box actions = Box.float32(new double[] {-2, 0}, new double[] {2, 3});
            Box observations = Box.float32(new double[] {-1, -1, -1}, new double[] {1, 1, 1});
            Sac sac = new Sac(observations, actions, config, 11);
            int b = 5;
            float[] obs = new float[b * 3];
            float[] eps = new float[b * 2];
            Rng rng = Rng.seeded(1);
            for (int i = 0; i < obs.length; i++) {
                obs[i] = (float) rng.uniform(-1, 1);
            }
            Gaussian.fill(rng, eps, 0, eps.length);
            double alpha = 0.3;
            sac.actorLossGradient(obs, eps, b, alpha);
            float[] analytic = sac.actor().gradients().clone();
            float[] params = sac.actor().parameters();
            // Central differences at two step sizes; a ReLU kink or a switch of the smaller critic inside the
            // larger step spoils only that one, so each parameter is judged by the better of the two.
            double worstRelative = 0;
            int checked = 0;
            for (int j = 0; j < params.length; j += 3) {
                double best = Double.MAX_VALUE;
                for (double h : new double[] {2e-3, 5e-4}) {
                    float saved = params[j];
                    params[j] = (float) (saved + h);
                    double plus = sac.actorLossGradient(obs, eps, b, alpha);
                    params[j] = (float) (saved - h);
                    double minus = sac.actorLossGradient(obs, eps, b, alpha);
                    params[j] = saved;
                    double fd = (plus - minus) / (2 * h);
                    best = Math.min(best, Math.abs(fd - analytic[j]) / Math.max(0.05, Math.abs(fd)));
                }
                worstRelative = Math.max(worstRelative, best);
                checked++;
            }
            System.out.println("SAC actor FD worst relative error (smooth=" + smooth + "): " + worstRelative);
            assertThat(checked).isGreaterThan(20);
            assertThat(worstRelative).as("smooth=%s", smooth).isLessThan(2e-3);
        }
    }

    @Test
    void entropyCoefficientGradientMatchesFiniteDifferences() {
        double h = 1e-6;
        for (double[] c : new double[][] {{0.0, -1.3, -1}, {-2.1, 0.4, -3}, {0.7, -0.2, -0.5}}) {
            double fd = (Sac.alphaLoss(c[0] + h, c[1], c[2]) - Sac.alphaLoss(c[0] - h, c[1], c[2])) / (2 * h);
            assertThat(Sac.alphaLossGradient(c[1], c[2])).isCloseTo(fd, within(1e-8));
        }
        // Entropy below target (mean log pi above -target) must raise alpha: the gradient on log alpha is negative.
        assertThat(Sac.alphaLossGradient(0.5, -1)).isPositive();
        assertThat(Sac.alphaLossGradient(-2, -1)).isPositive().isEqualTo(3.0);
        assertThat(Sac.alphaLossGradient(0, -1)).isEqualTo(1.0);
    }

    // ---- boundaries, acting, determinism ----

    @Test
    void refusesDiscreteAndUnboundedActionSpaces() {
        Box obs = Box.float32(new double[] {-1}, new double[] {1});
        assertThatThrownBy(() -> new Sac(obs, new Discrete(3), SacConfig.rlZooPendulum(), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Box action space");
        Box unbounded = Box.float32(new double[] {Double.NEGATIVE_INFINITY}, new double[] {1});
        assertThatThrownBy(() -> new Sac(obs, unbounded, SacConfig.rlZooPendulum(), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unbounded");
    }

    @Test
    void presetsCarryTheDocumentedValues() {
        SacConfig zoo = SacConfig.rlZooPendulum();
        assertThat(zoo.policyLearningRate()).isEqualTo(1e-3);
        assertThat(zoo.qLearningRate()).isEqualTo(1e-3);
        assertThat(zoo.totalSteps()).isEqualTo(20_000);
        assertThat(zoo.bufferSize()).isEqualTo(1_000_000);
        assertThat(zoo.batchSize()).isEqualTo(256);
        assertThat(zoo.learningStarts()).isEqualTo(100);
        assertThat(zoo.hidden()).containsExactly(256, 256);
        SacConfig clean = SacConfig.cleanRl();
        assertThat(clean.policyFrequency()).isEqualTo(2);
        assertThat(clean.learningStarts()).isEqualTo(5000);
        assertThat(clean.smoothLogStd()).isTrue();
        assertThat(Algorithms.get("sac").defaults()).isEqualTo(SacConfig.stableBaselines3());
    }

    @Test
    void actionsStayInsideAsymmetricBoundsAndPredictIsDeterministic() {
        Box actions = Box.float32(new double[] {-2, 0}, new double[] {2, 3});
        Box observations = Box.float32(new double[] {-1, -1}, new double[] {1, 1});
        Sac sac = new Sac(observations, actions, SacConfig.rlZooPendulum().with("hidden", "[8]"), 2);
        double[] a = new double[2];
        double[] again = new double[2];
        sac.predict(new double[] {0.5, -0.5}, null, a);
        sac.predict(new double[] {0.5, -0.5}, null, again);
        assertThat(again).isEqualTo(a);
        assertThat(actions.contains(a)).isTrue();
    }

    static SacConfig small(long steps) {
        return SacConfig.rlZooPendulum().with("total_steps", steps).with("hidden", "[32, 32]").with("batch_size", 32)
                .with("buffer_size", 2000).with("learning_starts", 100);
    }

    private static float[] trainedWeights(SacConfig config, int threads, long seed) {
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), config.numEnvs(), threads);
        Sac sac = new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, seed);
        new Trainer(env, sac, config.totalSteps(), seed).run();
        float[] all = Arrays.copyOf(sac.actor().parameters(), sac.actor().parameterCount() + 1);
        all[all.length - 1] = (float) sac.entropyCoefficient();
        return all;
    }

    @Test
    void sameSeedSameWeightsAndTheEnvThreadCountDoesNotMatter() {
        SacConfig config = small(600).with("num_envs", 2);
        float[] one = trainedWeights(config, 1, 4);
        assertThat(trainedWeights(config, 1, 4)).isEqualTo(one);
        assertThat(trainedWeights(config, 2, 4)).isEqualTo(one);
        assertThat(trainedWeights(config, 1, 5)).isNotEqualTo(one);
    }

    @Test
    void linearScheduleFallsToZeroAtTheLastStep() {
        assertThat(LearningRateSchedule.LINEAR.factor(0, 400)).isEqualTo(1.0);
        assertThat(LearningRateSchedule.LINEAR.factor(100, 400)).isEqualTo(0.75);
        assertThat(LearningRateSchedule.LINEAR.factor(400, 400)).isEqualTo(0.0);
        assertThat(LearningRateSchedule.CONSTANT.factor(400, 400)).isEqualTo(1.0);
        // The training round after the run's last env step has every rate at 0, so it leaves actor and alpha as they
        // were one step earlier; with constant rates it moves them.
        SacConfig linear = small(400).with("lr_schedule", "linear");
        float[] before = trainedWeights(linear, 399);
        assertThat(trainedWeights(linear, 400)).isEqualTo(before);
        assertThat(before).isNotEqualTo(trainedWeights(small(400), 399));
        assertThat(trainedWeights(small(400), 400)).isNotEqualTo(trainedWeights(small(400), 399));
    }

    @Test
    void perEpisodeTrainingOnFixedLengthEpisodesIsAFixedRoundEveryEpisodeLength() {
        SacConfig fixed = small(800).with("learning_starts", 200).with("train_frequency", 200)
                .with("gradient_steps", 200);
        SacConfig perEpisode = fixed.with("train_frequency", 1).with("train_frequency_unit", "episode")
                .with("gradient_steps", -1);
        float[] expected = trainedWeights(fixed, 800);
        assertThat(trainedWeights(perEpisode, 800)).isEqualTo(expected);
        assertThat(trainedWeights(fixed.with("gradient_steps", 100), 800)).isNotEqualTo(expected);
    }

    @Test
    void aConfigSavedBeforeNewKeysExistedAgreesWhenTheyHoldTheirOldBehaviour() {
        SacConfig config = SacConfig.rlZooPendulum();
        java.util.Map<String, Object> saved = new java.util.LinkedHashMap<>(dev.deepq.train.RecordConfigs.toMap(config));
        saved.remove("lr_schedule");
        saved.remove("train_frequency_unit");
        saved.remove("network_init");
        assertThat(dev.deepq.train.RecordConfigs.difference(saved, config)).isNull();
        assertThat(dev.deepq.train.RecordConfigs.difference(saved, config.with("network_init", "xavier_uniform")))
                .isEqualTo("network_init: not in the saved config");
        saved.remove("gamma");
        assertThat(dev.deepq.train.RecordConfigs.difference(saved, config)).isEqualTo("gamma: not in the saved config");
    }

    private static float[] trainedWeights(SacConfig config, long steps) {
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
        Sac sac = new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, 7);
        new Trainer(env, sac, steps, 7).run();
        float[] all = Arrays.copyOf(sac.actor().parameters(), sac.actor().parameterCount() + 1);
        all[all.length - 1] = (float) sac.entropyCoefficient();
        return all;
    }

    @Test
    void aSavedModelLoadsAndActsTheSame(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
        Sac sac = new Sac(env.singleObservationSpace(), env.singleActionSpace(), small(300), 3);
        new Trainer(env, sac, 300, 3).run();
        java.nio.file.Path file = dir.resolve("sac.safetensors");
        sac.save(file);
        Sac loaded = Sac.load(file);
        assertThat(loaded.config()).isEqualTo(sac.config());
        assertThat(loaded.actor().parameters()).isEqualTo(sac.actor().parameters());
        assertThat(loaded.critic(1).parameters()).isEqualTo(sac.critic(1).parameters());
        double[] a = new double[1];
        double[] b = new double[1];
        sac.predict(new double[] {0.1, 0.9, -2}, null, a);
        loaded.predict(new double[] {0.1, 0.9, -2}, null, b);
        assertThat(b).isEqualTo(a);
    }

    @Test
    void trainsAndEvaluatesThroughTheRegistry() {
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
        Sac sac = (Sac) ((Algorithm<SacConfig>) (Algorithm<?>) Algorithms.get("sac"))
                .create(env.singleObservationSpace(), env.singleActionSpace(), small(400), 1);
        new Trainer(env, sac, 400, 1).run();
        assertThat(sac.gradientUpdates()).isEqualTo(400 - 100);
        assertThat(sac.metrics().get("critic_loss")).isFinite();
        assertThat(Evaluation.run(sac, Envs.make("Pendulum-v1"), 1, 0).mean()).isFinite();
    }
}
