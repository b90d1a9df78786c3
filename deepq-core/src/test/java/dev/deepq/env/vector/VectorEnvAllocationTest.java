package dev.deepq.env.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A vector step (with autoresets) allocates nothing, on the calling thread or on the workers. */
class VectorEnvAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated(Thread[] workers) {
        long sum = THREADS.getCurrentThreadAllocatedBytes();
        for (Thread w : workers) {
            sum += THREADS.getThreadAllocatedBytes(w.threadId());
        }
        return sum;
    }

    private static void run(VectorEnv v, int[] actions, int steps) {
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < actions.length; i++) {
                actions[i] = (t + i + (v.observations()[i * 4 + 2] > 0 ? 1 : 0)) % 2;
            }
            v.step(actions);
        }
    }

    private static double bytesPerStep(VectorEnv v, Thread[] workers) {
        int[] actions = new int[v.numEnvs()];
        v.reset(0);
        run(v, actions, 20_000);
        long before = allocated(workers);
        int steps = 50_000;
        run(v, actions, steps);
        return (double) (allocated(workers) - before) / steps;
    }

    @Test
    void syncStepAllocatesNothing() {
        try (VectorEnv v = VectorEnvs.make("CartPole-v1", Map.of(), 4, 1)) {
            assertThat(bytesPerStep(v, new Thread[0])).as("bytes per vector step").isLessThan(1.0);
        }
    }

    @Test
    void threadedStepAllocatesNothing() {
        try (ThreadedVectorEnv v = (ThreadedVectorEnv) VectorEnvs.make("CartPole-v1", Map.of(), 4, 2)) {
            assertThat(bytesPerStep(v, v.workerThreads())).as("bytes per vector step").isLessThan(1.0);
        }
    }
}
