package dev.deepq.bench;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import dev.deepq.env.classic.CartPole;
import dev.deepq.random.Rng;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-threaded CartPole-v1 steps per second with random actions, as Gymnasium's ~300,000 steps/s figure is
 * measured: one env, episodes reset when they end. Actions come from a pre-drawn table so the benchmark measures the
 * env, not the sampler. Run with {@code -prof gc} to see bytes allocated per step.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class CartPoleStepBenchmark {
    private static final int ACTIONS = 4096;

    private Env made;
    private Env raw;
    private int[] actions;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        made = Envs.make("CartPole-v1");
        made.reset(0);
        raw = new CartPole();
        raw.reset(0);
        Rng rng = Rng.seeded(1);
        actions = new int[ACTIONS];
        for (int i = 0; i < ACTIONS; i++) {
            actions[i] = (int) (rng.nextLong() & 1);
        }
    }

    /** CartPole-v1 through {@code Envs.make}, with its TimeLimit wrapper and the protocol checks. */
    @Benchmark
    public double madeEnvStep() {
        return stepOnce(made);
    }

    /** The unwrapped CartPole, for the cost of the wrapper layer. */
    @Benchmark
    public double rawEnvStep() {
        return stepOnce(raw);
    }

    private double stepOnce(Env env) {
        StepResult r = env.step(actions[next]);
        next = (next + 1) & (ACTIONS - 1);
        if (r.done()) {
            r = env.reset();
        }
        return r.observation()[0];
    }
}
