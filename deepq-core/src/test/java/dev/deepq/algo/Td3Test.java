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
import dev.deepq.random.Rng;
import dev.deepq.train.Trainer;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TD3 and DDPG: the actor gradient by finite differences, OU noise statistics, presets, determinism. */
class Td3Test {

    @Test
    void actorLossGradientMatchesFiniteDifferences() {
        Td3Config config = Td3Config.stableBaselines3().with("hidden", "[8, 8]").with("batch_size", 5)
                .with("buffer_size", 100);
        Box actions = Box.float32(new double[] {-2, 0}, new double[] {2, 3});
        Box observations = Box.float32(new double[] {-1, -1, -1}, new double[] {1, 1, 1});
        Td3 td3 = new Td3(observations, actions, config, 11);
        int b = 5;
        float[] obs = new float[b * 3];
        Rng rng = Rng.seeded(1);
        for (int i = 0; i < obs.length; i++) {
            obs[i] = (float) rng.uniform(-1, 1);
        }
        td3.actorLossGradient(obs, b);
        float[] analytic = td3.actor().gradients().clone();
        float[] params = td3.actor().parameters();
        double worst = 0;
        for (int j = 0; j < params.length; j += 2) {
            double best = Double.MAX_VALUE;
            for (double h : new double[] {2e-3, 5e-4}) {
                float saved = params[j];
                params[j] = (float) (saved + h);
                double plus = td3.actorLossGradient(obs, b);
                params[j] = (float) (saved - h);
                double minus = td3.actorLossGradient(obs, b);
                params[j] = saved;
                double fd = (plus - minus) / (2 * h);
                best = Math.min(best, Math.abs(fd - analytic[j]) / Math.max(0.05, Math.abs(fd)));
            }
            worst = Math.max(worst, best);
        }
        System.out.println("TD3 actor FD worst relative error: " + worst);
        assertThat(worst).isLessThan(2e-3);
    }

    @Test
    void ornsteinUhlenbeckNoiseRevertsToItsMeanWithTheStationaryVarianceAndAutocorrelation() {
        double sigma = 0.3;
        double theta = 0.15;
        double dt = 0.01;
        OrnsteinUhlenbeckNoise ou = new OrnsteinUhlenbeckNoise(1, sigma, theta, dt, Rng.seeded(9));
        // Mean reversion: started far out, the expected state decays as (1 - theta dt)^k.
        int paths = 2000;
        int k = 400;
        OrnsteinUhlenbeckNoise many = new OrnsteinUhlenbeckNoise(paths, sigma, theta, dt, Rng.seeded(3));
        double[] x = many.next();
        Arrays.fill(x, 1.0);
        for (int t = 0; t < k; t++) {
            many.next();
        }
        double mean = Arrays.stream(x).average().orElseThrow();
        double rho = 1 - theta * dt;
        double expected = Math.pow(rho, k); // 0.549
        // The spread of one path after k steps from a fixed start: sigma^2 dt (1 - rho^2k) / (1 - rho^2).
        double spreadAtK = sigma * Math.sqrt(dt * (1 - Math.pow(rho, 2 * k)) / (1 - rho * rho));
        assertThat(mean).isCloseTo(expected, within(4 * spreadAtK / Math.sqrt(paths) + 1e-3));
        // Long run: variance sigma^2 dt / (1 - (1 - theta dt)^2) ~ sigma^2 / (2 theta), lag-100 autocorrelation.
        int n = 400_000;
        double[] series = new double[n];
        for (int t = 0; t < 20_000; t++) {
            ou.next();
        }
        for (int t = 0; t < n; t++) {
            series[t] = ou.next()[0];
        }
        double m = Arrays.stream(series).average().orElseThrow();
        double var = 0;
        double cov = 0;
        int lag = 100;
        for (int t = 0; t < n; t++) {
            var += (series[t] - m) * (series[t] - m);
            if (t + lag < n) {
                cov += (series[t] - m) * (series[t + lag] - m);
            }
        }
        var /= n;
        cov /= n - lag;
        double stationary = sigma * sigma * dt / (1 - Math.pow(1 - theta * dt, 2));
        assertThat(var).isCloseTo(stationary, within(0.15 * stationary));
        assertThat(cov / var).isCloseTo(Math.pow(1 - theta * dt, lag), within(0.1));
        assertThat(Math.abs(m)).isLessThan(3 * Math.sqrt(stationary));
        ou.reset(0, 1);
        assertThat(ou.next()[0]).isCloseTo(0, within(5 * sigma * Math.sqrt(dt)));
    }

