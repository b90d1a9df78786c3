package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.train.Callback;
import dev.deepq.train.Trainer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A DQN training process — acting, env steps, replay writes, sampling and gradient steps — allocates nothing once
 * warm. Measured in a child JVM that does only this training: in a JVM that already trained networks of other
 * shapes the kernels can end up allocating (see "Known issue" in BENCHMARKS.md), which this test does not cover.
 * Windows of 2,000 env steps are measured after warm-up; at least one must show zero bytes (the JIT itself may
 * allocate a little while it swaps in newly compiled code), and a per-step allocation would show in all of them.
 */
class DqnAllocationTest {

    /** Trains and prints the bytes allocated in each measured window, one per line. */
    public static void main(String[] args) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        DqnConfig config = DqnConfig.cleanRl().with("total_steps", 60_000).with("learning_starts", 1_000)
                .with("train_frequency", 4).with("prioritized", true).with("n_step", 3).with("double_q", true);
        VectorEnv env = VectorEnvs.make("CartPole-v1", Map.of(), 1, 1);
        Dqn agent = new Dqn(env.singleObservationSpace(), env.singleActionSpace(), config, 1);
        long[] start = new long[1];
        new Trainer(env, agent, config.totalSteps(), 1).callback(new Callback() {
            @Override
            public void onStep(Trainer t) {
                if (t.step() >= 30_000 && t.step() % 2_000 == 0) {
                    long now = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
                    if (start[0] != 0) {
                        System.out.println(now - start[0]);
                    }
                    start[0] = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
                }
            }
        }).run();
    }

    @Test
    void trainingProcessAllocatesNothingOnceWarm() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                DqnAllocationTest.class.getName()));
        Process child = new ProcessBuilder(command).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor()).as(err).isZero();
        List<Long> windows = out.lines().map(String::trim).filter(l -> !l.isEmpty()).map(Long::parseLong).toList();
        assertThat(windows).hasSizeGreaterThan(5);
        assertThat(windows.stream().mapToLong(Long::longValue).min().orElseThrow())
                .as("bytes in the cleanest window of %s", windows).isZero();
    }
}
