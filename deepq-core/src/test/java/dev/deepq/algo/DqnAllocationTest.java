package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.train.Callback;
import dev.deepq.train.Trainer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole DQN loop — acting, env steps, replay writes, sampling and gradient steps — allocates nothing once warm.
 * Windows of 2,000 env steps are measured after warm-up; at least one must show zero bytes (the JIT itself may
 * allocate a little while it swaps in newly compiled code), and a per-step allocation would show in all of them.
 */
class DqnAllocationTest {
    @Test
    void trainingLoopAllocatesNothingOnceWarm() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        DqnConfig config = DqnConfig.cleanRl().with("total_steps", 60_000).with("learning_starts", 1_000)
                .with("train_frequency", 4).with("prioritized", true).with("n_step", 3).with("double_q", true);
        VectorEnv env = VectorEnvs.make("CartPole-v1", Map.of(), 1, 1);
        Dqn agent = new Dqn(env.singleObservationSpace(), env.singleActionSpace(), config, 1);
        List<Long> windows = new ArrayList<>();
        long[] start = new long[1];
        new Trainer(env, agent, config.totalSteps(), 1).callback(new Callback() {
            @Override
            public void onStep(Trainer t) {
                if (t.step() >= 30_000 && t.step() % 2_000 == 0) {
                    long now = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
                    if (start[0] != 0) {
                        windows.add(now - start[0]);
                    }
                    start[0] = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
                }
            }
        }).run();
        assertThat(windows).hasSizeGreaterThan(5);
        assertThat(windows.stream().mapToLong(Long::longValue).min().orElseThrow()).as("bytes in the cleanest window of %s", windows)
                .isZero();
    }
}
