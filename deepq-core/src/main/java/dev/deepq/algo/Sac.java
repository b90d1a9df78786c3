package dev.deepq.algo;

import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.Space;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.io.Json;
import dev.deepq.io.SafeTensors;
import dev.deepq.nn.Mlp;
import dev.deepq.nn.Network;
import dev.deepq.nn.optim.Adam;
import dev.deepq.random.Gaussian;
import dev.deepq.random.Rng;
import dev.deepq.replay.ActionKind;
import dev.deepq.replay.Batch;
import dev.deepq.replay.ReplayBuffer;
import dev.deepq.replay.ReplayConfig;
import dev.deepq.state.Checkpointable;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import dev.deepq.train.ActionBatch;
import dev.deepq.train.Agent;
import dev.deepq.train.RecordConfigs;
import dev.deepq.train.StepBatch;
import dev.deepq.train.TrainingMetrics;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Soft Actor-Critic (Haarnoja et al. 2018, with the automatic entropy tuning of "SAC: Algorithms and Applications")
 * for Box action spaces with finite bounds, in Stable-Baselines3's update order.
 *
 * <pre>
 *   act(s):   before learning_starts a uniform action; then a = tanh(mean(s) + std(s) eps), eps ~ N(0, I),
 *             rescaled from (-1, 1) to the Box's bounds (replay keeps the (-1, 1) action the critics see)
 *   each gradient step, on a sampled batch (s, a, r, s', d):
 *     a~, log pi(a~|s)   = squashed Gaussian sample for s                           (see SquashedGaussian)
 *     alpha              = exp(log_alpha)                                         (the value before its own step)
 *     log_alpha         -= lr * Adam(-mean(log pi(a~|s) + target_entropy))         if auto entropy
 *     a', log pi(a'|s')  = sample for s'
 *     y                  = r + gamma (1 - d) (min_i Q_target,i(s', a') - alpha log pi(a'|s'))
 *     critics           <- Adam on 0.5 sum_i mean (Q_i(s, a) - y)^2
 *     every policy_frequency critic steps, policy_frequency times (the first time with a~ above, then fresh):
 *       actor           <- Adam on mean(alpha log pi(a~|s) - min_i Q_i(s, a~))   (gradient through a~ by dQ/da)
 *     every target_network_frequency critic steps: theta_target,i = tau theta_i + (1 - tau) theta_target,i
 * </pre>
 * The actor network outputs |A| means and then |A| raw log-stds (one Linear layer for both, the same as PyTorch's two
 * heads up to their initial draws). Truncation bootstraps, termination does not. Training starts once the replay
 * holds a batch (Stable-Baselines3 samples with replacement from fewer). Nothing is allocated per step.
 *
 * <p>Checkpoints hold the five networks, the four Adam states, log alpha, the replay buffer, the three generators,
 * the update count and the latest metrics.
 */
public final class Sac implements Agent, Checkpointable {
    private static final int METRIC_ALPHA = 0;
    private static final int METRIC_CRITIC_LOSS = 1;
    private static final int METRIC_ACTOR_LOSS = 2;
    private static final int METRIC_Q_MEAN = 3;
    private static final int METRIC_ENTROPY = 4;

    private final SacConfig config;
    private final Space observationSpace;
    private final Box actionSpace;
    private final int obsSize;
    private final int actSize;
    private final ActionScaling scaling;
    private final double targetEntropy;

    private final Network actor;
    private final Network q1;
    private final Network q2;
    private final Network q1Target;
    private final Network q2Target;
    private final Adam actorOptimizer;
    private final Adam q1Optimizer;
    private final Adam q2Optimizer;
    private final Adam alphaOptimizer;
    /** log(alpha), as a one-element parameter array for Adam. */
    private final float[] logAlpha = new float[1];
    private final float[] logAlphaGradient = new float[1];

    private final ReplayBuffer replay;
    private final Batch batch;
    private final Rng explorationRng;
    private final Rng replayRng;
    private final Rng noiseRng;
    private final TrainingMetrics metrics = new TrainingMetrics("alpha", "critic_loss", "actor_loss", "q_mean", "entropy");

    // Work arrays, batch-major.
    private final float[] actInput;
    private final float[] actNoise;
    private final double[] storedActions;
    private final boolean[] ended;
    /** The noise of the policy sample for s (kept for the actor step) and for s'. */
    private final float[] noise;
    private final float[] nextNoise;
    private final float[] squashed;
    private final float[] stdNoise;
    private final float[] logStdSlope;
    private final float[] logProb;
    private final float[] criticInput;
    private final float[] targets;
    private final float[] outputGradient;
    private final float[] otherGradient;
    private final float[] actorGradient;
    private long gradientUpdates;

    /**
     * @param seed run seed; network initialization, exploration, replay sampling and policy noise draw from streams
     *     derived from it
     */
    public Sac(Space observationSpace, Space actionSpace, SacConfig config, long seed) {
        scaling = new ActionScaling(actionSpace, "SAC");
        this.config = config;
        this.observationSpace = observationSpace;
        this.actionSpace = (Box) actionSpace;
        obsSize = observationSpace.size();
        actSize = scaling.size();
        targetEntropy = config.targetEntropyPerDimension() * actSize;

        int b = config.batchSize();
        int maxBatch = Math.max(b, config.numEnvs());
        actor = Network.create(Mlp.builder(obsSize).hidden(config.hidden()).output(2 * actSize), maxBatch);
        actor.initialize(Rng.derived(seed, 2));
        q1 = critic(b).initialize(Rng.derived(seed, 4)).enableInputGradient();
        q2 = critic(b).initialize(Rng.derived(seed, 5)).enableInputGradient();
        q1Target = critic(b);
        q2Target = critic(b);
        q1Target.copyParametersFrom(q1);
        q2Target.copyParametersFrom(q2);
        actorOptimizer = adam(actor.parameterCount(), config.policyLearningRate());
        q1Optimizer = adam(q1.parameterCount(), config.qLearningRate());
        q2Optimizer = adam(q2.parameterCount(), config.qLearningRate());
        alphaOptimizer = adam(1, config.alphaLearningRate());
        logAlpha[0] = (float) Math.log(config.initialAlpha());

        replay = new ReplayBuffer(new ReplayConfig(config.bufferSize(), obsSize, ActionKind.CONTINUOUS, actSize,
                config.numEnvs(), 1, config.gamma()));
        batch = replay.newBatch(b);
        explorationRng = Rng.derived(seed, 1);
        replayRng = Rng.derived(seed, 3);
        noiseRng = Rng.derived(seed, 6);

        int n = config.numEnvs();
        actInput = new float[n * obsSize];
        actNoise = new float[n * actSize];
        storedActions = new double[n * actSize];
        ended = new boolean[n];
        noise = new float[b * actSize];
        nextNoise = new float[b * actSize];
        squashed = new float[b * actSize];
        stdNoise = new float[b * actSize];
        logStdSlope = new float[b * actSize];
        logProb = new float[b];
        criticInput = new float[b * (obsSize + actSize)];
        targets = new float[b];
        outputGradient = new float[b];
        otherGradient = new float[b];
        actorGradient = new float[b * 2 * actSize];
    }

    private Network critic(int batchSize) {
        return Network.create(Mlp.builder(obsSize + actSize).hidden(config.hidden()).output(1), batchSize);
    }

    private Adam adam(int size, double learningRate) {
        return new Adam(size, learningRate, 0.9, 0.999, config.adamEps(), 0, false, actor.kernels());
    }

    // ---- acting ----

    @Override
    public void act(VectorEnv env, long step, ActionBatch out) {
        int n = env.numEnvs();
        double[] actions = out.box();
        metrics.set(METRIC_ALPHA, alpha());
        if (step < config.learningStarts()) {
            for (int k = 0; k < n * actSize; k++) {
                actions[k] = scaling.toEnv(k % actSize, explorationRng.uniform(-1, 1));
            }
            return;
        }
        toFloat(env.observations(), actInput, n * obsSize);
        float[] out2 = actor.forward(actInput, 0, n);
        Gaussian.fill(explorationRng, actNoise, 0, n * actSize);
        for (int e = 0; e < n; e++) {
            for (int i = 0; i < actSize; i++) {
                int row = e * 2 * actSize;
                double logStd = boundedLogStd(out2[row + actSize + i]);
                double u = out2[row + i] + Math.exp(logStd) * actNoise[e * actSize + i];
                actions[e * actSize + i] = scaling.toEnv(i, Math.tanh(u));
            }
        }
    }

    /** The deterministic action: tanh(mean(s)), rescaled to the bounds. */
    @Override
    public void predict(double[] observation, boolean[] actionMask, double[] actionOut) {
        toFloat(observation, actInput, obsSize);
        float[] out2 = actor.forward(actInput, 0, 1);
        for (int i = 0; i < actSize; i++) {
            actionOut[i] = scaling.toEnv(i, Math.tanh(out2[i]));
        }
    }

    private double boundedLogStd(double raw) {
        return SquashedGaussian.logStd(raw, config.logStdMin(), config.logStdMax(), config.smoothLogStd());
    }

    private double alpha() {
        return Math.exp(logAlpha[0]);
    }

    // ---- learning ----

    @Override
    public void observe(StepBatch step, long stepCount) {
        double[] envActions = step.actions().box();
        for (int k = 0; k < envActions.length; k++) {
            storedActions[k] = scaling.toPolicy(k % actSize, envActions[k]);
        }
        for (int i = 0; i < ended.length; i++) {
            ended[i] = step.terminated()[i] || step.truncated()[i];
        }
        replay.addBatch(step.observations(), storedActions, step.rewards(), step.terminated(), step.truncated(),
                step.nextObservations(), ended, step.nextObservations());
        int n = step.numEnvs();
        if (stepCount <= config.learningStarts() || (stepCount / n) % config.trainFrequency() != 0
                || replay.size() < config.batchSize()) {
            return;
        }
        for (int g = 0; g < config.gradientSteps(); g++) {
            trainStep();
        }
    }

    /** One critic step, and the actor, alpha and target steps that fall on it. */
    void trainStep() {
        int b = config.batchSize();
        replay.sample(b, replayRng, batch);
        double alpha = alpha();

        // A fresh policy sample for s: its log-probabilities drive the alpha step; the actor step reuses it.
        Gaussian.fill(noiseRng, noise, 0, b * actSize);
        samplePolicy(batch.observations(), noise, b);
        double logProbMean = mean(logProb, b);
        metrics.set(METRIC_ENTROPY, -logProbMean);
        if (config.autoEntropy()) {
            logAlphaGradient[0] = (float) alphaLossGradient(logProbMean, targetEntropy);
            alphaOptimizer.step(logAlpha, logAlphaGradient);
        }

        // Soft TD targets from the target critics at a' ~ pi(s').
        Gaussian.fill(noiseRng, nextNoise, 0, b * actSize);
        samplePolicy(batch.nextObservations(), nextNoise, b);
        joinCritic(batch.nextObservations(), squashed, b);
        float[] t1 = q1Target.forward(criticInput, 0, b);
        float[] t2 = q2Target.forward(criticInput, 0, b);
        float[] rewards = batch.rewards();
        float[] discounts = batch.discounts();
        for (int r = 0; r < b; r++) {
            double soft = Math.min(t1[r], t2[r]) - alpha * logProb[r];
            targets[r] = (float) (rewards[r] + discounts[r] * soft);
        }

        // Critics: 0.5 * sum_i mean (Q_i(s, a) - y)^2.
        joinCritic(batch.observations(), batch.continuousActions(), b);
        double criticLoss = criticStep(q1, q1Optimizer, b) + criticStep(q2, q2Optimizer, b);
        metrics.set(METRIC_CRITIC_LOSS, criticLoss);

        if (gradientUpdates % config.policyFrequency() == 0) {
            for (int k = 0; k < config.policyFrequency(); k++) {
                if (k > 0) {
                    Gaussian.fill(noiseRng, noise, 0, b * actSize);
                }
                actorStep(alpha, b);
            }
        }
        if (gradientUpdates % config.targetNetworkFrequency() == 0) {
            q1Target.polyakUpdate(q1, config.tau());
            q2Target.polyakUpdate(q2, config.tau());
        }
        gradientUpdates++;
        metrics.set(METRIC_ALPHA, alpha());
    }

    /**
     * Runs the actor on {@code obs} with the standard normal {@code eps}: writes tanh(u), std * eps, d logStd / d raw
     * and the summed log-probabilities. Leaves the actor's forward pass ready for a backward pass.
     */
    private void samplePolicy(float[] obs, float[] eps, int b) {
        float[] out = actor.forward(obs, 0, b);
        for (int r = 0; r < b; r++) {
            double sum = 0;
            for (int i = 0; i < actSize; i++) {
                int k = r * actSize + i;
                double raw = out[r * 2 * actSize + actSize + i];
                double logStd = boundedLogStd(raw);
                double e = eps[k];
                double std = Math.exp(logStd);
                double u = out[r * 2 * actSize + i] + std * e;
                squashed[k] = (float) Math.tanh(u);
                stdNoise[k] = (float) (std * e);
                logStdSlope[k] = (float) SquashedGaussian.logStdSlope(raw, config.logStdMin(), config.logStdMax(),
                        config.smoothLogStd());
                sum += SquashedGaussian.logProb(logStd, e, u);
            }
            logProb[r] = (float) sum;
        }
    }

    /** Writes rows (obs, action) into the critic input. */
    private void joinCritic(float[] obs, float[] actions, int b) {
        int width = obsSize + actSize;
        for (int r = 0; r < b; r++) {
            System.arraycopy(obs, r * obsSize, criticInput, r * width, obsSize);
            System.arraycopy(actions, r * actSize, criticInput, r * width + obsSize, actSize);
        }
    }

    /** One Adam step of a critic toward {@link #targets}; returns 0.5 * mean squared error. */
    private double criticStep(Network q, Adam optimizer, int b) {
        float[] values = q.forward(criticInput, 0, b);
        double loss = 0;
        for (int r = 0; r < b; r++) {
            double diff = values[r] - targets[r];
            loss += diff * diff;
            outputGradient[r] = (float) (diff / b);
        }
        q.zeroGradients();
        q.backward(outputGradient);
        optimizer.step(q.parameters(), q.gradients());
        return 0.5 * loss / b;
    }

    /** One actor step on mean(alpha log pi(a~|s) - min_i Q_i(s, a~)), a~ from the current {@link #noise}. */
    private void actorStep(double alpha, int b) {
        double loss = actorLossGradient(batch.observations(), noise, b, alpha);
        actorOptimizer.step(actor.parameters(), actor.gradients());
        metrics.set(METRIC_ACTOR_LOSS, loss);
    }

    /**
     * The actor loss mean(alpha log pi(a~|s) - min_i Q_i(s, a~)) with a~ from noise {@code eps}; leaves its gradient
     * in the actor's (zeroed) gradient array. The critics' parameter gradients are left dirty (each critic step
     * zeroes them first).
     */
    double actorLossGradient(float[] obs, float[] eps, int b, double alpha) {
        samplePolicy(obs, eps, b);
        joinCritic(obs, squashed, b);
        float[] v1 = q1.forward(criticInput, 0, b);
        float[] v2 = q2.forward(criticInput, 0, b);
        double loss = 0;
        double qSum = 0;
        for (int r = 0; r < b; r++) {
            boolean first = v1[r] <= v2[r];
            double qMin = first ? v1[r] : v2[r];
            loss += alpha * logProb[r] - qMin;
            qSum += qMin;
            outputGradient[r] = first ? 1f : 0f;
            otherGradient[r] = first ? 0f : 1f;
        }
        metrics.set(METRIC_Q_MEAN, qSum / b);
        // dQmin/da through whichever critic is the smaller one in each row (as torch.min's gradient).
        q1.backward(outputGradient);
        q2.backward(otherGradient);
        float[] g1 = q1.inputGradient();
        float[] g2 = q2.inputGradient();
        int width = obsSize + actSize;
        for (int r = 0; r < b; r++) {
            float[] g = outputGradient[r] != 0 ? g1 : g2;
            for (int i = 0; i < actSize; i++) {
                int k = r * actSize + i;
                double dQda = g[r * width + obsSize + i];
                double t = squashed[k];
                double dLdu = -dQda * (1 - t * t);
                double dMean = alpha * 2 * t + dLdu;
                double dLogStd = alpha * (-1 + 2 * t * stdNoise[k]) + dLdu * stdNoise[k];
                actorGradient[r * 2 * actSize + i] = (float) (dMean / b);
                actorGradient[r * 2 * actSize + actSize + i] = (float) (dLogStd * logStdSlope[k] / b);
            }
        }
        // The actor's last forward pass is samplePolicy(obs)'s: the backward pass applies to it.
        actor.zeroGradients();
        actor.backward(actorGradient);
        return loss / b;
    }

    /** SB3's entropy-coefficient loss -log_alpha (mean log pi + target) (the bracket is a constant). */
    static double alphaLoss(double logAlpha, double meanLogProb, double targetEntropy) {
        return -logAlpha * (meanLogProb + targetEntropy);
    }

    /** d {@link #alphaLoss} / d log_alpha. */
    static double alphaLossGradient(double meanLogProb, double targetEntropy) {
        return -(meanLogProb + targetEntropy);
    }

    private static double mean(float[] x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[i];
        }
        return s / n;
    }

    private static void toFloat(double[] from, float[] to, int n) {
        for (int i = 0; i < n; i++) {
            to[i] = (float) from[i];
        }
    }

    // ---- checkpoints ----

    @Override
    public void saveState(StateWriter out) {
        out.putString("config", Json.write(RecordConfigs.toMap(config)));
        AgentState.saveNetwork(out.scope("actor"), actor);
        AgentState.saveNetwork(out.scope("q1"), q1);
        AgentState.saveNetwork(out.scope("q2"), q2);
        AgentState.saveNetwork(out.scope("q1_target"), q1Target);
        AgentState.saveNetwork(out.scope("q2_target"), q2Target);
        AgentState.saveAdam(out.scope("actor_optimizer"), actorOptimizer);
        AgentState.saveAdam(out.scope("q1_optimizer"), q1Optimizer);
        AgentState.saveAdam(out.scope("q2_optimizer"), q2Optimizer);
        AgentState.saveAdam(out.scope("alpha_optimizer"), alphaOptimizer);
        out.putFloats("log_alpha", logAlpha);
        out.putPart("replay", replay);
        out.putRng("exploration_rng", explorationRng);
        out.putRng("replay_rng", replayRng);
        out.putRng("noise_rng", noiseRng);
        out.putLong("gradient_updates", gradientUpdates);
        out.putPart("metrics", metrics);
    }

    @Override
    public void restoreState(StateReader in) {
        String difference = RecordConfigs.difference(Json.parseObject(in.getString("config")), config);
        if (difference != null) {
            throw in.error("config", "saved by a SAC of another configuration (" + difference + ")");
        }
        in.readPart("replay", replay);
        AgentState.restoreNetwork(in.scope("actor"), actor);
        AgentState.restoreNetwork(in.scope("q1"), q1);
        AgentState.restoreNetwork(in.scope("q2"), q2);
        AgentState.restoreNetwork(in.scope("q1_target"), q1Target);
        AgentState.restoreNetwork(in.scope("q2_target"), q2Target);
        AgentState.restoreAdam(in.scope("actor_optimizer"), actorOptimizer);
        AgentState.restoreAdam(in.scope("q1_optimizer"), q1Optimizer);
        AgentState.restoreAdam(in.scope("q2_optimizer"), q2Optimizer);
        AgentState.restoreAdam(in.scope("alpha_optimizer"), alphaOptimizer);
        in.readFloats("log_alpha", logAlpha);
        in.readRng("exploration_rng", explorationRng);
        in.readRng("replay_rng", replayRng);
        in.readRng("noise_rng", noiseRng);
        gradientUpdates = in.getLong("gradient_updates");
        in.readPart("metrics", metrics);
    }

    // ---- model files ----

    /** The format name written into model files. */
    public static final String MODEL_FORMAT = "deepq.sac";
    public static final int MODEL_FORMAT_VERSION = 1;

    /**
     * Writes the actor and both critics as a safetensors file (tensors {@code actor.<name>}, {@code q1.<name>},
     * {@code q2.<name>}, PyTorch's names and layouts) with the config and spaces in its metadata, atomically.
     */
    public void save(Path path) throws IOException {
        SafeTensors.Builder file = SafeTensors.builder();
        ModelFiles.putNetwork(file, "actor.", actor);
        ModelFiles.putNetwork(file, "q1.", q1);
        ModelFiles.putNetwork(file, "q2.", q2);
        ModelFiles.write(path, file, MODEL_FORMAT, MODEL_FORMAT_VERSION, config, observationSpace, actionSpace);
    }


    /**
     * Reads a model written by {@link #save}: an agent with the saved weights (targets equal to the critics) whose
     * {@link #predict} acts deterministically. Anything else is refused with an IOException naming the file.
     */
    public static Sac load(Path path) throws IOException {
        SafeTensors file = ModelFiles.readChecked(path, MODEL_FORMAT, MODEL_FORMAT_VERSION, "SAC");
        Sac agent;
        try {
            ModelFiles.Description<SacConfig> d = ModelFiles.describe(file, SacConfig.stableBaselines3());
            agent = new Sac(d.observation(), d.action(), d.config(), 0);
            ModelFiles.readNetwork(file, "actor.", agent.actor);
            ModelFiles.readNetwork(file, "q1.", agent.q1);
            ModelFiles.readNetwork(file, "q2.", agent.q2);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException(path + ": the model does not fit its own description: " + e.getMessage(), e);
        }
        agent.q1Target.copyParametersFrom(agent.q1);
        agent.q2Target.copyParametersFrom(agent.q2);
        return agent;
    }


    // ---- accessors ----

    @Override
    public TrainingMetrics metrics() {
        return metrics;
    }

    @Override
    public SacConfig config() {
        return config;
    }

    public Space observationSpace() {
        return observationSpace;
    }

    public Box actionSpace() {
        return actionSpace;
    }

    public Network actor() {
        return actor;
    }

    public Network q1() {
        return q1;
    }

    public Network q2() {
        return q2;
    }

    public Network q1Target() {
        return q1Target;
    }

    public Network q2Target() {
        return q2Target;
    }

    /** Summed log-probabilities of the last policy sample, one per row (for tests). */
    float[] lastLogProbs() {
        return logProb;
    }

    /** The current entropy coefficient. */
    public double entropyCoefficient() {
        return alpha();
    }

    public ReplayBuffer replay() {
        return replay;
    }

    public long gradientUpdates() {
        return gradientUpdates;
    }
}
