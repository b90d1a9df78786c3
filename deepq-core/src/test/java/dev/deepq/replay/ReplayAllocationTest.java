package dev.deepq.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.random.Rng;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** After warm-up, add, addBatch, sample, read and updatePriorities allocate nothing (measured per thread). */
class ReplayAllocationTest {
    private static final int OBS = 6;
    private static final int POOL = 64;

    private final double[][] pool = new double[POOL][OBS];
    private final double[] batchObs = new double[2 * OBS];
    private final double[] batchNext = new double[2 * OBS];
    private final double[] batchFinal = new double[2 * OBS];
    private final int[] batchActions = new int[2];
    private final double[] continuousActions = new double[2 * 2];
    private final double[] rewards = new double[2];
    private final boolean[] term = new boolean[2];
    private final boolean[] trunc = new boolean[2];
    private final boolean[] hasFinal = new boolean[2];
    private final float[] td = new float[32];
    private final int[] someSlots = {0, 5, 9, 17};
    private final float[] someTd = {0.5f, 1f, 2f, 0.1f};

    @Test
    void hotPathsAllocateNothing() {
        Rng init = Rng.seeded(1);
        for (double[] row : pool) {
            init.uniform(-1, 1, row);
        }
        ReplayBuffer uniform = new ReplayBuffer(new ReplayConfig(4_000, OBS, ActionKind.DISCRETE, 1, 2, 3, 0.99));
        PrioritizedReplayBuffer prioritized = new PrioritizedReplayBuffer(
                new ReplayConfig(4_000, OBS, ActionKind.DISCRETE, 1, 2, 3, 0.99));
        ReplayBuffer continuous = new ReplayBuffer(new ReplayConfig(4_000, OBS, ActionKind.CONTINUOUS, 2, 2, 1, 0.99));
        Batch ub = uniform.newBatch(32);
        Batch pb = prioritized.newBatch(32);
        Batch cb = continuous.newBatch(32);
        Rng rng = Rng.seeded(2);

        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(bean.isThreadAllocatedMemorySupported()).isTrue();
        bean.setThreadAllocatedMemoryEnabled(true);
        bean.getCurrentThreadAllocatedBytes();

        run(20_000, uniform, prioritized, continuous, ub, pb, cb, rng);
        long before = bean.getCurrentThreadAllocatedBytes();
        run(20_000, uniform, prioritized, continuous, ub, pb, cb, rng);
        long allocated = bean.getCurrentThreadAllocatedBytes() - before;
        System.out.printf("replay hot paths: %d bytes allocated in 20,000 rounds%n", allocated);
        assertThat(allocated).as("bytes allocated by 20,000 rounds of every hot path").isLessThan(1024);
    }

    private void run(int rounds, ReplayBuffer uniform, PrioritizedReplayBuffer prioritized, ReplayBuffer continuous,
            Batch ub, Batch pb, Batch cb, Rng rng) {
        for (int i = 0; i < rounds; i++) {
            boolean terminated = i % 17 == 16;
            boolean truncated = i % 23 == 22;
            // every 50th step the observation does not continue the stream: the cut path
            double[] obs = pool[(i % 50 == 49 ? i + 7 : i) % POOL];
            double[] next = pool[(i + 1) % POOL];
            uniform.add(0, obs, i & 1, 1.0, terminated, truncated, next);
            prioritized.add(0, obs, i & 1, 1.0, terminated, truncated, next);

            for (int e = 0; e < 2; e++) {
                System.arraycopy(pool[(i + e) % POOL], 0, batchObs, e * OBS, OBS);
                System.arraycopy(pool[(i + e + 1) % POOL], 0, batchNext, e * OBS, OBS);
                System.arraycopy(pool[(i + e + 2) % POOL], 0, batchFinal, e * OBS, OBS);
                batchActions[e] = (i + e) & 1;
                continuousActions[2 * e] = 0.25 * e;
                continuousActions[2 * e + 1] = -0.5;
                rewards[e] = 0.5;
                term[e] = (i + e) % 19 == 0;
                trunc[e] = (i + e) % 29 == 0;
                hasFinal[e] = term[e] || trunc[e];
            }
            uniform.addBatch(batchObs, batchActions, rewards, term, trunc, batchNext, hasFinal, batchFinal);
            continuous.addBatch(batchObs, continuousActions, rewards, term, trunc, batchNext, hasFinal, batchFinal);

            if (uniform.size() >= 32 && prioritized.size() >= 32) {
                uniform.sample(32, rng, ub);
                continuous.sample(32, rng, cb);
                prioritized.sample(32, rng, pb);
                for (int k = 0; k < 32; k++) {
                    td[k] = pb.rewards()[k] - 0.3f * k;
                }
                prioritized.updatePriorities(pb, td);
                prioritized.updatePriorities(someSlots, someTd);
                uniform.read(ub.indices()[0], ub, 1);
            }
        }
    }
}
