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
 * warm, also in a JVM that first trained networks of other shapes and options on two threads at once. That history
 * matters: it once made the JIT see a vector helper's call site as cold, leave it out of line and box every vector
 * passed to it (~230 KB per env step), and made a for-each over the callbacks allocate an iterator per step.
 * Measured in a child JVM so that the history is exactly this one. Windows of 2,000 env steps are measured after
 * warm-up; at least one must show zero bytes (the JIT itself may allocate a little while it swaps in newly compiled
 * code), and a per-step allocation would show in all of them. The run stops at its first clean window after the
 * sixth; on a machine so loaded that the JIT compiler lags (a CI run beside two training runs once left 57 MB in
 * every window of a 60k-step run, falling) it goes on for up to 400k steps before the test fails.
 */
class DqnAllocationTest {

    /**
     * Trains and prints the bytes allocated in each measured window, one per line. With the argument {@code rounds}
     * the agent trains several steps per round on a uniform buffer (target values computed for whole rounds).
     */
    public static void main(String[] args) throws InterruptedException {
        trainOtherShapesOnTwoThreads();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        DqnConfig config = args.length > 0 && args[0].equals("rounds")
                ? DqnConfig.cleanRl().with("total_steps", 400_000).with("learning_starts", 1_000)
                        .with("train_frequency", 16).with("gradient_steps", 8).with("hidden", new int[] {64, 64})
                        .with("batch_size", 32).with("double_q", true)
                : DqnConfig.cleanRl().with("total_steps", 400_000).with("learning_starts", 1_000)
                        .with("train_frequency", 4).with("prioritized", true).with("n_step", 3).with("double_q", true);
        VectorEnv env = VectorEnvs.make("CartPole-v1", Map.of(), 1, 1);
        Dqn agent = new Dqn(env.singleObservationSpace(), env.singleActionSpace(), config, 1);
        long[] start = new long[1];
        int[] windows = new int[1];
        new Trainer(env, agent, config.totalSteps(), 1).callback(new Callback() {
            @Override
            public void onStep(Trainer t) {
                if (t.step() >= 30_000 && t.step() % 2_000 == 0) {
                    long now = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
                    if (start[0] != 0) {
                        System.out.println(now - start[0]);
                        if (++windows[0] > 5 && now == start[0]) {
                            t.requestStop();
                        }
                    }
                    start[0] = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
                }
            }
        }).run();
    }

    private static void trainOtherShapesOnTwoThreads() throws InterruptedException {
        String[] envIds = {"Acrobot-v1", "MountainCar-v0", "CartPole-v1"};
        Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            int first = t;
            threads[t] = new Thread(() -> {
                for (int run = first; run < 6; run += 2) {
                    int numEnvs = 1 + run % 2;
                    DqnConfig config = DqnConfig.cleanRl().with("total_steps", 5_000).with("learning_starts", 1_000)
                            .with("train_frequency", 2).with("num_envs", numEnvs)
                            .with("hidden", run % 2 == 0 ? new int[] {64, 32} : new int[] {256, 256})
                            .with("batch_size", run % 2 == 0 ? 32 : 64).with("dueling", run % 3 == 1)
                            .with("prioritized", run % 4 == 2).with("n_step", 1 + run % 3).with("double_q", run % 2 == 1);
                    VectorEnv env = VectorEnvs.make(envIds[run % envIds.length], Map.of(), numEnvs, 1);
                    Dqn agent = new Dqn(env.singleObservationSpace(), env.singleActionSpace(), config, run);
                    new Trainer(env, agent, config.totalSteps(), run).run();
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    @Test
    void trainingProcessAllocatesNothingOnceWarmEvenAfterOtherShapesOnTwoThreads() throws Exception {
        assertSomeWindowIsClean();
    }

    @Test
    void roundsOfSeveralStepsAllocateNothingOnceWarm() throws Exception {
        assertSomeWindowIsClean("rounds");
    }

    private static void assertSomeWindowIsClean(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                DqnAllocationTest.class.getName()));
        command.addAll(List.of(args));
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
