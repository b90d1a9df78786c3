package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.env.Envs;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.eval.Evaluation;
import dev.deepq.io.SafeTensors;
import dev.deepq.random.Gaussian;
import dev.deepq.random.Rng;
import dev.deepq.state.StateWriter;
import dev.deepq.train.Trainer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REDQ and DroQ as settings of SAC: their presets, config errors, the actor gradient through the mean (and min) of an
 * ensemble and through dropout + layer-norm critics by finite differences, REDQ's update schedule (one actor and
 * alpha step per policy_frequency critic steps), determinism, and model files.
 */
class RedqDroqTest {

    /** Small REDQ: 5 critics, target over 2, 4 critic steps per env step, one actor step per 4. */
    static SacConfig smallRedq(long steps) {
        return SacConfig.redq().with("total_steps", steps).with("hidden", "[16, 16]").with("batch_size", 16)
                .with("buffer_size", 1000).with("learning_starts", 100).with("n_critics", 5)
                .with("gradient_steps", 4).with("policy_frequency", 4);
    }

    /** Small DroQ: 2 critics with dropout 0.1 and layer norm, 4 critic steps per env step. */
    static SacConfig smallDroq(long steps) {
        return SacConfig.droq().with("total_steps", steps).with("hidden", "[16, 16]").with("batch_size", 16)
                .with("buffer_size", 1000).with("learning_starts", 100).with("critic_dropout", 0.1)
                .with("gradient_steps", 4).with("policy_frequency", 4);
    }

    @Test
    void presetsCarryTheReferenceCodesValues() {
        SacConfig redq = SacConfig.redq();
        assertThat(redq.nCritics()).isEqualTo(10);
        assertThat(redq.targetSubsetSize()).isEqualTo(2);
        assertThat(redq.gradientSteps()).isEqualTo(20);
        assertThat(redq.trainFrequency()).isEqualTo(1);
        assertThat(redq.policyFrequency()).isEqualTo(20);
        assertThat(redq.policyCatchUp()).isFalse();
        assertThat(redq.actorQ()).isEqualTo(ActorQ.MEAN);
        assertThat(redq.qLearningRate()).isEqualTo(3e-4);
        assertThat(redq.policyLearningRate()).isEqualTo(3e-4);
        assertThat(redq.alphaLearningRate()).isEqualTo(3e-4);
        assertThat(redq.batchSize()).isEqualTo(256);
        assertThat(redq.tau()).isEqualTo(0.005);
        assertThat(redq.hidden()).containsExactly(256, 256);
        assertThat(redq.learningStarts()).isEqualTo(5000);
        assertThat(redq.criticDropout()).isZero();
        assertThat(redq.criticLayerNorm()).isFalse();
        SacConfig droq = SacConfig.droq();
        assertThat(droq.nCritics()).isEqualTo(2);
        assertThat(droq.targetSubsetSize()).isEqualTo(2);
        assertThat(droq.criticDropout()).isEqualTo(0.01);
        assertThat(droq.criticLayerNorm()).isTrue();
        assertThat(droq.gradientSteps()).isEqualTo(20);
        assertThat(droq.actorQ()).isEqualTo(ActorQ.MEAN);
        assertThat(Algorithms.get("redq").defaults()).isEqualTo(redq);
        assertThat(Algorithms.get("droq").defaults()).isEqualTo(droq);
        // SAC's defaults are the twin critics it always had.
        SacConfig sac = SacConfig.stableBaselines3();
        assertThat(sac.nCritics()).isEqualTo(2);
        assertThat(sac.targetSubsetSize()).isEqualTo(2);
        assertThat(sac.actorQ()).isEqualTo(ActorQ.MIN);
        assertThat(sac.policyCatchUp()).isTrue();
        assertThat(sac.normalizeObservations()).isFalse();
    }

