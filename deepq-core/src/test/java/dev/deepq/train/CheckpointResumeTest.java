package dev.deepq.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.algo.Dqn;
import dev.deepq.algo.DqnConfig;
import dev.deepq.algo.Sac;
import dev.deepq.algo.SacConfig;
import dev.deepq.algo.TabularAgent;
import dev.deepq.algo.Td3;
import dev.deepq.algo.Td3Config;
import dev.deepq.algo.TabularConfig;
import dev.deepq.env.Envs;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.random.Rng;
import dev.deepq.state.StateSnapshot;
import dev.deepq.state.StateWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill-and-resume: a run interrupted at some step (killed, resuming from the latest periodic checkpoint, or stopped,
 * writing a checkpoint at the stop) and resumed from disk into freshly built objects ends with the same bytes as the
 * uninterrupted run: weights, optimizer, replay, generators, episode log, metrics CSV and evaluation results.
 */
class CheckpointResumeTest {
    private static final long INTERVAL = 300;

    @TempDir
    Path dir;

    /** Everything one run is made of, built afresh for every attempt. */
    record Run(Trainer trainer, EpisodeMetricsRecorder recorder, PeriodicEvaluation evaluation) {}

    static Supplier<Run> dqn(String envId, DqnConfig config, long seed) {
        return dqn(envId, config, seed, config.totalSteps());
    }

    /** A DQN run whose trainer stops at {@code trainerSteps}, which may differ from the config's total (extensions). */
    static Supplier<Run> dqn(String envId, DqnConfig config, long seed, long trainerSteps) {
        return () -> {
            VectorEnv env = VectorEnvs.make(envId, Map.of(), config.numEnvs(), 1);
            Dqn agent = new Dqn(env.singleObservationSpace(), env.singleActionSpace(), config, seed);
            return assemble(new Trainer(env, agent, trainerSteps, seed), envId);
        };
    }