    @Test
    void presetsCarryTheDocumentedValues() {
        Td3Config zoo = Td3Config.rlZooPendulum();
        assertThat(zoo.gamma()).isEqualTo(0.98);
        assertThat(zoo.bufferSize()).isEqualTo(200_000);
        assertThat(zoo.learningStarts()).isEqualTo(10_000);
        assertThat(zoo.hidden()).containsExactly(400, 300);
        assertThat(zoo.totalSteps()).isEqualTo(20_000);
        Td3Config ddpg = Td3Config.ddpg();
        assertThat(ddpg.twinCritics()).isFalse();
        assertThat(ddpg.policyDelay()).isEqualTo(1);
        assertThat(ddpg.targetPolicyNoise()).isZero();
        assertThat(Algorithms.get("ddpg").defaults()).isEqualTo(ddpg);
        assertThat(Algorithms.get("td3").defaults()).isEqualTo(Td3Config.stableBaselines3());
        assertThatThrownBy(() -> new Td3(Box.float32(new double[] {-1}, new double[] {1}), new Discrete(2), zoo, 1))
                .hasMessageContaining("TD3 needs a Box action space");
    }

    static Td3Config small(long steps) {
        return Td3Config.stableBaselines3().with("total_steps", steps).with("hidden", "[32, 32]")
                .with("batch_size", 32).with("buffer_size", 2000).with("learning_starts", 100);
    }

