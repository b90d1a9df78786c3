package dev.deepq.algo;

import dev.deepq.io.SafeTensors;
import dev.deepq.nn.Activation;
import dev.deepq.nn.Dropout;
import dev.deepq.nn.Kernels;
import dev.deepq.nn.Layer;
import dev.deepq.nn.LayerNorm;
import dev.deepq.nn.Linear;
import dev.deepq.nn.LinearInit;
import dev.deepq.nn.Network;
import dev.deepq.nn.Relu;
import dev.deepq.nn.Sequential;
import dev.deepq.nn.optim.Adam;
import dev.deepq.random.Rng;
import dev.deepq.state.Checkpointable;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * N critics Q_i(s, a), their target copies and their Adam states: the part SAC, REDQ, DroQ, TD3 and DDPG share.
 *
 * <pre>
 *   targetMin(s', a')     = min_{k in K} Q_target,k(s', a'), K a subset of M of the N target critics drawn
 *                           uniformly without replacement at every call (REDQ's in-target minimization; K is all
 *                           N critics when M = N, and nothing is drawn)
 *   regress(s, a, y)      : one Adam step of every critic on  scale * sum_i mean_r (Q_i(s_r, a_r) - y_r)^2
 *   actorValue(s, a, how) = per row min_i Q_i(s, a), mean_i Q_i(s, a) or Q_1(s, a) (see {@link ActorQ}), and its
 *                           gradient d value / d a for the actor's chain rule
 *   polyakUpdate(tau)     : theta_target,i = tau theta_i + (1 - tau) theta_target,i  for every critic
 * </pre>
 *
 * Each critic is an MLP on the concatenated (s, a): every hidden layer is Linear, then Dropout if {@code dropout > 0},
 * then LayerNorm if {@code layerNorm}, then ReLU: the order of DroQ's reference code ({@code Mlp} in
 * {@code redq/algos/core.py} of Hiraoka's repository: Linear, Dropout, LayerNorm, activation), and a Linear to one
 * output. Without layer norm the ReLU runs fused inside the Linear (it commutes with dropout's non-negative scaling),
 * so a plain critic is exactly {@code Mlp.builder(in).hidden(...).output(1)}: the same layers, PyTorch names
 * ({@code 0.weight}, {@code 2.weight}, ...) and initial draws. Dropout is active in every pass, the targets'
 * included, as in DroQ, whose critics never leave training mode; all masks come from one generator that belongs to
 * the checkpoint.
 *
 * <p>Critic i starts from the stream {@code Rng.derived(seed, 4 + i)} for i = 0, 1 (the twin critics' streams before
 * ensembles existed, so SAC and TD3 keep their numbers) and {@code Rng.derived(seed, 4, i)} beyond (streams 6 and 7
 * belong to the agents' noise). The subset draws use {@code Rng.derived(seed, 8)}, the dropout masks
 * {@code Rng.derived(seed, 9)}.
 *
 * <p>Callers hand in batch-major observation and action rows and get values and gradients back; whether the critics
 * are N networks (as now) or one batched network is this class's business. Nothing is allocated per call.
 */
final class CriticEnsemble implements Checkpointable {

    /**
     * The ensemble's shape and optimizer.
     *
     * @param critics N, the number of critics
     * @param targetSubset M, how many target critics the TD target takes the minimum over (1..N)
     * @param hidden hidden widths of each critic
     * @param dropout dropout probability after each hidden Linear (0 = none)
     * @param layerNorm LayerNorm after each hidden Linear (and its dropout)
     * @param learningRate Adam's step size
     * @param adamEps Adam's epsilon
     * @param init how every Linear layer starts
     */
    record Options(int critics, int targetSubset, int[] hidden, double dropout, boolean layerNorm,
                   double learningRate, double adamEps, LinearInit init) {
        Options {
            if (critics < 1) {
                throw new IllegalArgumentException("the ensemble needs at least one critic, got " + critics);
            }
            if (targetSubset < 1 || targetSubset > critics) {
                throw new IllegalArgumentException("the target subset must hold 1 to " + critics + " critics, got "
                        + targetSubset);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("critic dropout must be in [0, 1), got " + dropout);
            }
            hidden = hidden.clone();
        }
    }

    private final int obsSize;
    private final int actSize;
    private final int width;
    private final int subsetSize;
    private final Network[] critics;
    private final Network[] targets;
    private final Adam[] optimizers;
    /** Draws the target subsets; null when the subset is the whole ensemble. */
    private final Rng subsetRng;
    /** Draws every dropout mask of every critic and target; null without dropout. */
    private final Rng dropoutRng;

    private final int[] order;
    private final float[] input;
    private final float[] values;
    private final float[] outputGradient;
    private final float[] actionGradient;
    private final int[] smallest;

    // Each critic's part of an operation runs as one task (Kernels.forEach: on the kernel threads when there are
    // several), touching only that critic's networks, optimizer and the slots below; the results are combined
    // afterwards in critic order, so they are the same for any thread count.
    private final Kernels kernels;
    private final float[][] criticValues;
    private final float[][] criticOutputGradients;
    private final double[] criticLosses;
    private int taskBatch;
    private float[] taskTargets;
    private double taskScale;
    private double taskTau;
    private final IntConsumer targetForward = this::targetForward;
    private final IntConsumer regressOne = this::regressOne;
    private final IntConsumer criticForward = this::criticForward;
    private final IntConsumer criticBackwardInput = this::criticBackwardInput;
    private final IntConsumer criticForwardAndBackwardInput = this::criticForwardAndBackwardInput;
    private final IntConsumer polyakOne = this::polyakOne;

    /**
     * @param batchSize the largest batch any call passes
     * @param seed the agent's run seed; the critics' streams are derived from it (see the class comment)
     */
    CriticEnsemble(int obsSize, int actSize, int batchSize, Options options, long seed) {
        this.obsSize = obsSize;
        this.actSize = actSize;
        width = obsSize + actSize;
        int n = options.critics();
        subsetSize = options.targetSubset();
        subsetRng = subsetSize < n ? Rng.derived(seed, 8) : null;
        dropoutRng = options.dropout() > 0 ? Rng.derived(seed, 9) : null;
        critics = new Network[n];
        targets = new Network[n];
        optimizers = new Adam[n];
        for (int i = 0; i < n; i++) {
            critics[i] = Network.create(critic(options), batchSize).initialize(initStream(seed, i)).enableInputGradient();
            targets[i] = Network.create(critic(options), batchSize);
            targets[i].copyParametersFrom(critics[i]);
            optimizers[i] = new Adam(critics[i].parameterCount(), options.learningRate(), 0.9, 0.999,
                    options.adamEps(), 0, false, critics[i].kernels());
        }
        kernels = critics[0].kernels();
        criticValues = new float[n][];
        criticOutputGradients = new float[n][batchSize];
        criticLosses = new double[n];
        order = new int[n];
        input = new float[batchSize * width];
        values = new float[batchSize];
        outputGradient = new float[batchSize];
        actionGradient = new float[batchSize * actSize];
        smallest = new int[batchSize];
    }

    private static Rng initStream(long seed, int critic) {
        return critic < 2 ? Rng.derived(seed, 4 + critic) : Rng.derived(seed, 4, critic);
    }

    /** One critic's layers: per hidden width Linear, [Dropout], [LayerNorm, ReLU] (ReLU fused without LayerNorm). */
    private Sequential critic(Options options) {
        List<String> names = new ArrayList<>();
        List<Layer> layers = new ArrayList<>();
        int index = 0;
        int in = width;
        for (int h : options.hidden()) {
            Activation fused = options.layerNorm() ? Activation.IDENTITY : Activation.RELU;
            names.add(Integer.toString(index++));
            layers.add(new Linear(in, h, fused, true, options.init()));
            if (options.dropout() > 0) {
                names.add(Integer.toString(index++));
                layers.add(new Dropout(h, options.dropout(), dropoutRng));
            }
            if (options.layerNorm()) {
                names.add(Integer.toString(index++));
                layers.add(new LayerNorm(h));
                names.add(Integer.toString(index++));
                layers.add(new Relu(h));
            } else {
                index++; // the fused ReLU's place in the equivalent torch.nn.Sequential
            }
            in = h;
        }
        names.add(Integer.toString(index));
        layers.add(new Linear(in, 1, Activation.IDENTITY, true, options.init()));
        return new Sequential(names, layers);
    }

    // ---- the four operations ----

    /**
     * The minimum of Q_target,k(s', a') over a freshly drawn subset of the target critics, per row. Returns a buffer
     * of {@code b} values, valid until the next call.
     */
    float[] targetMin(float[] nextObs, float[] nextActions, int b) {
        join(nextObs, nextActions, b);
        if (subsetRng != null) {
            drawSubset(subsetRng, order, critics.length, subsetSize);
        }
        taskBatch = b;
        eachCritic(subsetSize, targetForward);
        for (int j = 0; j < subsetSize; j++) {
            float[] q = criticValues[subsetMember(j)];
            for (int r = 0; r < b; r++) {
                values[r] = j == 0 ? q[r] : Math.min(values[r], q[r]);
            }
        }
        return values;
    }

    private int subsetMember(int j) {
        return subsetRng != null ? order[j] : j;
    }

    private void targetForward(int j) {
        int k = subsetMember(j);
        criticValues[k] = targets[k].forward(input, 0, taskBatch);
    }

    /** Sets every critic's Adam step size (learning-rate schedules). */
    void setLearningRate(double learningRate) {
        for (Adam optimizer : optimizers) {
            optimizer.setLearningRate(learningRate);
        }
    }

    /**
     * One Adam step of every critic toward {@code targets} on {@code scale * sum_i mean_r (Q_i(s_r, a_r) - y_r)^2};
     * returns that loss (before the steps).
     */
    double regress(float[] obs, float[] actions, float[] targetValues, int b, double scale) {
        join(obs, actions, b);
        taskBatch = b;
        taskTargets = targetValues;
        taskScale = scale;
        eachCritic(critics.length, regressOne);
        taskTargets = null;
        double total = 0;
        for (double loss : criticLosses) {
            total += loss;
        }
        return total;
    }

    private void regressOne(int i) {
        int b = taskBatch;
        double scale = taskScale;
        float[] gradient = criticOutputGradients[i];
        float[] q = critics[i].forward(input, 0, b);
        double loss = 0;
        for (int r = 0; r < b; r++) {
            double diff = q[r] - taskTargets[r];
            loss += diff * diff;
            gradient[r] = (float) (2 * scale * diff / b);
        }
        critics[i].zeroGradients();
        critics[i].backward(gradient);
        optimizers[i].step(critics[i].parameters(), critics[i].gradients());
        criticLosses[i] = scale * loss / b;
    }

    /**
     * The actor's view of Q(s, a), per row: the smallest critic (the first on ties, as {@code torch.min}), the mean
     * over the critics, or the first critic alone. Returns a buffer of {@code b} values and leaves d value / d a in
     * {@link #actionGradient()} (b x |A|, batch-major). Only d Q / d input is back-propagated: the critics' weight
     * gradients, which the actor step does not use, are never computed (Stable-Baselines3 computes and discards them).
     */
    float[] actorValue(float[] obs, float[] actions, int b, ActorQ how) {
        join(obs, actions, b);
        taskBatch = b;
        return switch (how) {
            case FIRST -> firstValue(b);
            case MIN -> minValue(b);
            case MEAN -> meanValue(b);
        };
    }

    private float[] firstValue(int b) {
        float[] q = critics[0].forward(input, 0, b);
        System.arraycopy(q, 0, values, 0, b);
        Arrays.fill(outputGradient, 0, b, 1f);
        critics[0].backwardInputOnly(outputGradient);
        gatherActionGradient(critics[0].inputGradient(), -1, b);
        return values;
    }

    private float[] minValue(int b) {
        eachCritic(critics.length, criticForward);
        for (int i = 0; i < critics.length; i++) {
            float[] q = criticValues[i];
            for (int r = 0; r < b; r++) {
                if (i == 0 || q[r] < values[r]) {
                    values[r] = q[r];
                    smallest[r] = i;
                }
            }
        }
        // d min / d a flows through the smallest critic of each row only.
        for (int i = 0; i < critics.length; i++) {
            float[] gradient = criticOutputGradients[i];
            for (int r = 0; r < b; r++) {
                gradient[r] = smallest[r] == i ? 1f : 0f;
            }
        }
        eachCritic(critics.length, criticBackwardInput);
        for (int i = 0; i < critics.length; i++) {
            gatherActionGradient(critics[i].inputGradient(), i, b);
        }
        return values;
    }

    private void criticForward(int i) {
        criticValues[i] = critics[i].forward(input, 0, taskBatch);
    }

    private void criticBackwardInput(int i) {
        critics[i].backwardInputOnly(criticOutputGradients[i]);
    }

    private float[] meanValue(int b) {
        int n = critics.length;
        Arrays.fill(values, 0, b, 0f);
        Arrays.fill(actionGradient, 0, b * actSize, 0f);
        Arrays.fill(outputGradient, 0, b, 1f / n);
        eachCritic(n, criticForwardAndBackwardInput);
        for (int i = 0; i < n; i++) {
            float[] q = criticValues[i];
            for (int r = 0; r < b; r++) {
                values[r] += q[r];
            }
            float[] g = critics[i].inputGradient();
            for (int r = 0; r < b; r++) {
                for (int a = 0; a < actSize; a++) {
                    actionGradient[r * actSize + a] += g[r * width + obsSize + a];
                }
            }
        }
        for (int r = 0; r < b; r++) {
            values[r] /= n;
        }
        return values;
    }

    private void criticForwardAndBackwardInput(int i) {
        criticValues[i] = critics[i].forward(input, 0, taskBatch);
        critics[i].backwardInputOnly(outputGradient);
    }

    /** Copies the action part of {@code g}'s rows into the action gradient (rows whose smallest critic is {@code
     * critic}, or every row when it is -1). */
    private void gatherActionGradient(float[] g, int critic, int b) {
        for (int r = 0; r < b; r++) {
            if (critic < 0 || smallest[r] == critic) {
                System.arraycopy(g, r * width + obsSize, actionGradient, r * actSize, actSize);
            }
        }
    }

    /** d value / d a of the last {@link #actorValue} call, b x |A| batch-major (live buffer). */
    float[] actionGradient() {
        return actionGradient;
    }

    /** theta_target,i = tau theta_i + (1 - tau) theta_target,i for every critic. */
    void polyakUpdate(double tau) {
        taskTau = tau;
        eachCritic(critics.length, polyakOne);
    }

    private void polyakOne(int i) {
        targets[i].polyakUpdate(critics[i], taskTau);
    }

    /**
     * Runs a per-critic task for critics (or subset members) 0..count-1: on the kernel threads, except with dropout,
     * whose masks all come from one generator in a fixed order.
     */
    private void eachCritic(int count, IntConsumer task) {
        if (dropoutRng != null) {
            for (int i = 0; i < count; i++) {
                task.accept(i);
            }
        } else {
            kernels.forEach(count, task);
        }
    }

    /** Writes rows (obs, action) into the critics' input. */
    private void join(float[] obs, float[] actions, int b) {
        for (int r = 0; r < b; r++) {
            System.arraycopy(obs, r * obsSize, input, r * width, obsSize);
            System.arraycopy(actions, r * actSize, input, r * width + obsSize, actSize);
        }
    }

    /**
     * Partial Fisher-Yates: leaves in {@code order[0..m)} m distinct indices of 0..n-1, every ordered selection equally
     * likely (the distribution of REDQ's {@code np.random.choice(n, m, replace=False)}). {@code order} is reset to
     * 0..n-1 first, so a draw depends on the generator's state alone.
     */
    static void drawSubset(Rng rng, int[] order, int n, int m) {
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + (int) rng.integers(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    // ---- checkpoints and model files ----

    /**
     * Writes {@code q<i>}, {@code q<i>_target} and {@code q<i>_optimizer} for i = 1..N (the names SAC and TD3 used
     * before ensembles, so their checkpoints still read), and the subset and dropout generators when they exist.
     */
    @Override
    public void saveState(StateWriter out) {
        for (int i = 0; i < critics.length; i++) {
            AgentState.saveNetwork(out.scope("q" + (i + 1)), critics[i]);
            AgentState.saveNetwork(out.scope("q" + (i + 1) + "_target"), targets[i]);
            AgentState.saveAdam(out.scope("q" + (i + 1) + "_optimizer"), optimizers[i]);
        }
        if (subsetRng != null) {
            out.putRng("target_subset_rng", subsetRng);
        }
        if (dropoutRng != null) {
            out.putRng("critic_dropout_rng", dropoutRng);
        }
    }

    @Override
    public void restoreState(StateReader in) {
        for (int i = 0; i < critics.length; i++) {
            AgentState.restoreNetwork(in.scope("q" + (i + 1)), critics[i]);
            AgentState.restoreNetwork(in.scope("q" + (i + 1) + "_target"), targets[i]);
            AgentState.restoreAdam(in.scope("q" + (i + 1) + "_optimizer"), optimizers[i]);
        }
        if (subsetRng != null) {
            in.readRng("target_subset_rng", subsetRng);
        }
        if (dropoutRng != null) {
            in.readRng("critic_dropout_rng", dropoutRng);
        }
    }

    /** Adds the critics as tensors {@code q1.<name>}, {@code q2.<name>}, ... (PyTorch's names and layouts). */
    void putTensors(SafeTensors.Builder file) {
        for (int i = 0; i < critics.length; i++) {
            ModelFiles.putNetwork(file, "q" + (i + 1) + ".", critics[i]);
        }
    }

    /** Reads the critics {@link #putTensors} wrote; the targets become copies of them. */
    void readTensors(SafeTensors file) {
        for (int i = 0; i < critics.length; i++) {
            ModelFiles.readNetwork(file, "q" + (i + 1) + ".", critics[i]);
            targets[i].copyParametersFrom(critics[i]);
        }
    }

    // ---- inspection (tests, tools) ----

    int size() {
        return critics.length;
    }

    int targetSubsetSize() {
        return subsetSize;
    }

    /** Critic {@code i} (0-based) as a network of its own. */
    Network critic(int i) {
        return critics[i];
    }

    /** Target critic {@code i} (0-based). */
    Network target(int i) {
        return targets[i];
    }

    /** The indices of the last {@link #targetMin} subset: the first {@link #targetSubsetSize()} entries. */
    int[] lastSubset() {
        if (subsetRng == null) {
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
        }
        return Arrays.copyOf(order, subsetSize);
    }

    /** The generator of the dropout masks, or null without dropout (tests fix masks by restoring its state). */
    Rng dropoutRng() {
        return dropoutRng;
    }
}