    @Test
    void badEnsembleSettingsGiveClearErrors() {
        SacConfig redq = SacConfig.redq();
        assertThatThrownBy(() -> redq.with("target_subset", 11))
                .hasMessage("target_subset must be between 1 and n_critics (10), or 0 for all critics, got 11");
        assertThatThrownBy(() -> redq.with("n_critics", 1))
                .hasMessageContaining("target_subset must be between 1 and n_critics (1)");
        assertThatThrownBy(() -> redq.with("n_critics", 0)).hasMessage("n_critics must be between 1 and 100, got 0");
        assertThatThrownBy(() -> redq.with("critic_dropout", 1.0))
                .hasMessage("critic_dropout must be in [0, 1) (0 turns dropout off), got 1.0");
        assertThatThrownBy(() -> redq.with("critic_dropout", -0.01)).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> redq.with("actor_q", "median")).hasMessageContaining("actor_q")
                .hasMessageContaining("min").hasMessageContaining("mean");
        assertThatThrownBy(() -> redq.with("target_subset", -1)).hasMessageContaining("got -1");
    }

    @Test
    void actorGradientThroughTheEnsembleMeanOrMinMatchesFiniteDifferences() {
        for (ActorQ how : new ActorQ[] {ActorQ.MEAN, ActorQ.MIN}) {
            for (boolean droq : new boolean[] {false, true}) {
                SacConfig config = (droq ? SacConfig.droq().with("critic_dropout", 0.2) : SacConfig.redq()
                        .with("n_critics", 3)).with("hidden", "[8, 8]").with("batch_size", 5)
                        .with("buffer_size", 100).with("actor_q", how);
                double worst = actorFiniteDifferenceError(config);
                System.out.println("actor FD worst relative error (" + how + (droq ? ", DroQ critics" : ", 3 critics")
                        + "): " + worst);
                assertThat(worst).as("%s droq=%s", how, droq).isLessThan(2e-3);
            }
        }
    }

    /** The worst relative error of the actor's analytic gradient against central differences (masks held fixed). */
    private static double actorFiniteDifferenceError(SacConfig config) {
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
        Rng masks = sac.critics().dropoutRng();
        long[] maskState = masks == null ? null : masks.state();
        double alpha = 0.3;
        restore(masks, maskState);
        sac.actorLossGradient(obs, eps, b, alpha);
        float[] analytic = sac.actor().gradients().clone();
        float[] params = sac.actor().parameters();
        double worst = 0;
        for (int j = 0; j < params.length; j += 3) {
            double best = Double.MAX_VALUE;
            for (double h : new double[] {2e-3, 5e-4}) {
                float saved = params[j];
                params[j] = (float) (saved + h);
                restore(masks, maskState);
                double plus = sac.actorLossGradient(obs, eps, b, alpha);
                params[j] = (float) (saved - h);
                restore(masks, maskState);
                double minus = sac.actorLossGradient(obs, eps, b, alpha);
                params[j] = saved;
                double fd = (plus - minus) / (2 * h);
                best = Math.min(best, Math.abs(fd - analytic[j]) / Math.max(0.05, Math.abs(fd)));
            }
            worst = Math.max(worst, best);
        }
        return worst;
    }

    private static void restore(Rng rng, long[] state) {
        if (rng != null) {
            rng.restore(state);
        }
    }

    @Test
    void meanAndMinObjectivesGiveDifferentActorGradients() {
        SacConfig base = SacConfig.redq().with("n_critics", 3).with("hidden", "[8, 8]").with("batch_size", 5)
                .with("buffer_size", 100);
        Box actions = Box.float32(new double[] {-1}, new double[] {1});
        Box observations = Box.float32(new double[] {-1, -1}, new double[] {1, 1});
        float[] obs = {0.1f, 0.2f, -0.3f, 0.4f, 0.5f, -0.6f, 0.7f, 0.8f, -0.9f, 0.0f};
        float[] eps = {0.5f, -0.5f, 1f, 0.2f, -1.2f};
        Sac mean = new Sac(observations, actions, base.with("actor_q", "mean"), 3);
        Sac min = new Sac(observations, actions, base.with("actor_q", "min"), 3);
        double meanLoss = mean.actorLossGradient(obs, eps, 5, 0.2);
        double minLoss = min.actorLossGradient(obs, eps, 5, 0.2);
        // Same networks, so -min Q >= -mean Q row by row.
        assertThat(minLoss).isGreaterThan(meanLoss);
        assertThat(min.actor().gradients()).isNotEqualTo(mean.actor().gradients());
    }

    @Test
    void policyLossBeforeCriticStepTakesTheActorGradientFromTheCriticsBeforeTheirStep() {
        // From one saved state, one more gradient step twice: once as configured, once with the critics' learning rate
        // at 0 (the critics do not move). If the policy loss reads the critics before their step, the actor ends the
        // same both times; if it reads the stepped critics, it does not.
        for (boolean before : new boolean[] {true, false}) {
            SacConfig config = smallRedq(200).with("gradient_steps", 1).with("policy_frequency", 1)
                    .with("policy_loss_before_critic_step", before);
            VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
            Sac trained = new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, 4);
            new Trainer(env, trained, 200, 4).run();
            StateWriter saved = new StateWriter();
            trained.saveState(saved);
            Sac frozenCritics = new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, 4);
            frozenCritics.restoreState(new dev.deepq.state.StateReader(saved.snapshot()));
            frozenCritics.critics().setLearningRate(0);
            float[] criticBefore = trained.critic(0).parameters().clone();
            trained.trainStep();
            frozenCritics.trainStep();
            assertThat(trained.critic(0).parameters()).isNotEqualTo(criticBefore);
            assertThat(frozenCritics.critic(0).parameters()).isEqualTo(criticBefore);
            if (before) {
                assertThat(frozenCritics.actor().parameters()).isEqualTo(trained.actor().parameters());
            } else {
                assertThat(frozenCritics.actor().parameters()).isNotEqualTo(trained.actor().parameters());
            }
        }
        assertThat(SacConfig.redq().policyLossBeforeCriticStep()).isTrue();
        assertThat(SacConfig.droq().policyLossBeforeCriticStep()).isTrue();
        assertThat(SacConfig.stableBaselines3().policyLossBeforeCriticStep()).isFalse();
        assertThat(SacConfig.cleanRl().policyLossBeforeCriticStep()).isFalse();
        assertThatThrownBy(() -> SacConfig.redq()
                        .with("policy_loss_before_critic_step", "first"))
                .hasMessageContaining("policy_loss_before_critic_step").hasMessageContaining("first");
    }

    @Test
    void withoutCatchUpAnActorRoundIsOneActorStepAndOneAlphaStep() {
        long steps = 300;
        for (boolean catchUp : new boolean[] {false, true}) {
            SacConfig config = smallRedq(steps).with("policy_catch_up", catchUp);
            VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
            Sac sac = new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, 2);
            new Trainer(env, sac, steps, 2).run();
            long updates = sac.gradientUpdates();
            assertThat(updates).isEqualTo((steps - 100) * 4);
            StateWriter out = new StateWriter();
            sac.saveState(out);
            Map<String, Object> state = out.snapshot().entries();
            long rounds = updates / 4;
            long actorSteps = (Long) state.get("actor_optimizer/steps");
            long alphaSteps = (Long) state.get("alpha_optimizer/steps");
            if (catchUp) {
                assertThat(actorSteps).isEqualTo(4 * rounds);
                assertThat(alphaSteps).isEqualTo(updates);
            } else {
                assertThat(actorSteps).isEqualTo(rounds);
                assertThat(alphaSteps).isEqualTo(rounds);
            }
            assertThat((Long) state.get("q5_optimizer/steps")).isEqualTo(updates);
            assertThat(state).containsKey("target_subset_rng").doesNotContainKey("critic_dropout_rng");
        }
    }

    @Test
    void theActorStepsAfterTheLastCriticStepOfEachGroupAsREDQsCodeDoes() {
        // REDQ: policy update when (i_update + 1) % policy_update_delay == 0. One critic step per env step here, so
        // after 3 of 4 critic steps the actor has not moved and after 4 it has moved once.
        SacConfig config = smallRedq(200).with("gradient_steps", 1);
        for (long updates = 1; updates <= 8; updates++) {
            VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
            Sac sac = new Sac(env.singleObservationSpace(), env.singleActionSpace(),
                    config.with("total_steps", 100 + updates), 2);
            new Trainer(env, sac, 100 + updates, 2).run();
            assertThat(sac.gradientUpdates()).isEqualTo(updates);
            StateWriter out = new StateWriter();
            sac.saveState(out);
            Map<String, Object> state = out.snapshot().entries();
            assertThat((Long) state.get("actor_optimizer/steps")).as("after %d critic steps", updates)
                    .isEqualTo(updates / 4);
            assertThat((Long) state.get("alpha_optimizer/steps")).isEqualTo(updates / 4);
        }
    }

    private static float[] trainedWeights(SacConfig config, long seed) {
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), config.numEnvs(), 1);
        Sac sac = new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, seed);
        new Trainer(env, sac, config.totalSteps(), seed).run();
        int n = config.nCritics();
        float[] all = Arrays.copyOf(sac.actor().parameters(), sac.actor().parameterCount() + 1);
        all[all.length - 1] = (float) sac.entropyCoefficient();
        for (int i = 0; i < n; i++) {
            float[] q = sac.criticTarget(i).parameters();
            float[] joined = Arrays.copyOf(all, all.length + q.length);
            System.arraycopy(q, 0, joined, all.length, q.length);
            all = joined;
        }
        return all;
    }

    @Test
    void sameSeedSameWeightsForRedqAndDroq() {
        for (SacConfig config : new SacConfig[] {smallRedq(250), smallDroq(250).with("num_envs", 2)}) {
            float[] one = trainedWeights(config, 4);
            assertThat(trainedWeights(config, 4)).isEqualTo(one);
            assertThat(trainedWeights(config, 5)).isNotEqualTo(one);
        }
    }

    @Test
    void aSavedDroqModelWithNormalizedObservationsLoadsAndActsTheSame(@TempDir Path dir) throws Exception {
        SacConfig config = smallDroq(300).with("normalize_observations", true);
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
        Sac sac = new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, 3);
        new Trainer(env, sac, 300, 3).run();
        Path file = dir.resolve("droq.safetensors");
        sac.save(file);
        SafeTensors saved = SafeTensors.read(file);
        assertThat(saved.names()).contains("q1.2.weight", "q2.2.bias", "obs_rms.mean", "obs_rms.var",
                "obs_rms.count");
        Sac loaded = Sac.load(file);
        assertThat(loaded.config()).isEqualTo(config);
        assertThat(loaded.critic(1).parameters()).isEqualTo(sac.critic(1).parameters());
        assertThat(loaded.criticTarget(1).parameters()).isEqualTo(sac.critic(1).parameters());
        assertThat(loaded.observationNormalizer().statistics().state())
                .isEqualTo(sac.observationNormalizer().statistics().state());
        for (double[] o : new double[][] {{0.1, 0.9, -2}, {-1, 0, 7}, {0.5, -0.5, 0.3}}) {
            double[] a = new double[1];
            double[] b = new double[1];
            sac.predict(o, null, a);
            loaded.predict(o, null, b);
            assertThat(b).isEqualTo(a);
        }
        assertThat(Evaluation.run(loaded, Envs.make("Pendulum-v1"), 1, 0).mean()).isFinite();
    }

    @Test
    void redqAndDroqTrainThroughTheRegistry() {
        for (String name : new String[] {"redq", "droq"}) {
            @SuppressWarnings("unchecked")
            Algorithm<SacConfig> algorithm = (Algorithm<SacConfig>) Algorithms.get(name);
            SacConfig config = (name.equals("redq") ? smallRedq(200) : smallDroq(200));
            VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
            Sac agent = (Sac) algorithm.create(env.singleObservationSpace(), env.singleActionSpace(), config, 1);
            new Trainer(env, agent, 200, 1).run();
            assertThat(agent.gradientUpdates()).isEqualTo(100 * 4);
            assertThat(agent.metrics().get("critic_loss")).isFinite();
            assertThat(agent.metrics().get("actor_loss")).isFinite();
        }
    }

    @Test
    void xavierInitStartsEveryLayerAsREDQsCodeDoes() {
        SacConfig config = SacConfig.redq().with("hidden", "[32, 16]")
                .with("n_critics", 3);
        Sac sac = new Sac(dev.deepq.env.spaces.Box.float32(new double[] {-1, -1, -1}, new double[] {1, 1, 1}),
                dev.deepq.env.spaces.Box.float32(new double[] {-2}, new double[] {2}), config, 4);
        // Weights within gain * sqrt(6 / (fan_in + fan_out)), biases 0, for the actor and every critic.
        java.util.List<dev.deepq.nn.Network> networks = new java.util.ArrayList<>(java.util.List.of(sac.actor()));
        for (int i = 0; i < 3; i++) {
            networks.add(sac.critic(i));
        }
        for (dev.deepq.nn.Network net : networks) {
            for (dev.deepq.nn.ParameterView view : net.parameterViews()) {
                float[] p = net.parameters();
                if (view.name().endsWith("bias")) {
                    for (int k = 0; k < view.size(); k++) {
                        assertThat(p[view.offset() + k]).as(view.name()).isZero();
                    }
                } else {
                    int[] shape = view.shape();
                    double bound = Math.sqrt(6.0 / (shape[0] + shape[1]));
                    double max = 0;
                    for (int k = 0; k < view.size(); k++) {
                        max = Math.max(max, Math.abs(p[view.offset() + k]));
                    }
                    assertThat(max).as(view.name()).isLessThanOrEqualTo(bound).isGreaterThan(0.5 * bound);
                }
            }
        }
        assertThat(SacConfig.redq().networkInit()).isEqualTo(NetworkInit.XAVIER_UNIFORM);
        assertThat(SacConfig.droq().networkInit()).isEqualTo(NetworkInit.XAVIER_UNIFORM);
        assertThat(SacConfig.stableBaselines3().networkInit()).isEqualTo(NetworkInit.PYTORCH);
    }
}
