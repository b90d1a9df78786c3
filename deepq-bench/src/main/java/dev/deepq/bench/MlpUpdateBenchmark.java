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
 * The neural core's cost in a DQN agent, with the Vector API kernels and with the scalar fallback, on an MLP given
 * by {@code shape} as {@code "in-hidden...-out/batch"}: CleanRL's CartPole network {@code 4-64-64-2/128} (the
 * default), CleanRL's DQN preset {@code 4-120-84-2/128} and RL Zoo's CartPole DQN {@code 4-256-256-2/64}.
 * <ul>
 *   <li>{@code update}: one DQN update on a batch — target-network forward and row max, online forward,
 *       loss on the taken actions (Huber, or MSE with {@code -p loss=mse}), backward, gradient clipping at norm 10,
 *       Adam step. {@link #updateFlops(String)} counts its multiply-adds (4-64-64-2/128: about 4.5 MFLOP).</li>
 *   <li>{@code act}: the greedy action for one observation (forward with batch 1, argmax).</li>
 * </ul>
 * Run: {@code ./mvnw -pl deepq-bench -am package -DskipTests && java -jar deepq-bench/target/benchmarks.jar
 * MlpUpdateBenchmark -p shape=4-256-256-2/64}. The fork gets {@code --add-modules jdk.incubator.vector}; add
 * {@code -prof gc} to see that both allocate nothing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Thread)
public class MlpUpdateBenchmark {
    private static final int OBSERVATIONS = 1024;
    private static final int INPUTS = 4;
    private static final int ACTIONS = 2;

    @Param({"vector", "scalar"})
    public String kernels;

    /** The network and batch, {@code "in-hidden...-out/batch"}; input 4 and output 2 (CartPole) are required. */
    @Param({"4-64-64-2/128"})
    public String shape;

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
    private int batch;

    @Setup(Level.Trial)
    public void setUp() {
        k = kernels.equals("vector") ? Kernels.vector() : Kernels.scalar();
        regression = loss.equals("mse") ? MseLoss.INSTANCE : HuberLoss.smoothL1(1);
        int[] sizes = layerSizes(shape);
        int[] hidden = Arrays.copyOfRange(sizes, 1, sizes.length - 1);
        batch = batchSize(shape);
        Rng rng = Rng.seeded(1);
        online = Network.create(Mlp.builder(INPUTS).hidden(hidden).output(ACTIONS), batch, k).initialize(rng);
        target = Network.create(Mlp.builder(INPUTS).hidden(hidden).output(ACTIONS), batch, k);
        System.out.printf(java.util.Locale.ROOT, "%n%s: %.3f MFLOP per update%n", shape, updateFlops(shape) / 1e6);
        target.copyParametersFrom(online);
        adam = new Adam(online.parameterCount(), 2.5e-4, 0.9, 0.999, 1e-8, 0, false, k);
        observations = uniform(rng, batch * 4);
        nextObservations = uniform(rng, batch * 4);
        actObservations = uniform(rng, OBSERVATIONS * 4);
        actions = new int[batch];
        rewards = new float[batch];
        dones = new float[batch];
        for (int i = 0; i < batch; i++) {
            actions[i] = (int) (rng.nextLong() & 1);
            rewards[i] = 1f;
            dones[i] = rng.random() < 0.05 ? 1f : 0f;
        }
        nextMax = new float[batch];
        chosen = new float[batch];
        targets = new float[batch];
        chosenGradient = new float[batch];
        outputGradient = new float[batch * 2];
    }

    private static int[] layerSizes(String shape) {
        String[] parts = shape.split("/")[0].split("-");
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            sizes[i] = Integer.parseInt(parts[i]);
        }
        if (sizes.length < 2 || sizes[0] != INPUTS || sizes[sizes.length - 1] != ACTIONS) {
            throw new IllegalArgumentException("shape must look like 4-64-64-2/128 (4 inputs, 2 outputs), got " + shape);
        }
        return sizes;
    }

    private static int batchSize(String shape) {
        String[] parts = shape.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("shape must end in /batch, e.g. 4-64-64-2/128, got " + shape);
        }
        return Integer.parseInt(parts[1]);
    }

    /**
     * The floating-point operations of one {@link #update()} on this shape, counting a multiply-add as 2 and only
     * the matrix products (bias, activations, loss and Adam are a few percent at most): two forward passes (target
     * and online), the weight gradient of every layer and the input gradient of every layer but the first.
     */
    static double updateFlops(String shape) {
        int[] sizes = layerSizes(shape);
        double batch = batchSize(shape);
        double weights = 0;
        double weightsAfterFirst = 0;
        for (int i = 0; i + 1 < sizes.length; i++) {
            double w = (double) sizes[i] * sizes[i + 1];
            weights += w;
            weightsAfterFirst += i == 0 ? 0 : w;
        }
        return 2 * batch * (3 * weights + weightsAfterFirst);
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
        float[] qNext = target.forward(nextObservations, batch);
        k.rowMax(qNext, 0, 2, batch, 2, nextMax, 0);
        for (int i = 0; i < batch; i++) {
            targets[i] = rewards[i] + 0.99f * (1f - dones[i]) * nextMax[i];
        }
        float[] q = online.forward(observations, batch);
        for (int i = 0; i < batch; i++) {
            chosen[i] = q[2 * i + actions[i]];
        }
        float value = regression.compute(chosen, targets, batch, chosenGradient);
        Arrays.fill(outputGradient, 0f);
        for (int i = 0; i < batch; i++) {
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
