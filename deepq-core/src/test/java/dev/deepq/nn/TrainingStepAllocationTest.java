package dev.deepq.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.nn.loss.HuberLoss;
import dev.deepq.nn.optim.Adam;
import dev.deepq.nn.optim.GradientClipping;
import dev.deepq.random.Rng;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A full DQN-style training step on a 4-64-64-2 MLP with batch 128 (target-network forward and row max, online
 * forward, Huber loss on the taken actions, backward, gradient clipping, Adam) must allocate nothing once the JIT
 * has compiled it, with either kernel implementation: after warm-up, some window of 1000 steps must
 * allocate exactly 0 bytes. So must an actor-critic style step on two threads: an ensemble critic regression step
 * and a {@link Network#backwardInputOnly} pass, counting the kernels' helper thread too.
 */
class TrainingStepAllocationTest {
    private static final int BATCH = 128;
    private static final int WARMUP = 1000;
    private static final int WINDOW = 1000;
    private static final int MAX_WINDOWS = 12;

    @Test
    void scalarKernels() {
        assertNoAllocation(Kernels.scalar());
    }

    @Test
    void vectorKernels() {
        assertNoAllocation(Kernels.vector());
    }

    @Test
    void ensembleCriticStepOnTwoThreads() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        // Kernels that split even these small products, so the steps are quick enough for the JIT to finish.
        CriticStep step = new CriticStep(new VectorKernels(2, 1));
        step.run(WARMUP * 3);
        long[] ids = java.util.Arrays.stream(Thread.getAllStackTraces().keySet().toArray(new Thread[0]))
                .filter(t -> t.getName().startsWith("deepq-kernels-")).mapToLong(Thread::threadId).toArray();
        assertThat(ids).as("the kernels' helper thread").isNotEmpty();
        List<Long> windows = new ArrayList<>();
        for (int w = 0; w < MAX_WINDOWS; w++) {
            long before = allocated(threads, ids);
            step.run(WINDOW);
            long allocated = allocated(threads, ids) - before;
            windows.add(allocated);
            if (allocated == 0) {
                break;
            }
        }
        assertThat(windows.get(windows.size() - 1))
                .as("bytes allocated by " + WINDOW + " steps; all windows: " + windows).isZero();
        assertThat(step.parallel.parallelProducts()).isPositive();
    }

    /** Bytes allocated so far by this thread and the helpers (one id at a time: the array form allocates). */
    private static long allocated(com.sun.management.ThreadMXBean threads, long[] helpers) {
        long s = threads.getCurrentThreadAllocatedBytes();
        for (long id : helpers) {
            s += threads.getThreadAllocatedBytes(id);
        }
        return s;
    }

    /** An ensemble critic's regression step and an input-only backward pass, as REDQ's and SAC's updates run them. */
    private static final class CriticStep {
        static final int B = 32;
        final VectorKernels parallel;
        final Network critics;
        final Adam adam;
        final float[] input;
        final float[] gradient = new float[B * 2];
        /** Parameters enough for an Adam step split over the threads. */
        final float[] large = new float[40_000];
        final float[] largeGradient = new float[40_000];
        final Adam largeAdam;

        CriticStep(Kernels kernels) {
            parallel = (VectorKernels) kernels;
            Rng rng = Rng.seeded(3);
            critics = Network.create(Mlp.builder(4).hidden(32, 32).ensemble(2, 1), B, kernels).initialize(rng)
                    .enableInputGradient();
            adam = new Adam(critics.parameterCount(), 1e-3, 0.9, 0.999, 1e-8, 0, false, kernels);
            input = NnTesting.random(rng, B * 4);
            largeAdam = new Adam(large.length, 1e-3, 0.9, 0.999, 1e-8, 0, false, kernels);
            java.util.Arrays.fill(largeGradient, 0.01f);
        }

        void run(int steps) {
            for (int s = 0; s < steps; s++) {
                float[] q = critics.forward(input, B);
                for (int i = 0; i < B * 2; i++) {
                    gradient[i] = (q[i] - 1f) / B;
                }
                critics.zeroGradients();
                critics.backward(gradient);
                adam.step(critics.parameters(), critics.gradients());
                critics.forward(input, B);
                critics.backwardInputOnly(gradient);
                largeAdam.step(large, largeGradient);
            }
        }
    }

    private static void assertNoAllocation(Kernels kernels) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        Step step = new Step(kernels);
        step.run(WARMUP);
        // The JIT keeps compiling for a while, and entering freshly compiled code can allocate a few bytes once.
        // A step that allocates by itself allocates in every window; one clean window proves it does not.
        List<Long> windows = new ArrayList<>();
        for (int w = 0; w < MAX_WINDOWS; w++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            step.run(WINDOW);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            windows.add(allocated);
            if (allocated == 0) {
                break;
            }
        }
        assertThat(windows.get(windows.size() - 1))
                .as("bytes allocated by " + WINDOW + " training steps with " + kernels.name() + "; all windows: "
                        + windows)
                .isZero();
        assertThat(step.lastLoss).isFinite();
    }

    /** The training step: everything preallocated. */
    private static final class Step {
        final Network online;
        final Network target;
        final Adam adam;
        final Kernels kernels;
        final HuberLoss loss = HuberLoss.smoothL1(1);
        final float[] observations;
        final float[] nextObservations;
        final int[] actions = new int[BATCH];
        final float[] rewards = new float[BATCH];
        final float[] nextMax = new float[BATCH];
        final float[] chosen = new float[BATCH];
        final float[] targets = new float[BATCH];
        final float[] chosenGradient = new float[BATCH];
        final float[] outputGradient = new float[BATCH * 2];
        float lastLoss;

        Step(Kernels kernels) {
            this.kernels = kernels;
            Rng rng = Rng.seeded(42);
            online = Network.create(Mlp.builder(4).hidden(64, 64).output(2), BATCH, kernels).initialize(rng);
            target = Network.create(Mlp.builder(4).hidden(64, 64).output(2), BATCH, kernels);
            target.copyParametersFrom(online);
            adam = new Adam(online.parameterCount(), 2.5e-4, 0.9, 0.999, 1e-8, 0, false, kernels);
            observations = NnTesting.random(rng, BATCH * 4);
            nextObservations = NnTesting.random(rng, BATCH * 4);
            for (int i = 0; i < BATCH; i++) {
                actions[i] = (int) (rng.nextLong() & 1);
                rewards[i] = 1f;
            }
        }

        void run(int steps) {
            for (int s = 0; s < steps; s++) {
                float[] qNext = target.forward(nextObservations, BATCH);
                kernels.rowMax(qNext, 0, 2, BATCH, 2, nextMax, 0);
                for (int i = 0; i < BATCH; i++) {
                    targets[i] = rewards[i] + 0.99f * nextMax[i];
                }
                float[] q = online.forward(observations, BATCH);
                for (int i = 0; i < BATCH; i++) {
                    chosen[i] = q[2 * i + actions[i]];
                }
                lastLoss = loss.compute(chosen, targets, BATCH, chosenGradient);
                java.util.Arrays.fill(outputGradient, 0f);
                for (int i = 0; i < BATCH; i++) {
                    outputGradient[2 * i + actions[i]] = chosenGradient[i];
                }
                online.zeroGradients();
                online.backward(outputGradient);
                GradientClipping.clipGlobalNorm(kernels, online.gradients(), 0, online.parameterCount(), 10);
                adam.step(online.parameters(), online.gradients());
            }
        }
    }
}
