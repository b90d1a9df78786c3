package dev.deepq.bench;

import dev.deepq.nn.Kernels;
import dev.deepq.nn.Mlp;
import dev.deepq.nn.Network;
import dev.deepq.nn.loss.HuberLoss;
import dev.deepq.nn.loss.MseLoss;
import dev.deepq.nn.loss.RegressionLoss;
import dev.deepq.nn.optim.Adam;
import dev.deepq.nn.optim.GradientClipping;
import dev.deepq.random.Rng;
import java.util.Arrays;
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
 * The neural core's cost in a DQN agent, on CleanRL's CartPole network (MLP 4-64-64-2), with the Vector API kernels
 * and with the scalar fallback:
 * <ul>
 *   <li>{@code update}: one DQN update on a batch of 128 — target-network forward and row max, online forward,
 *       loss on the taken actions (Huber, or MSE with {@code -p loss=mse}), backward, gradient clipping at norm 10,
 *       Adam step. About 4.5 MFLOP.</li>
 *   <li>{@code act}: the greedy action for one observation (forward with batch 1, argmax).</li>
 * </ul>
 * Run: {@code ./mvnw -pl deepq-bench -am package -DskipTests && java -jar deepq-bench/target/benchmarks.jar
 * MlpUpdateBenchmark}. The fork gets {@code --add-modules jdk.incubator.vector}; add {@code -prof gc} to see that
 * both allocate nothing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Thread)
public class MlpUpdateBenchmark {
    private static final int BATCH = 128;
    private static final int OBSERVATIONS = 1024;

    @Param({"vector", "scalar"})
    public String kernels;

    @Param({"huber"})
    public String loss;

    private Kernels k;
    private Network online;
    private Network target;
    private Adam adam;
    private RegressionLoss regression;
    private float[] observations;
    private float[] nextObservations;
    private int[] actions;
    private float[] rewards;
    private float[] dones;
    private float[] nextMax;
    private float[] chosen;
    private float[] targets;
    private float[] chosenGradient;
    private float[] outputGradient;
    private float[] actObservations;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        k = kernels.equals("vector") ? Kernels.vector() : Kernels.scalar();
        regression = loss.equals("mse") ? MseLoss.INSTANCE : HuberLoss.smoothL1(1);
        Rng rng = Rng.seeded(1);
        online = Network.create(Mlp.builder(4).hidden(64, 64).output(2), BATCH, k).initialize(rng);
        target = Network.create(Mlp.builder(4).hidden(64, 64).output(2), BATCH, k);
        target.copyParametersFrom(online);
        adam = new Adam(online.parameterCount(), 2.5e-4, 0.9, 0.999, 1e-8, 0, false, k);
        observations = uniform(rng, BATCH * 4);
        nextObservations = uniform(rng, BATCH * 4);
        actObservations = uniform(rng, OBSERVATIONS * 4);
        actions = new int[BATCH];
        rewards = new float[BATCH];
        dones = new float[BATCH];
        for (int i = 0; i < BATCH; i++) {
            actions[i] = (int) (rng.nextLong() & 1);
            rewards[i] = 1f;
            dones[i] = rng.random() < 0.05 ? 1f : 0f;
        }
        nextMax = new float[BATCH];
        chosen = new float[BATCH];
        targets = new float[BATCH];
        chosenGradient = new float[BATCH];
        outputGradient = new float[BATCH * 2];
    }

    private static float[] uniform(Rng rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.uniform(-1, 1);
        }
        return x;
    }

    /** One DQN gradient step; returns the loss so the work cannot be optimized away. */
    @Benchmark
    public float update() {
        float[] qNext = target.forward(nextObservations, BATCH);
        k.rowMax(qNext, 0, 2, BATCH, 2, nextMax, 0);
        for (int i = 0; i < BATCH; i++) {
            targets[i] = rewards[i] + 0.99f * (1f - dones[i]) * nextMax[i];
        }
        float[] q = online.forward(observations, BATCH);
        for (int i = 0; i < BATCH; i++) {
            chosen[i] = q[2 * i + actions[i]];
        }
        float value = regression.compute(chosen, targets, BATCH, chosenGradient);
        Arrays.fill(outputGradient, 0f);
        for (int i = 0; i < BATCH; i++) {
            outputGradient[2 * i + actions[i]] = chosenGradient[i];
        }
        online.zeroGradients();
        online.backward(outputGradient);
        GradientClipping.clipGlobalNorm(k, online.gradients(), 0, online.parameterCount(), 10);
        adam.step(online.parameters(), online.gradients());
        return value;
    }

    /** The greedy action for one observation. */
    @Benchmark
    public int act() {
        int action = online.act(actObservations, next * 4);
        next = (next + 1) & (OBSERVATIONS - 1);
        return action;
    }
}
