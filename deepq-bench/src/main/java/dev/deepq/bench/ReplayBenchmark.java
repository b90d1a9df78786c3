package dev.deepq.bench;

import dev.deepq.random.Rng;
import dev.deepq.replay.ActionKind;
import dev.deepq.replay.Batch;
import dev.deepq.replay.PrioritizedReplayBuffer;
import dev.deepq.replay.ReplayBuffer;
import dev.deepq.replay.ReplayConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Replay costs on a full, wrapped buffer of 100,000 slots (one env stream, episodes of ~200 steps): one {@code add},
 * one {@code sample(128)} and one {@code updatePriorities} of 128 TD errors, uniform and prioritized, for CartPole-size
 * (4) and larger (84-float) observations, one-step and 3-step returns. Observations come from a pre-drawn pool so the
 * benchmark measures the buffer. Run with {@code -prof gc} to confirm nothing is allocated.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ReplayBenchmark {
    private static final int CAPACITY = 100_000;
    private static final int BATCH = 128;
    private static final int POOL = 1024;

    @Param({"4", "84"})
    public int observationSize;

    @Param({"1", "3"})
    public int nStep;

    private ReplayBuffer uniform;
    private PrioritizedReplayBuffer prioritized;
    private Batch uniformBatch;
    private Batch prioritizedBatch;
    private double[][] pool;
    private float[] tdErrors;
    private Rng rng;
    private long step;

    @Setup(Level.Trial)
    public void setUp() {
        ReplayConfig config = new ReplayConfig(CAPACITY, observationSize, ActionKind.DISCRETE, 1, 1, nStep, 0.99);
        uniform = new ReplayBuffer(config);
        prioritized = new PrioritizedReplayBuffer(config);
        uniformBatch = uniform.newBatch(BATCH);
        prioritizedBatch = prioritized.newBatch(BATCH);
        Rng init = Rng.seeded(0);
        pool = new double[POOL][observationSize];
        for (double[] row : pool) {
            init.uniform(-1, 1, row);
        }
        tdErrors = new float[BATCH];
        for (int i = 0; i < BATCH; i++) {
            tdErrors[i] = (float) init.uniform(-2, 2);
        }
        rng = Rng.seeded(1);
        for (int i = 0; i < 2 * CAPACITY; i++) {
            addTo(uniform);
            addTo(prioritized);
            step++;
        }
        for (int i = 0; i < 1000; i++) {
            prioritized.sample(BATCH, rng, 0.4, prioritizedBatch);
            prioritized.updatePriorities(prioritizedBatch, tdErrors);
        }
    }

    private void addTo(ReplayBuffer buffer) {
        int t = (int) (step & (POOL - 1));
        boolean end = step % 200 == 199;
        buffer.add(0, pool[t], (int) (step & 1), 1.0, end, false, pool[(t + 1) & (POOL - 1)]);
    }

    @Benchmark
    public int addUniform() {
        addTo(uniform);
        step++;
        return uniform.size();
    }

    @Benchmark
    public int addPrioritized() {
        addTo(prioritized);
        step++;
        return prioritized.size();
    }

    @Benchmark
    public Batch sampleUniform128() {
        uniform.sample(BATCH, rng, uniformBatch);
        return uniformBatch;
    }

    @Benchmark
    public Batch samplePrioritized128() {
        prioritized.sample(BATCH, rng, 0.4, prioritizedBatch);
        return prioritizedBatch;
    }

    /** sample(128) then updatePriorities of the 128 TD errors: one prioritized DQN update's replay work. */
    @Benchmark
    public Batch samplePrioritizedAndUpdate128() {
        prioritized.sample(BATCH, rng, 0.4, prioritizedBatch);
        prioritized.updatePriorities(prioritizedBatch, tdErrors);
        return prioritizedBatch;
    }
}