    private static float[] trainedWeights(Td3Config config, int threads, long seed) {
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), config.numEnvs(), threads);
        Td3 td3 = new Td3(env.singleObservationSpace(), env.singleActionSpace(), config, seed);
        new Trainer(env, td3, config.totalSteps(), seed).run();
        return td3.actor().parameters().clone();
    }

    @Test
    void sameSeedSameWeightsAndTheEnvThreadCountDoesNotMatter() {
        for (Td3Config config : new Td3Config[] {small(600).with("num_envs", 2),
                small(600).with("num_envs", 2).with("twin_critics", false).with("policy_delay", 1)
                        .with("noise", "ornstein_uhlenbeck")}) {
            float[] one = trainedWeights(config, 1, 4);
            assertThat(trainedWeights(config, 1, 4)).isEqualTo(one);
            assertThat(trainedWeights(config, 2, 4)).isEqualTo(one);
            assertThat(trainedWeights(config, 1, 5)).isNotEqualTo(one);
        }
    }

    @Test
    void aSavedModelLoadsAndActsTheSame(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
        Td3 td3 = new Td3(env.singleObservationSpace(), env.singleActionSpace(), small(300), 3);
        new Trainer(env, td3, 300, 3).run();
        java.nio.file.Path file = dir.resolve("td3.safetensors");
        td3.save(file);
        Td3 loaded = Td3.load(file);
        assertThat(loaded.config()).isEqualTo(td3.config());
        assertThat(loaded.actor().parameters()).isEqualTo(td3.actor().parameters());
        assertThat(loaded.critic(1).parameters()).isEqualTo(td3.critic(1).parameters());
        double[] a = new double[1];
        double[] b = new double[1];
        td3.predict(new double[] {0.1, 0.9, -2}, null, a);
        loaded.predict(new double[] {0.1, 0.9, -2}, null, b);
        assertThat(b).isEqualTo(a);
    }

    @Test
    void theDelayedActorStepFollowsEverySecondCriticStepCountedFromOneAsStableBaselines3Does() {
        // SB3: self._n_updates += 1, then if self._n_updates % policy_delay == 0: actor step and target updates.
        for (long updates = 1; updates <= 5; updates++) {
            VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
            Td3 td3 = new Td3(env.singleObservationSpace(), env.singleActionSpace(), small(100 + updates), 1);
            new Trainer(env, td3, 100 + updates, 1).run();
            assertThat(td3.gradientUpdates()).isEqualTo(updates);
            dev.deepq.state.StateWriter out = new dev.deepq.state.StateWriter();
            td3.saveState(out);
            assertThat((Long) out.snapshot().entries().get("actor_optimizer/steps"))
                    .as("after %d critic steps", updates).isEqualTo(updates / 2);
        }
    }

    @Test
    void warmupNoiseAddsTheExplorationNoiseToTheUniformWarmUpActionsAsStableBaselines3Does() {
        // Pendulum's torque bounds are +-2; with noise std 5 almost every noisy action is clipped to a bound, and no
        // uniform draw lands exactly on one.
        for (boolean warmupNoise : new boolean[] {true, false}) {
            Td3Config config = small(1000).with("learning_starts", 1000).with("noise_std", 5.0)
                    .with("warmup_noise", warmupNoise);
            VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
            env.reset(1);
            Td3 td3 = new Td3(env.singleObservationSpace(), env.singleActionSpace(), config, 1);
            dev.deepq.train.ActionBatch out = new dev.deepq.train.ActionBatch(env.singleActionSpace(), 1);
            int atBounds = 0;
            for (int step = 0; step < 200; step++) {
                td3.act(env, step, out);
                double a = out.box()[0];
                assertThat(a).isBetween(-2.0, 2.0);
                atBounds += Math.abs(a) == 2 ? 1 : 0;
            }
            if (warmupNoise) {
                assertThat(atBounds).isGreaterThan(100);
            } else {
                assertThat(atBounds).isZero();
            }
        }
        assertThatThrownBy(() -> Td3Config.stableBaselines3().with("warmup_noise", "maybe"))
                .hasMessageContaining("warmup_noise").hasMessageContaining("maybe");
        assertThat(Td3Config.stableBaselines3().warmupNoise()).isTrue();
        assertThat(Td3Config.cleanRl().warmupNoise()).isFalse();
    }

    @Test
    void trainsAndEvaluates() {
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
        Td3 td3 = new Td3(env.singleObservationSpace(), env.singleActionSpace(), small(400), 1);
        new Trainer(env, td3, 400, 1).run();
        assertThat(td3.gradientUpdates()).isEqualTo(400 - 100);
        assertThat(td3.metrics().get("critic_loss")).isFinite();
        assertThat(Evaluation.run(td3, Envs.make("Pendulum-v1"), 1, 0).mean()).isFinite();
    }

    @Test
    void perEpisodeTrainingOnFixedLengthEpisodesIsAFixedRoundEveryEpisodeLength() {
        // Pendulum's episodes are 200 steps: SB3's train_freq [1, episode] with gradient_steps -1 is then a round of
        // 200 steps every 200 env steps, which the RL Zoo preset writes with step counts.
        Td3Config fixed = Td3Config.rlZooPendulum().with("total_steps", 1_000).with("learning_starts", 200)
                .with("hidden", "[16, 16]").with("batch_size", 16).with("buffer_size", 1_000);
        Td3Config perEpisode = fixed.with("train_frequency", 1).with("train_frequency_unit", "episode")
                .with("gradient_steps", -1);
        float[][] actors = new float[2][];
        long[] updates = new long[2];
        int k = 0;
        for (Td3Config config : new Td3Config[] {fixed, perEpisode}) {
            VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
            Td3 td3 = new Td3(env.singleObservationSpace(), env.singleActionSpace(), config, 5);
            new Trainer(env, td3, config.totalSteps(), 5).run();
            actors[k] = td3.actor().parameters().clone();
            updates[k++] = td3.gradientUpdates();
        }
        assertThat(updates[1]).isEqualTo(800).isEqualTo(updates[0]);
        assertThat(actors[1]).isEqualTo(actors[0]);
        assertThatThrownBy(() -> fixed.with("gradient_steps", -2)).hasMessageContaining("gradient_steps");
        assertThatThrownBy(() -> fixed.with("train_frequency_unit", "epoch")).hasMessageContaining("train_frequency_unit");
    }
}
