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
 * allocate exactly 0 bytes.
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
