package dev.deepq.bench;

import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.random.Rng;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Environment steps per second of a vector of 16 CartPole-v1 envs (with their TimeLimit), same-step autoreset
 * included; one benchmark operation is one env step, so scores compare with {@link CartPoleStepBenchmark}.
 * {@code threads = 1} is {@code SyncVectorEnv}; more is {@code ThreadedVectorEnv} (the caller plus workers).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class VectorEnvStepBenchmark {
    private static final int ENVS = 16;
    private static final int ACTION_ROWS = 256;

    @Param({"1", "2"})
    public int threads;

    private VectorEnv vector;
    private int[][] actions;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        vector = VectorEnvs.make("CartPole-v1", Map.of(), ENVS, threads);
        vector.reset(0);
        Rng rng = Rng.seeded(1);
        actions = new int[ACTION_ROWS][ENVS];
        for (int[] row : actions) {
            for (int i = 0; i < ENVS; i++) {
                row[i] = (int) (rng.nextLong() & 1);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        vector.close();
    }

    @Benchmark
    @OperationsPerInvocation(ENVS)
    public double vectorStep() {
        vector.step(actions[next]);
        next = (next + 1) & (ACTION_ROWS - 1);
        return vector.observations()[0];
    }
}
