package dev.deepq.algo;

import dev.deepq.env.spaces.Discrete;
import dev.deepq.env.spaces.MultiDiscrete;
import dev.deepq.env.spaces.Space;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.io.Json;
import dev.deepq.io.SafeTensors;
import dev.deepq.nn.Mlp;
import dev.deepq.nn.Network;
import dev.deepq.nn.loss.HuberLoss;
import dev.deepq.nn.loss.MseLoss;
import dev.deepq.nn.loss.RegressionLoss;
import dev.deepq.nn.optim.Adam;
import dev.deepq.nn.optim.GradientClipping;
import dev.deepq.random.Rng;
import dev.deepq.replay.ActionKind;
import dev.deepq.replay.Batch;
import dev.deepq.replay.BetaSchedule;
import dev.deepq.replay.PrioritizedReplayBuffer;
import dev.deepq.replay.ReplayBuffer;
import dev.deepq.replay.ReplayConfig;
import dev.deepq.state.Checkpointable;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import dev.deepq.train.ActionBatch;
import dev.deepq.train.Agent;
import dev.deepq.train.LinearSchedule;
import dev.deepq.train.RecordConfigs;
import dev.deepq.train.StepBatch;
import dev.deepq.train.TrainingMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Deep Q-Networks (Mnih et al. 2013, 2015) with the family's options as settings of {@link DqnConfig}: double DQN,
 * dueling heads, n-step returns, prioritized replay, hard or Polyak target updates, MSE or Huber loss, gradient
 * clipping. A MultiDiscrete action space gets one Q-head per dimension (action branching, Tavakoli et al. 2018).
 *
 * <pre>
 *   act(s):      each env: with probability epsilon(step) a random (valid) action, else argmax_a Q(s, a)
 *   observe:     store (s, a, r, s', terminated, truncated) in replay (n-step windows, final observations kept)
 *                after learning_starts, every train_frequency vector steps, gradient_steps times:
 *                  sample a batch (uniform, or by priority with importance weights)
 *                  V(s')  = max_a' Q_target(s', a')                     or, double: Q_target(s', argmax_a' Q(s', a'))
 *                           (a' over the actions valid in s' for envs with action masks)
 *                  y      = R^(n) + gamma^m (1 - terminated) V(s')      (truncation bootstraps, termination does not)
 *                  loss   = mean w (y - Q(s, a))^2  or Huber;  Adam step (after optional norm clipping)
 *                  prioritized: p = (|y - Q(s, a)| + eps)^alpha
 *                every target_network_frequency steps: theta_target = tau theta + (1 - tau) theta_target
 * </pre>
 * With branching heads each dimension d has its own Q_d; the target shares V(s') = mean_d max Q_target,d(s', .)
 * across dimensions (Tavakoli et al.'s mean-of-maxima target) and the loss averages over dimensions.
 *
 * <p>Action masks (Taxi): acting picks among valid actions, and the target's max (double DQN: argmax) runs over the
 * actions valid in the bootstrap state s', whose mask the replay buffer keeps (for an ended episode, its final
 * state's). An invalid action's Q is never trained toward anything, so a max over all actions would bootstrap from
 * an arbitrary value. As in acting, masks apply to a single head only (a mask is not per branching head).
 *
 * <p>Nothing is allocated per step: observations, batches, targets and gradients live in arrays made here.
 *
 * <p>Checkpoints ({@link #saveState}) hold both networks, Adam's moments and step count, the replay buffer, both
 * generators, the gradient-update count and the latest metrics; the schedules are functions of the step.
 */
public final class Dqn implements Agent, Checkpointable {
    private static final int METRIC_EPSILON = 0;
    private static final int METRIC_LOSS = 1;
    private static final int METRIC_Q_MEAN = 2;
    private static final int METRIC_TD_ABS = 3;

    private final DqnConfig config;
    private final Space observationSpace;
    private final Space actionSpace;
    private final int observationSize;
    /** Actions per head; one head for Discrete, one per dimension for MultiDiscrete. */
    private final int[] headSizes;
    private final int[] headOffsets;
    private final int outputs;
    private final Network q;
    private final Network target;
    private final Adam optimizer;
    private final RegressionLoss loss;
    private final ReplayBuffer replay;
    private final Batch batch;
    /**
     * With several gradient steps per round on a uniform buffer: the round's minibatches, drawn up front (nothing
     * changes the buffer or the target network within a round), and the target network's outputs on all their next
     * observations, computed in chunks of {@code roundChunkBatches} minibatches; null otherwise. Why: one pass over
     * many minibatches packs the target's weights once per chunk and runs larger products (RL Zoo's CartPole
     * settings, 128 steps of 64 rows per round: the run ~10 % faster). Each output row is computed exactly as in a
     * pass over its own minibatch, so results are the same bits.
     */
    private final Batch[] roundBatches;
    private final float[] roundNextObservations;
    private final float[] roundTargetOutputs;
    private final int roundChunkBatches;
    private final LinearSchedule epsilon;
    private final BetaSchedule beta;
    private final Rng explorationRng;
    private final Rng replayRng;
    private final TrainingMetrics metrics = new TrainingMetrics("epsilon", "loss", "q_mean", "td_error_abs");

    private final float[] actInput;
    private final boolean[] greedy;
    private final int heads;
    private final float[] bootstrap;
    private final int[] nextArgmax;
    private final float[] predicted;
    private final float[] targets;
    private final float[] predictedGradient;
    private final float[] outputGradient;
    private final float[] tdErrors;
    private final int[] discreteAction;
    private final boolean[] ended;
    private long gradientUpdates;

    /**
     * @param seed run seed; the network initialization, exploration and replay sampling draw from streams derived
     *     from it
     */
    public Dqn(Space observationSpace, Space actionSpace, DqnConfig config, long seed) {
        this.config = config;
        this.observationSpace = observationSpace;
        this.actionSpace = actionSpace;
        if (actionSpace instanceof Discrete d) {
            if (d.start() != 0) {
                throw new IllegalArgumentException("DQN needs a Discrete action space starting at 0, got " + actionSpace);
            }
            headSizes = new int[] {d.n()};
        } else if (actionSpace instanceof MultiDiscrete md) {
            headSizes = md.nvec();
            if (config.dueling()) {
                throw new IllegalArgumentException("dueling heads are for Discrete action spaces; " + actionSpace
                        + " uses one branching head per dimension (set dueling=false)");
            }
        } else {
            throw new IllegalArgumentException("DQN needs a Discrete or MultiDiscrete action space, got " + actionSpace
                    + "; for continuous actions use an actor-critic (SAC, TD3, DDPG)");
        }
        heads = headSizes.length;
        headOffsets = new int[heads];
        int total = 0;
        for (int h = 0; h < heads; h++) {
            headOffsets[h] = total;
            total += headSizes[h];
        }
        outputs = total;
        observationSize = observationSpace.size();

        Mlp.Builder mlp = Mlp.builder(observationSize).hidden(config.hidden());
        int maxBatch = Math.max(config.batchSize(), config.numEnvs());
        int b = config.batchSize();
        int g = config.gradientSteps();
        boolean roundTargets = g > 1 && !config.prioritized() && targetsPerRound
                && (long) g * b * (2L * observationSize + outputs) <= ROUND_MAX_FLOATS;
        roundChunkBatches = roundTargets ? Math.max(1, Math.min(g, ROUND_CHUNK_ROWS / b)) : 0;
        int targetMaxBatch = Math.max(maxBatch, roundChunkBatches * b);
        if (heads > 1) {
            q = Network.create(mlp.multiHead(headSizes), maxBatch);
            target = Network.create(mlp.multiHead(headSizes), targetMaxBatch);
        } else if (config.dueling()) {
            q = Network.create(mlp.dueling(outputs), maxBatch);
            target = Network.create(mlp.dueling(outputs), targetMaxBatch);
        } else {
            q = Network.create(mlp.output(outputs), maxBatch);
            target = Network.create(mlp.output(outputs), targetMaxBatch);
        }
        q.initialize(Rng.derived(seed, 2));
        target.copyParametersFrom(q);
        optimizer = new Adam(q.parameterCount(), config.learningRate(), 0.9, 0.999, config.adamEps(), 0, false, q.kernels());
        loss = config.loss() == DqnConfig.Loss.MSE ? MseLoss.INSTANCE : HuberLoss.huber(config.huberDelta());

        ReplayConfig replayConfig = new ReplayConfig(config.bufferSize(), observationSize, ActionKind.DISCRETE, heads,
                config.numEnvs(), config.nStep(), config.gamma());
        replay = config.prioritized()
                ? new PrioritizedReplayBuffer(replayConfig, config.priorityAlpha(), config.priorityEpsilon())
                : new ReplayBuffer(replayConfig);
        batch = replay.newBatch(config.batchSize());
        if (roundTargets) {
            roundBatches = new Batch[g];
            for (int i = 0; i < g; i++) {
                roundBatches[i] = replay.newBatch(b);
            }
            roundNextObservations = new float[roundChunkBatches * b * observationSize];
            roundTargetOutputs = new float[g * b * outputs];
        } else {
            roundBatches = null;
            roundNextObservations = null;
            roundTargetOutputs = null;
        }
        epsilon = LinearSchedule.overFraction(config.startE(), config.endE(), config.explorationFraction(), config.totalSteps());
        beta = new BetaSchedule(config.priorityBeta0(), 1.0, config.totalSteps());
        explorationRng = Rng.derived(seed, 1);
        replayRng = Rng.derived(seed, 3);

        actInput = new float[config.numEnvs() * observationSize];
        greedy = new boolean[config.numEnvs()];
        bootstrap = new float[config.batchSize()];
        nextArgmax = new int[config.batchSize() * heads];
        predicted = new float[config.batchSize() * heads];
        targets = new float[config.batchSize() * heads];
        predictedGradient = new float[config.batchSize() * heads];
        outputGradient = new float[config.batchSize() * outputs];
        tdErrors = new float[config.batchSize()];
        discreteAction = new int[heads];
        ended = new boolean[config.numEnvs()];
    }

    // ---- acting ----

    @Override
    public void act(VectorEnv env, long step, ActionBatch out) {
        int n = env.numEnvs();
        double eps = epsilon.valueAt(step);
        metrics.set(METRIC_EPSILON, eps);
        int[] actions = out.discrete();
        boolean anyGreedy = false;
        for (int i = 0; i < n; i++) {
            greedy[i] = explorationRng.random() >= eps;
            anyGreedy |= greedy[i];
        }
        if (anyGreedy) {
            toFloat(env.observations(), 0, actInput, 0, n * observationSize);
            float[] values = q.forward(actInput, 0, n);
            for (int i = 0; i < n; i++) {
                if (greedy[i]) {
                    greedyActions(values, i * outputs, env.actionMask(i), actions, i * heads);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (!greedy[i]) {
                randomActions(env.actionMask(i), actions, i * heads);
            }
        }
    }

    @Override
    public void predict(double[] observation, boolean[] actionMask, double[] actionOut) {
        toFloat(observation, 0, actInput, 0, observationSize);
        float[] values = q.forward(actInput, 0, 1);
        greedyActions(values, 0, actionMask, discreteAction, 0);
        for (int h = 0; h < heads; h++) {
            actionOut[h] = discreteAction[h];
        }
    }

    /** The greedy action for one observation of a Discrete action space (no allocation). */
    public int act(double[] observation) {
        toFloat(observation, 0, actInput, 0, observationSize);
        float[] values = q.forward(actInput, 0, 1);
        greedyActions(values, 0, null, discreteAction, 0);
        return discreteAction[0];
    }

    private void greedyActions(float[] values, int offset, boolean[] mask, int[] out, int outOffset) {
        for (int h = 0; h < heads; h++) {
            out[outOffset + h] = argmax(values, offset + headOffsets[h], headSizes[h], heads == 1 ? mask : null, 0);
        }
    }

    private void randomActions(boolean[] mask, int[] out, int outOffset) {
        for (int h = 0; h < heads; h++) {
            out[outOffset + h] = heads == 1 && mask != null ? randomValid(mask) : (int) explorationRng.integers(headSizes[h]);
        }
    }

    private int randomValid(boolean[] mask) {
        int valid = 0;
        for (boolean ok : mask) {
            valid += ok ? 1 : 0;
        }
        if (valid == 0) {
            return (int) explorationRng.integers(mask.length);
        }
        int pick = (int) explorationRng.integers(valid);
        for (int a = 0; a < mask.length; a++) {
            if (mask[a] && pick-- == 0) {
                return a;
            }
        }
        throw new AssertionError("unreachable");
    }

    /**
     * The first largest value among the entries valid in {@code mask[maskOffset ..]} (NumPy's argmax when there is no
     * mask); among all entries if none is valid.
     */
    private static int argmax(float[] x, int offset, int n, boolean[] mask, int maskOffset) {
        int best = -1;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int a = 0; a < n; a++) {
            if (mask != null && !mask[maskOffset + a]) {
                continue;
            }
            float v = x[offset + a];
            if (best < 0 || v > bestValue) {
                best = a;
                bestValue = v;
            }
        }
        return best < 0 ? argmax(x, offset, n, null, 0) : best;
    }

    // ---- learning ----

    @Override
    public void observe(StepBatch step, long stepCount) {
        boolean[] nextMasks = heads == 1 ? step.nextActionMasks() : null;
        if (nextMasks != null && step.actionMaskSize() != headSizes[0]) {
            throw new IllegalArgumentException("DQN: the env's action masks have " + step.actionMaskSize()
                    + " entries but its action space " + actionSpace + " has " + headSizes[0] + " actions");
        }
        replay.addBatch(step.observations(), step.actions().discrete(), step.rewards(), step.terminated(),
                step.truncated(), step.nextObservations(), endedFlags(step), step.nextObservations(), nextMasks);
        int n = step.numEnvs();
        long before = stepCount - n;
        long vectorStep = before / n;
        if (before <= config.learningStarts()) {
            return;
        }
        if (vectorStep % config.trainFrequency() == 0 && replay.size() >= config.batchSize()) {
            if (roundBatches != null) {
                prepareRound();
            }
            for (int g = 0; g < config.gradientSteps(); g++) {
                trainStep(stepCount, g);
            }
        }
        if (vectorStep % Math.max(1, config.targetNetworkFrequency() / n) == 0) {
            if (config.tau() == 1.0) {
                target.copyParametersFrom(q);
            } else {
                target.polyakUpdate(q, config.tau());
            }
        }
    }

    private boolean[] endedFlags(StepBatch step) {
        for (int i = 0; i < ended.length; i++) {
            ended[i] = step.terminated()[i] || step.truncated()[i];
        }
        return ended;
    }

    /**
     * Off ({@code -Ddeepq.dqn.stepTargets=true}, or from tests) for agents built afterwards: the target network runs
     * on each minibatch as its step comes, for comparisons. Results are the same bits either way.
     */
    static boolean targetsPerRound = !Boolean.getBoolean("deepq.dqn.stepTargets");
    /** Rounds whose minibatches and target outputs would take more than this (16 MB) train step by step. */
    private static final long ROUND_MAX_FLOATS = 1L << 22;
    /** Rows per target pass: 512 was at least as fast as 2,048 on RL Zoo's CartPole net (alternated runs). */
    private static final int ROUND_CHUNK_ROWS = 512;

    /** Draws the round's minibatches (in the order the steps would) and the target network's outputs on them. */
    private void prepareRound() {
        int b = config.batchSize();
        int g = roundBatches.length;
        for (int i = 0; i < g; i++) {
            replay.sample(b, replayRng, roundBatches[i]);
        }
        int rowFloats = b * observationSize;
        for (int first = 0; first < g; first += roundChunkBatches) {
            int count = Math.min(roundChunkBatches, g - first);
            for (int i = 0; i < count; i++) {
                System.arraycopy(roundBatches[first + i].nextObservations(), 0, roundNextObservations, i * rowFloats,
                        rowFloats);
            }
            float[] out = target.forward(roundNextObservations, 0, count * b);
            System.arraycopy(out, 0, roundTargetOutputs, first * b * outputs, count * b * outputs);
        }
    }

    /** One gradient step on a sampled batch (the round's {@code step}-th). */
    private void trainStep(long stepCount, int step) {
        int b = config.batchSize();
        Batch minibatch;
        if (roundBatches != null) {
            minibatch = roundBatches[step];
        } else {
            minibatch = batch;
            if (replay instanceof PrioritizedReplayBuffer prioritized) {
                prioritized.sample(b, replayRng, beta.value(stepCount), minibatch);
            } else {
                replay.sample(b, replayRng, minibatch);
            }
        }

        // V(s') from the target network (double DQN: at the online network's greedy action), valid actions only.
        boolean[] masks = heads == 1 ? minibatch.nextActionMasks() : null;
        int maskSize = minibatch.actionMaskSize();
        if (config.doubleQ()) {
            float[] online = q.forward(minibatch.nextObservations(), 0, b);
            for (int r = 0; r < b; r++) {
                for (int h = 0; h < heads; h++) {
                    nextArgmax[r * heads + h] = argmax(online, r * outputs + headOffsets[h], headSizes[h], masks,
                            r * maskSize);
                }
            }
        }
        float[] next;
        int nextBase;
        if (roundBatches != null) {
            next = roundTargetOutputs;
            nextBase = step * b * outputs;
        } else {
            next = target.forward(minibatch.nextObservations(), 0, b);
            nextBase = 0;
        }
        for (int r = 0; r < b; r++) {
            float sum = 0;
            for (int h = 0; h < heads; h++) {
                int base = nextBase + r * outputs + headOffsets[h];
                int a = config.doubleQ() ? nextArgmax[r * heads + h]
                        : argmax(next, base, headSizes[h], masks, r * maskSize);
                sum += next[base + a];
            }
            bootstrap[r] = sum / heads;
        }

        // y = R + gamma^m (1 - terminated) V(s'), the same target for every head.
        float[] rewards = minibatch.rewards();
        float[] discounts = minibatch.discounts();
        for (int r = 0; r < b; r++) {
            float y = rewards[r] + discounts[r] * bootstrap[r];
            for (int h = 0; h < heads; h++) {
                targets[r * heads + h] = y;
            }
        }

        // Q(s, a) and the loss gradient, scattered back to the chosen actions' outputs.
        float[] values = q.forward(minibatch.observations(), 0, b);
        int[] actions = minibatch.discreteActions();
        double qSum = 0;
        for (int r = 0; r < b; r++) {
            for (int h = 0; h < heads; h++) {
                float v = values[r * outputs + headOffsets[h] + actions[r * heads + h]];
                predicted[r * heads + h] = v;
                qSum += v;
            }
        }
        float[] weights = config.prioritized() ? minibatch.weights() : null;
        float lossValue = loss.compute(predicted, targets, weights, b, heads, predictedGradient);
        Arrays.fill(outputGradient, 0, b * outputs, 0f);
        for (int r = 0; r < b; r++) {
            for (int h = 0; h < heads; h++) {
                outputGradient[r * outputs + headOffsets[h] + actions[r * heads + h]] = predictedGradient[r * heads + h];
            }
        }
        q.zeroGradients();
        q.backward(outputGradient);
        if (config.maxGradNorm() > 0) {
            GradientClipping.clipGlobalNorm(q.kernels(), q.gradients(), 0, q.parameterCount(), config.maxGradNorm());
        }
        optimizer.step(q.parameters(), q.gradients());
        gradientUpdates++;

        double tdSum = 0;
        for (int r = 0; r < b; r++) {
            float td = 0;
            for (int h = 0; h < heads; h++) {
                td += Math.abs(targets[r * heads + h] - predicted[r * heads + h]);
            }
            tdErrors[r] = td / heads;
            tdSum += tdErrors[r];
        }
        if (replay instanceof PrioritizedReplayBuffer prioritized) {
            prioritized.updatePriorities(minibatch, tdErrors);
        }
        metrics.set(METRIC_LOSS, lossValue);
        metrics.set(METRIC_Q_MEAN, qSum / (b * heads));
        metrics.set(METRIC_TD_ABS, tdSum / b);
    }

    private static void toFloat(double[] from, int fromOffset, float[] to, int toOffset, int n) {
        for (int i = 0; i < n; i++) {
            to[toOffset + i] = (float) from[fromOffset + i];
        }
    }

    // ---- checkpoints ----

    /** Saves everything a resumed run needs; network tensors are named {@code q/<PyTorch name>}, {@code target/...}. */
    @Override
    public void saveState(StateWriter out) {
        out.putString("config", Json.write(RecordConfigs.toMap(config)));
        AgentState.saveNetwork(out.scope("q"), q);
        AgentState.saveNetwork(out.scope("target"), target);
        AgentState.saveAdam(out.scope("optimizer"), optimizer);
        out.putPart("replay", replay);
        out.putRng("exploration_rng", explorationRng);
        out.putRng("replay_rng", replayRng);
        out.putLong("gradient_updates", gradientUpdates);
        out.putPart("metrics", metrics);
    }

    /** Restores a state saved by a DQN of the same config and spaces (a differing config is refused first). */
    @Override
    public void restoreState(StateReader in) {
        String difference = RecordConfigs.difference(Json.parseObject(in.getString("config")), config);
        if (difference != null) {
            throw in.error("config", "saved by a DQN of another configuration (" + difference + ")");
        }
        in.readPart("replay", replay);
        AgentState.restoreNetwork(in.scope("q"), q);
        AgentState.restoreNetwork(in.scope("target"), target);
        AgentState.restoreAdam(in.scope("optimizer"), optimizer);
        in.readRng("exploration_rng", explorationRng);
        in.readRng("replay_rng", replayRng);
        gradientUpdates = in.getLong("gradient_updates");
        in.readPart("metrics", metrics);
    }

    // ---- model files ----

    /** The format name written into model files. */
    public static final String MODEL_FORMAT = "deepq.dqn";
    public static final int MODEL_FORMAT_VERSION = 1;

    /**
     * Writes the trained Q-network as a safetensors file (tensors {@code q.<name>}, PyTorch's names and layouts) with
     * the config and spaces in its metadata, atomically. Python reads it with {@code safetensors.torch.load_file}.
     * (Replay, optimizer state and generators are checkpoint matters, not part of a model file.)
     */
    public void save(Path path) throws IOException {
        SafeTensors.Builder file = SafeTensors.builder();
        ModelFiles.putNetwork(file, "q.", q);
        ModelFiles.write(path, file, MODEL_FORMAT, MODEL_FORMAT_VERSION, config, observationSpace, actionSpace);
    }

    /**
     * Reads a model written by {@link #save}: an agent with the saved weights (target network equal to them) that
     * acts greedily. A file that is not a deepq DQN model, of another format version, or whose tensors do not fit its
     * config is refused with an IOException naming the file and the problem.
     */
    public static Dqn load(Path path) throws IOException {
        SafeTensors file = ModelFiles.readChecked(path, MODEL_FORMAT, MODEL_FORMAT_VERSION, "DQN");
        Dqn agent;
        try {
            ModelFiles.Description<DqnConfig> d = ModelFiles.describe(file, DqnConfig.cleanRl());
            agent = new Dqn(d.observation(), d.action(), d.config(), 0);
            ModelFiles.readNetwork(file, "q.", agent.q);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException(path + ": the model does not fit its own description: " + e.getMessage(), e);
        }
        agent.target.copyParametersFrom(agent.q);
        return agent;
    }

    // ---- accessors ----

    @Override
    public TrainingMetrics metrics() {
        return metrics;
    }

    @Override
    public DqnConfig config() {
        return config;
    }

    public Space observationSpace() {
        return observationSpace;
    }

    public Space actionSpace() {
        return actionSpace;
    }

    /** The online Q-network (its parameters are the trained weights). */
    public Network qNetwork() {
        return q;
    }

    public Network targetNetwork() {
        return target;
    }

    public Adam optimizer() {
        return optimizer;
    }

    public ReplayBuffer replay() {
        return replay;
    }

    /** The exploration generator's state, e.g. for a checkpoint. */
    public Rng explorationRng() {
        return explorationRng;
    }

    public Rng replayRng() {
        return replayRng;
    }

    public long gradientUpdates() {
        return gradientUpdates;
    }
}
