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
import org.junit.jupiter.api.Test;

/**
 * SAC's, TD3's and DDPG's own work per step (acting with the policy and its noise, replay writes, critic, actor and
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

    private static List<Long> windows(Agent agent, long steps) {
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
        Metered metered = new Metered(agent);
        new Trainer(env, metered, steps, 1).run();
        assertThat(metered.windows).hasSizeGreaterThan(8);
        return metered.windows;
    }

    private static long cleanest(List<Long> windows) {
        return windows.stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    @Test
    void sacTrainingStepsAllocateNothingOnceWarm() {
        SacConfig config = SacConfig.rlZooPendulum().with("hidden", "[16, 16]").with("batch_size", 16)
                .with("buffer_size", 3_000).with("learning_starts", 100).with("policy_frequency", 2);
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
        List<Long> windows = windows(new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, 1), 40_000);
        assertThat(cleanest(windows)).as("bytes in the cleanest window of %s", windows).isZero();
    }

    @Test
    void td3AndDdpgWithOrnsteinUhlenbeckNoiseAllocateNothingOnceWarm() {
        Td3Config td3 = Td3Config.stableBaselines3().with("hidden", "[16, 16]").with("batch_size", 16)
                .with("buffer_size", 3_000).with("learning_starts", 100);
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
        for (Td3Config config : new Td3Config[] {td3, Td3Config.ddpg().with("hidden", "[16, 16]").with("batch_size", 16)
                .with("buffer_size", 3_000).with("learning_starts", 100).with("noise", "ornstein_uhlenbeck")}) {
            List<Long> windows = windows(new Td3(env.singleObservationSpace(), env.singleActionSpace(), config, 1),
                    40_000);
            assertThat(cleanest(windows)).as("%s: bytes in the cleanest window of %s", config, windows).isZero();
        }
    }
}