    static Supplier<Run> sac(String envId, SacConfig config, long seed) {
        return () -> {
            VectorEnv env = VectorEnvs.make(envId, Map.of(), config.numEnvs(), 1);
            Sac agent = new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, seed);
            return assemble(new Trainer(env, agent, config.totalSteps(), seed), envId);
        };
    }

    static Supplier<Run> td3(String envId, Td3Config config, long seed) {
        return () -> {
            VectorEnv env = VectorEnvs.make(envId, Map.of(), config.numEnvs(), 1);
            Td3 agent = new Td3(env.singleObservationSpace(), env.singleActionSpace(), config, seed);
            return assemble(new Trainer(env, agent, config.totalSteps(), seed), envId);
        };
    }

    static Supplier<Run> tabular(String envId, TabularConfig config, long seed) {
        return () -> {
            VectorEnv env = VectorEnvs.make(envId, Map.of(), 1, 1);
            TabularAgent agent = new TabularAgent(env.singleObservationSpace(), env.singleActionSpace(), config, seed);
            return assemble(new Trainer(env, agent, config.totalSteps(), seed), envId);
        };
    }

    private static Run assemble(Trainer trainer, String envId) {
        EpisodeMetricsRecorder recorder = new EpisodeMetricsRecorder();
        PeriodicEvaluation evaluation = new PeriodicEvaluation(Envs.make(envId, Map.of(), 200), 700, 2, 9);
        trainer.callback(recorder).callback(evaluation);
        return new Run(trainer, recorder, evaluation);
    }

    static DqnConfig smallDqn(long steps) {
        return DqnConfig.cleanRl().with("total_steps", steps).with("learning_starts", 100).with("buffer_size", 600)
                .with("batch_size", 16).with("train_frequency", 2).with("target_network_frequency", 100)
                .with("learning_rate", 1e-3).with("hidden", "[16]").with("exploration_fraction", 0.5);
    }

    @Test
    void dqnResumesBitIdenticallyFromKillsAndStopsAtAnyStep() throws IOException {
        Supplier<Run> run = dqn("CartPole-v1", smallDqn(1500), 3);
        Result reference = uninterrupted(run);
        Rng pick = Rng.seeded(2024);
        long[] stops = {1, 100, 101, 2 + pick.integers(1497), 2 + pick.integers(1497), 1500};
        for (long at : stops) {
            assertThat(stopAndResume(run, at, "stop-" + at)).as("stopped at %d", at).isEqualTo(reference);
        }
        // Killed right after a checkpoint, just before one, and at random steps: resume from the latest on disk.
        long[] kills = {INTERVAL + 1, 2 * INTERVAL - 1, INTERVAL + 1 + pick.integers(1100), 1 + pick.integers(1499)};
        for (long at : kills) {
            assertThat(killAndResume(run, at, "kill-" + at)).as("killed at %d", at).isEqualTo(reference);
        }
    }

    @Test
    void dqnWithTwoEnvsPrioritizedReplayAndNStepResumesBitIdentically() throws IOException {
        DqnConfig config = smallDqn(1600).withNumEnvs(2).withPrioritized(true).withNStep(3).withDoubleQ(true);
        Supplier<Run> run = dqn("CartPole-v1", config, 8);
        Result reference = uninterrupted(run);
        Rng pick = Rng.seeded(77);
        for (long at : new long[] {2, 102, 2 * (1 + pick.integers(799)), 2 * (1 + pick.integers(799))}) {
            assertThat(stopAndResume(run, at, "stop-" + at)).as("stopped at %d", at).isEqualTo(reference);
        }
        for (long at : new long[] {INTERVAL + 2, 2 * (INTERVAL / 2 + 1 + pick.integers(600))}) {
            assertThat(killAndResume(run, at, "kill-" + at)).as("killed at %d", at).isEqualTo(reference);
        }
    }

    /** SAC: five networks, four Adam states, log alpha, three generators and a continuous-action replay. */
    @Test
    void sacResumesBitIdentically() throws IOException {
        SacConfig config = SacConfig.rlZooPendulum().with("total_steps", 900).with("hidden", "[16, 16]")
                .with("batch_size", 16).with("buffer_size", 500).with("learning_starts", 100).with("num_envs", 2)
                .with("policy_frequency", 2);
        Supplier<Run> run = sac("Pendulum-v1", config, 6);
        Result reference = uninterrupted(run);
        assertThat(reference.state()).contains("log_alpha=").contains("noise_rng");
        for (long at : new long[] {2, 100, 102, 534}) {
            assertThat(stopAndResume(run, at, "sac-stop-" + at)).as("stopped at %d", at).isEqualTo(reference);
        }
        assertThat(killAndResume(run, INTERVAL + 42, "sac-kill")).isEqualTo(reference);
    }

    /**
     * SAC with gSDE (two envs, fresh acting noise every 3 steps besides every round): the mean head, log-std, their
     * Adam states and each env's acting noise weights resume exactly.
     */
    @Test
    void sacWithStateDependentExplorationResumesBitIdentically() throws IOException {
        SacConfig config = SacConfig.rlZooPendulum().with("total_steps", 700).with("hidden", "[16, 16]")
                .with("batch_size", 16).with("buffer_size", 500).with("learning_starts", 100).with("num_envs", 2)
                .with("train_frequency", 8).with("gradient_steps", 8).with("use_sde", true)
                .with("sde_sample_frequency", 3).with("log_std_init", -1.0);
        Supplier<Run> run = sac("Pendulum-v1", config, 8);
        Result reference = uninterrupted(run);
        assertThat(reference.state()).contains("sde/acting_weights=").contains("sde/log_std=");
        for (long at : new long[] {2, 100, 118, 346}) {
            assertThat(stopAndResume(run, at, "gsde-stop-" + at)).as("stopped at %d", at).isEqualTo(reference);
        }
    }

    /**
     * REDQ (5 critics, target over a random 2, observations normalized, two envs) and DroQ (dropout + layer-norm
     * critics): every critic, target and Adam state, the subset and dropout generators and the observation statistics
     * resume exactly.
     */
    @Test
    void redqAndDroqResumeBitIdentically() throws IOException {
        SacConfig redq = SacConfig.redq().with("total_steps", 700).with("hidden", "[16, 16]").with("batch_size", 16)
                .with("buffer_size", 500).with("learning_starts", 100).with("num_envs", 2).with("n_critics", 5)
                .with("gradient_steps", 3).with("policy_frequency", 3).with("normalize_observations", true);
        SacConfig droq = SacConfig.droq().with("total_steps", 600).with("hidden", "[16]").with("batch_size", 16)
                .with("buffer_size", 500).with("learning_starts", 100).with("critic_dropout", 0.1)
                .with("gradient_steps", 2).with("policy_frequency", 2);
        for (Supplier<Run> run : new Supplier[] {sac("Pendulum-v1", redq, 6), sac("Pendulum-v1", droq, 7)}) {
            Result reference = uninterrupted(run);
            for (long at : new long[] {100, 102, 433}) {
                assertThat(stopAndResume(run, at, "ens-stop-" + at + "-" + reference.hashCode()))
                        .as("stopped at %d", at).isEqualTo(reference);
            }
            assertThat(killAndResume(run, INTERVAL + 42, "ens-kill-" + reference.hashCode())).isEqualTo(reference);
        }
        assertThat(uninterrupted(sac("Pendulum-v1", redq, 6)).state()).contains("target_subset_rng=")
                .contains("q5_target/").contains("obs_rms/mean=");
        assertThat(uninterrupted(sac("Pendulum-v1", droq, 7)).state()).contains("critic_dropout_rng=");
    }

    /**
     * TD3 with Gaussian noise, DDPG with Ornstein-Uhlenbeck noise (whose process state is saved), and TD3 with
     * normalized observations.
     */
    @Test
    void td3AndDdpgResumeBitIdentically() throws IOException {
        Td3Config small = Td3Config.stableBaselines3().with("total_steps", 800).with("hidden", "[16, 16]")
                .with("batch_size", 16).with("buffer_size", 500).with("learning_starts", 100).with("num_envs", 2);
        Td3Config ddpg = Td3Config.ddpg().with("total_steps", 700).with("hidden", "[16]").with("batch_size", 16)
                .with("buffer_size", 500).with("learning_starts", 100).with("noise", "ornstein_uhlenbeck");
        Td3Config normalized = small.with("normalize_observations", true).with("num_envs", 1);
        for (Supplier<Run> run : new Supplier[] {td3("Pendulum-v1", small, 2), td3("Pendulum-v1", ddpg, 3),
                td3("Pendulum-v1", normalized, 4)}) {
            Result reference = uninterrupted(run);
            for (long at : new long[] {100, 102, 433}) {
                assertThat(stopAndResume(run, at, "td3-stop-" + at + "-" + reference.hashCode()))
                        .as("stopped at %d", at).isEqualTo(reference);
            }
            assertThat(killAndResume(run, INTERVAL + 42, "td3-kill-" + reference.hashCode())).isEqualTo(reference);
        }
    }

    /** Taxi has action masks: the replay's mask column and the vector env's final masks resume exactly too. */
    @Test
    void dqnOnAMaskedEnvResumesBitIdentically() throws IOException {
        DqnConfig config = smallDqn(1300).withNStep(2).withDoubleQ(true);
        Supplier<Run> run = dqn("Taxi-v3", config, 4);
        Result reference = uninterrupted(run);
        assertThat(reference.state()).contains("replay/action_masks=").contains("final_action_masks=");
        for (long at : new long[] {150, 777}) {
            assertThat(stopAndResume(run, at, "masked-stop-" + at)).as("stopped at %d", at).isEqualTo(reference);
        }
        assertThat(killAndResume(run, INTERVAL + 40, "masked-kill")).isEqualTo(reference);
    }

    @Test
    void tabularAgentsResumeBitIdentically() throws IOException {
        TabularConfig q = TabularConfig.defaults(3000);
        for (Supplier<Run> run : new Supplier[] {
                tabular("FrozenLake-v1", q, 5),
                tabular("CliffWalking-v0", q.withRule(TabularConfig.Rule.SARSA), 6),
                tabular("Taxi-v3", q.withRule(TabularConfig.Rule.DOUBLE_Q_LEARNING), 7)}) {
            Result reference = uninterrupted(run);
            for (long at : new long[] {1, 37, 1234}) {
                assertThat(stopAndResume(run, at, "t-stop-" + at + "-" + reference.hashCode()))
                        .as("stopped at %d", at).isEqualTo(reference);
            }
            assertThat(killAndResume(run, 2 * INTERVAL + 5, "t-kill-" + reference.hashCode())).isEqualTo(reference);
        }
    }

    @Test
    void aCheckpointOfAnotherRunIsRefusedAndNothingIsRestored() throws IOException {
        Supplier<Run> run = dqn("CartPole-v1", smallDqn(1500), 3);
        Path folder = dir.resolve("other");
        interruptedRun(run, 400, folder, false);
        Run differentConfig = dqn("CartPole-v1", smallDqn(1500).with("learning_rate", 5e-4), 3).get();
        assertThatThrownBy(() -> new Checkpoints(folder).restoreLatest(differentConfig.trainer()))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("manifest.json")
                .hasMessageContaining("learning_rate: saved 0.001, now 5.0E-4");
        assertThat(differentConfig.trainer().resumed()).isFalse();
        Run differentSeed = dqn("CartPole-v1", smallDqn(1500), 4).get();
        assertThatThrownBy(() -> new Checkpoints(folder).restoreLatest(differentSeed.trainer()))
                .hasMessageContaining("seed 3, but this run has 4");
        Run otherEnv = tabular("FrozenLake-v1", TabularConfig.defaults(1500), 3).get();
        assertThatThrownBy(() -> new Checkpoints(folder).restoreLatest(otherEnv.trainer()))
                .hasMessageContaining("is for env \"CartPole-v1\", but this run has \"FrozenLake-v1\"");
    }

    @Test
    void aResumedRunCanBeExtendedButNotCutBelowItsSavedStep() throws IOException {
        Path folder = dir.resolve("extend");
        interruptedRun(dqn("CartPole-v1", smallDqn(1500), 5), 900, folder, false);
        // Extending: the same as running the longer total without interruption (the agent's own schedule is unchanged).
        Result extended = resume(dqn("CartPole-v1", smallDqn(1500), 5, 2400), folder);
        assertThat(extended).isEqualTo(uninterrupted(dqn("CartPole-v1", smallDqn(1500), 5, 2400)));
        Run shorter = dqn("CartPole-v1", smallDqn(1500), 5, 600).get();
        assertThatThrownBy(() -> new Checkpoints(folder).restoreLatest(shorter.trainer()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("was written at step 900, beyond this run's total of 600 steps");
        assertThat(shorter.trainer().resumed()).isFalse();
    }

    // ---- runs ----

    /** What must come out identical. */
    record Result(String state, String csv) {}

    private static Result uninterrupted(Supplier<Run> factory) throws IOException {
        Run run = factory.get();
        run.trainer().run();
        return result(run);
    }

    private Result stopAndResume(Supplier<Run> factory, long at, String name) throws IOException {
        Path folder = dir.resolve(name);
        interruptedRun(factory, at, folder, false);
        return resume(factory, folder);
    }

    private Result killAndResume(Supplier<Run> factory, long at, String name) throws IOException {
        Path folder = dir.resolve(name);
        interruptedRun(factory, at, folder, true);
        return resume(factory, folder);
    }

    private static void interruptedRun(Supplier<Run> factory, long at, Path folder, boolean kill) {
        Run run = factory.get();
        Trainer trainer = run.trainer();
        trainer.checkpointEvery(INTERVAL, new Checkpoints(folder)).callback(new Callback() {
            @Override
            public void onStep(Trainer t) {
                if (t.step() >= at) {
                    if (kill) {
                        throw new IllegalStateException("killed");
                    }
                    t.requestStop();
                }
            }
        });
        if (kill) {
            assertThatThrownBy(trainer::run).hasMessage("killed");
        } else {
            trainer.run();
        }
    }

    private static Result resume(Supplier<Run> factory, Path folder) throws IOException {
        Run run = factory.get();
        boolean restored = new Checkpoints(folder).restoreLatest(run.trainer()).isPresent();
        assertThat(restored || !run.trainer().resumed()).isTrue();
        run.trainer().run();
        return result(run);
    }

    private static Result result(Run run) throws IOException {
        StateWriter out = new StateWriter();
        run.trainer().saveState(out);
        StateSnapshot state = out.snapshot();
        StringWriter csv = new StringWriter();
        run.recorder().writeCsv(csv);
        // The whole state as a digest of exact bytes (tensors) and exact values (scalars, generators).
        StringBuilder digest = new StringBuilder();
        for (Map.Entry<String, Object> e : state.entries().entrySet()) {
            digest.append(e.getKey()).append('=');
            if (e.getValue() instanceof dev.deepq.io.SafeTensors.Tensor t) {
                digest.append(t.dtype()).append(java.util.Arrays.toString(t.shape())).append(':')
                        .append(java.util.Arrays.hashCode(t.data())).append('/').append(Checkpoint.crc32(t.data()));
            } else if (e.getValue() instanceof Double d) {
                digest.append(Long.toHexString(Double.doubleToRawLongBits(d)));
            } else {
                digest.append(e.getValue());
            }
            digest.append('\n');
        }
        return new Result(digest.toString(), csv.toString());
    }
}
