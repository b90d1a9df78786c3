package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.train.ActionBatch;
import dev.deepq.train.Agent;
import dev.deepq.train.StepBatch;
import dev.deepq.train.Trainer;
import dev.deepq.train.TrainingMetrics;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SAC's (REDQ's, DroQ's), TD3's and DDPG's own work per step (acting with the policy and its noise, replay writes, critic, actor and
 * alpha steps, target updates) allocates nothing once warm. Only the agent's {@code act} and {@code observe} calls are counted: the vector env's
 * Box step currently allocates a few bytes of its own (an env-side matter). Windows of 1,000 env steps after
 * warm-up; at least one must show zero bytes (the JIT allocates while it installs code, and on a busy machine it
 * settles late), and a per-step allocation would show in all of them.
 */
class ActorCriticAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Delegates to an agent and sums the bytes the calling thread allocates inside its calls. */
    private static final class Metered implements Agent {
        final Agent sac;
        final long thread = Thread.currentThread().threadId();
        long bytes;
        final List<Long> windows = new ArrayList<>();

        Metered(Agent sac) {
            this.sac = sac;
        }

        @Override
        public void act(VectorEnv env, long step, ActionBatch out) {
            long before = THREADS.getThreadAllocatedBytes(thread);
            sac.act(env, step, out);
            bytes += THREADS.getThreadAllocatedBytes(thread) - before;
        }

        @Override
        public void observe(StepBatch batch, long step) {
            long before = THREADS.getThreadAllocatedBytes(thread);
            sac.observe(batch, step);
            bytes += THREADS.getThreadAllocatedBytes(thread) - before;
            if (step % 1_000 == 0) {
                if (step > 25_000) {
                    windows.add(bytes);
                }
                bytes = 0;
            }
        }

        @Override
        public void predict(double[] observation, boolean[] actionMask, double[] actionOut) {
            sac.predict(observation, actionMask, actionOut);
        }

        @Override
        public TrainingMetrics metrics() {
            return sac.metrics();
        }
    }

    /**
     * Trains the agent named by {@code args[0]} for {@code args[1]} env steps (default 40,000) and prints the bytes of
     * each measured window, one per line.
     */
    public static void main(String[] args) {
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
        Agent agent = switch (args[0]) {
            case "sac" -> new Sac(env.singleObservationSpace(), env.singleActionSpace(), SacConfig.rlZooPendulum()
                    .with("hidden", "[16, 16]").with("batch_size", 16).with("buffer_size", 3_000)
                    .with("learning_starts", 100).with("policy_frequency", 2), 1);
            case "sac-gsde" -> new Sac(env.singleObservationSpace(), env.singleActionSpace(), SacConfig.rlZooPendulum()
                    .with("hidden", "[16, 16]").with("batch_size", 16).with("buffer_size", 3_000)
                    .with("learning_starts", 100).with("use_sde", true).with("train_frequency", 8)
                    .with("gradient_steps", 8).with("sde_sample_frequency", 3), 1);
            case "ensemble" -> new Sac(env.singleObservationSpace(), env.singleActionSpace(), SacConfig.redq()
                    .with("hidden", "[16, 16]").with("batch_size", 16).with("buffer_size", 3_000)
                    .with("learning_starts", 100).with("n_critics", 3).with("critic_dropout", 0.1)
                    .with("critic_layer_norm", true).with("gradient_steps", 2).with("policy_frequency", 2)
                    .with("normalize_observations", true), 1);
            case "td3" -> new Td3(env.singleObservationSpace(), env.singleActionSpace(), Td3Config.stableBaselines3()
                    .with("hidden", "[16, 16]").with("batch_size", 16).with("buffer_size", 3_000)
                    .with("learning_starts", 100), 1);
            case "ddpg-ou" -> new Td3(env.singleObservationSpace(), env.singleActionSpace(), Td3Config.ddpg()
                    .with("hidden", "[16, 16]").with("batch_size", 16).with("buffer_size", 3_000)
                    .with("learning_starts", 100).with("noise", "ornstein_uhlenbeck"), 1);
            default -> throw new IllegalArgumentException(args[0]);
        };
        Metered metered = new Metered(agent);
        new Trainer(env, metered, args.length > 1 ? Long.parseLong(args[1]) : 40_000, 1).run();
        for (long w : metered.windows) {
            System.out.println(w);
        }
    }

    /**
     * Measured in a child JVM: in the shared test JVM, other tests' networks of other shapes leave the JIT with
     * profiles under which the vector kernels box (an nn-kernel matter; see DqnAllocationTest).
     */
    @Test
    void sacAllocatesNothingOnceWarm() throws Exception {
        assertAllocatesNothingOnceWarm("sac");
    }

    /** gSDE: acting and training noise weights redrawn, mean head and log-std stepped, without allocating. */
    @Test
    void sacWithStateDependentExplorationAllocatesNothingOnceWarm() throws Exception {
        assertAllocatesNothingOnceWarm("sac-gsde");
    }

    /**
     * REDQ and DroQ together: 3 critics with dropout and layer norm, random target subsets of 2, normalized
     * observations, two critic steps per env step and one actor step per two.
     */
    @Test
    void criticEnsemblesAllocateNothingOnceWarm() throws Exception {
        assertAllocatesNothingOnceWarm("ensemble");
    }

    /**
     * TD3's and DDPG's acting path reaches the kernels' one-row dot product ({@code VectorKernels.dotVector}, the
     * actor's single output row) only once per env step, so C2 compiles it late: until then its C1 code runs the
     * Vector API's allocating Java fallback (576 B per step). Measured: TD3 allocates nothing from about step 61k,
     * DDPG from about 33k; these runs are 120k steps long.
     */
    @ParameterizedTest
    @ValueSource(strings = {"td3", "ddpg-ou"})
    void td3AndDdpgAllocateNothingOnceWarm(String agent) throws Exception {
        assertAllocatesNothingOnceWarm(agent, 120_000);
    }

    private static void assertAllocatesNothingOnceWarm(String agent) throws Exception {
        assertAllocatesNothingOnceWarm(agent, 40_000);
    }

    private static void assertAllocatesNothingOnceWarm(String agent, long steps) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                ActorCriticAllocationTest.class.getName(), agent, Long.toString(steps)));
        Process child = new ProcessBuilder(command).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor()).as(err).isZero();
        List<Long> windows = out.lines().map(String::trim).filter(l -> !l.isEmpty()).map(Long::parseLong).toList();
        assertThat(windows).hasSizeGreaterThan(8);
        assertThat(windows.stream().mapToLong(Long::longValue).min().orElseThrow())
                .as("%s: bytes in the cleanest window of %s", agent, windows).isZero();
    }
}
