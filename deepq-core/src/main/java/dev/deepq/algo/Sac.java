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
 * for Box action spaces with finite bounds, in Stable-Baselines3's update order; with an ensemble of N critics it is
 * also REDQ (Chen et al. 2021, {@link SacConfig#redq()}) and DroQ (Hiraoka et al. 2022, {@link SacConfig#droq()}).
 *
 * <pre>
 *   act(s):   before learning_starts a uniform action; then a = tanh(mean(s) + std(s) eps), eps ~ N(0, I),
 *             rescaled from (-1, 1) to the Box's bounds (replay keeps the (-1, 1) action the critics see)
 *             with use_sde (gSDE, StateDependentExploration): a = tanh(mean(s) + z(s) W_env), z the actor's last
 *             hidden features and W_env drawn when a training round ends (and every sde_sample_frequency steps);
 *             every gradient step then draws one W for all its samples, of s and of s' alike
 *   training rounds every train_frequency steps or episodes, of gradient_steps critic steps (-1: one per env step
 *             since the last round; see TrainingRounds)
 *   each gradient step, on a sampled batch (s, a, r, s', d):
 *     round              = (gradient step % policy_frequency == 0), gradient steps counted from 1: the last
 *                          critic step of each group of policy_frequency (REDQ's and CleanRL's order)
 *     alpha              = exp(log_alpha)                                         (the value before its own step)
 *     if round or policy_catch_up:
 *       a~, log pi(a~|s) = squashed Gaussian sample for s                           (see SquashedGaussian)
 *       log_alpha       -= lr * Adam(-mean(log pi(a~|s) + target_entropy))         if auto entropy
 *     a', log pi(a'|s')  = sample for s'
 *     y                  = r + gamma (1 - d) (min_{k in K} Q_target,k(s', a') - alpha log pi(a'|s'))
 *                          K = target_subset critics drawn at random (REDQ), or all n_critics (SAC, DroQ)
 *     critics           <- Adam on 0.5 sum_i mean (Q_i(s, a) - y)^2                (each critic its own Adam)
 *     if round, policy_frequency times with policy_catch_up, else once (the first time with a~ above, then fresh):
 *       actor           <- Adam on mean(alpha log pi(a~|s) - Q(s, a~))             (gradient through a~ by dQ/da)
 *                          with policy_loss_before_critic_step (REDQ's and DroQ's code) the first time from the
 *                          critics before their step above, else from the stepped critics (Stable-Baselines3, CleanRL)
 *                          Q = min_i Q_i (actor_q min, SAC) or mean_i Q_i (actor_q mean, REDQ and DroQ)
 *     every target_network_frequency critic steps: theta_target,i = tau theta_i + (1 - tau) theta_target,i
 *   before each training round, with lr_schedule linear: every lr = its configured value * (1 - steps / total_steps)
 * </pre>
 * The critics (with DroQ's dropout and layer norm when set) live in a {@code CriticEnsemble}. Observations can be
 * normalized by running statistics ({@code ObservationNormalizer}). The actor network outputs |A| means and then |A|
 * raw log-stds (one Linear layer for both, the same as PyTorch's two heads up to their initial draws). Truncation
 * bootstraps, termination does not. Training starts once the replay holds a batch (Stable-Baselines3 samples with
 * replacement from fewer). Nothing is allocated per step.
 *
 * <p>Checkpoints hold the actor (with gSDE also its mean head, log-std and acting noise weights), every critic and
 * target, all Adam states, log alpha, the replay buffer, every generator (the ensemble's subset and dropout ones
 * included), the observation statistics, the update count and the latest metrics.
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

    /** The policy network: mean and raw log-std heads, or with gSDE the torso whose features feed {@link #sde}. */
    private final Network actor;
    /** gSDE's mean head, log-std and noise weights; null unless use_sde. */
    private final StateDependentExploration sde;
    private final CriticEnsemble critics;
    private final ObservationNormalizer normalizer;
    private final Adam actorOptimizer;
    private final Adam alphaOptimizer;
    /** log(alpha), as a one-element parameter array for Adam. */
    private final float[] logAlpha = new float[1];
    private final float[] logAlphaGradient = new float[1];

    private final ReplayBuffer replay;
    private final Batch batch;
    private final Rng explorationRng;
    private final Rng replayRng;
    private final Rng noiseRng;
    private final TrainingRounds rounds;
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
    private final float[] targets;
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
        Mlp.Builder actorShape = Mlp.builder(obsSize).hidden(config.hidden()).init(config.networkInit().linearInit());
        Rng actorInit = Rng.derived(seed, 2);
        if (config.useSde()) {
            actor = Network.create(actorShape.buildTorso(), maxBatch);
            actor.initialize(actorInit);
            sde = new StateDependentExploration(actor.outputSize(), actSize, config, config.networkInit().linearInit(),
                    maxBatch, config.numEnvs(), config.policyLearningRate(), config.adamEps());
            sde.initialize(actorInit);
        } else {
            actor = Network.create(actorShape.output(2 * actSize), maxBatch);
            actor.initialize(actorInit);
            sde = null;
        }
        critics = new CriticEnsemble(obsSize, actSize, b, new CriticEnsemble.Options(config.nCritics(),
                config.targetSubsetSize(), config.hidden(), config.criticDropout(), config.criticLayerNorm(),
                config.qLearningRate(), config.adamEps(), config.networkInit().linearInit()), seed);
        normalizer = new ObservationNormalizer(obsSize, config.normalizeObservations());
        actorOptimizer = adam(actor.parameterCount(), config.policyLearningRate());
        alphaOptimizer = adam(1, config.alphaLearningRate());
        logAlpha[0] = (float) Math.log(config.initialAlpha());

        replay = new ReplayBuffer(new ReplayConfig(config.bufferSize(), obsSize, ActionKind.CONTINUOUS, actSize,
                config.numEnvs(), 1, config.gamma()));
        batch = replay.newBatch(b);
        explorationRng = Rng.derived(seed, 1);
        replayRng = Rng.derived(seed, 3);
        noiseRng = Rng.derived(seed, 6);
        rounds = new TrainingRounds(config.trainFrequencyUnit(), config.trainFrequency(), config.gradientSteps());
        if (sde != null) {
            sde.resampleActing(explorationRng);
        }

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
        targets = new float[b];
        actorGradient = new float[b * 2 * actSize];
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
        normalizer.update(env.observations(), n);
        if (step < config.learningStarts() && !(sde != null && config.useSdeAtWarmup())) {
            for (int k = 0; k < n * actSize; k++) {
                actions[k] = scaling.toEnv(k % actSize, explorationRng.uniform(-1, 1));
            }
            return;
        }
        normalizer.normalize(env.observations(), actInput, n);
        float[] out2 = actor.forward(actInput, 0, n);
        if (sde != null) {
            sde.act(out2, n, actions);
            for (int k = 0; k < n * actSize; k++) {
                actions[k] = scaling.toEnv(k % actSize, actions[k]);
            }
            return;
        }
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
        normalizer.normalize(observation, actInput, 1);
        float[] out2 = actor.forward(actInput, 0, 1);
        if (sde != null) {
            sde.predict(out2, actionOut);
            for (int i = 0; i < actSize; i++) {
                actionOut[i] = scaling.toEnv(i, actionOut[i]);
            }
            return;
        }
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
        boolean canTrain = stepCount > config.learningStarts() && replay.size() >= config.batchSize();
        int gradientSteps = rounds.afterStep(stepCount, step.numEnvs(), ended, canTrain);
        if (gradientSteps > 0) {
            if (config.lrSchedule() != LearningRateSchedule.CONSTANT) {
                double factor = config.lrSchedule().factor(stepCount, config.totalSteps());
                actorOptimizer.setLearningRate(config.policyLearningRate() * factor);
                if (sde != null) {
                    sde.setLearningRate(config.policyLearningRate() * factor);
                }
                critics.setLearningRate(config.qLearningRate() * factor);
                alphaOptimizer.setLearningRate(config.alphaLearningRate() * factor);
            }
            for (int g = 0; g < gradientSteps; g++) {
                trainStep();
            }
        }
        // gSDE's acting noise: fresh weights for the next rollout (after its training), and every
        // sde_sample_frequency steps within one.
        if (sde != null && (rounds.roundEnded() || config.sdeSampleFrequency() > 0
                && rounds.vectorStepsSinceRound(stepCount, step.numEnvs()) % config.sdeSampleFrequency() == 0)) {
            sde.resampleActing(explorationRng);
        }
    }

    /** One critic step, and the actor, alpha and target steps that fall on it. */
    void trainStep() {
        int b = config.batchSize();
        replay.sample(b, replayRng, batch);
        normalizer.normalizeInPlace(batch.observations(), b);
        normalizer.normalizeInPlace(batch.nextObservations(), b);
        double alpha = alpha();
        // The last critic step of each group of policy_frequency carries the actor round: REDQ updates the policy
        // after the last of its utd_ratio critic steps, and CleanRL's global_step % policy_frequency == 0 falls on
        // the second of each pair since it first trains at learning_starts + 1.
        boolean actorRound = (gradientUpdates + 1) % config.policyFrequency() == 0;

        // The noise of a fresh policy sample for s (its log-probabilities drive the alpha step and the first actor
        // step reuses it) is drawn before that of a' ~ pi(s'), as in Stable-Baselines3; s' is run through the actor
        // first so that the actor's forward pass on s is still in place when the first actor step needs it.
        boolean sampleForS = actorRound || config.policyCatchUp();
        if (sde != null) {
            // gSDE: one noise matrix for the whole gradient step, s and s' alike (SB3's reset_noise()).
            sde.resampleTraining(noiseRng);
        } else {
            if (sampleForS) {
                Gaussian.fill(noiseRng, noise, 0, b * actSize);
            }
            Gaussian.fill(noiseRng, nextNoise, 0, b * actSize);
        }

        // Soft TD targets from the target critics (all, or a random subset) at a' ~ pi(s'), with alpha before its step.
        samplePolicy(batch.nextObservations(), nextNoise, b);
        float[] nextQ = critics.targetMin(batch.nextObservations(), squashed, b);
        float[] rewards = batch.rewards();
        float[] discounts = batch.discounts();
        for (int r = 0; r < b; r++) {
            double soft = nextQ[r] - alpha * logProb[r];
            targets[r] = (float) (rewards[r] + discounts[r] * soft);
        }

        if (sampleForS) {
            samplePolicy(batch.observations(), noise, b);
            double logProbMean = mean(logProb, b);
            metrics.set(METRIC_ENTROPY, -logProbMean);
            if (config.autoEntropy()) {
                logAlphaGradient[0] = (float) alphaLossGradient(logProbMean, targetEntropy);
                alphaOptimizer.step(logAlpha, logAlphaGradient);
            }
        }

        // REDQ's code (and DroQ's, built on it) takes the policy loss from the critics as they were before this
        // update's critic step; Stable-Baselines3 and CleanRL from the stepped critics.
        boolean actorLossFirst = actorRound && config.policyLossBeforeCriticStep();
        double firstActorLoss = actorLossFirst ? actorLossGradientOfSample(batch.observations(), b, alpha) : 0;

        // Critics: 0.5 * sum_i mean (Q_i(s, a) - y)^2. (They leave the actor's forward pass on s alone.)
        double criticLoss = critics.regress(batch.observations(), batch.continuousActions(), targets, b, 0.5);
        metrics.set(METRIC_CRITIC_LOSS, criticLoss);

        if (actorRound) {
            int actorSteps = config.policyCatchUp() ? config.policyFrequency() : 1;
            for (int k = 0; k < actorSteps; k++) {
                if (k == 0 && actorLossFirst) {
                    applyActorGradient(firstActorLoss);
                    continue;
                }
                if (k > 0) {
                    if (sde != null) {
                        sde.resampleTraining(noiseRng);
                    } else {
                        Gaussian.fill(noiseRng, noise, 0, b * actSize);
                    }
                    samplePolicy(batch.observations(), noise, b);
                }
                actorStep(alpha, b);
            }
        }
        if (gradientUpdates % config.targetNetworkFrequency() == 0) {
            critics.polyakUpdate(config.tau());
        }
        gradientUpdates++;
        metrics.set(METRIC_ALPHA, alpha());
    }

    /**
     * Runs the actor on {@code obs} with the standard normal {@code eps}: writes tanh(u), std * eps, d logStd / d raw
     * and the summed log-probabilities. Leaves the actor's forward pass ready for a backward pass. With gSDE the noise
     * is the gradient step's drawn weights instead, and {@code eps} is not read.
     */
    private void samplePolicy(float[] obs, float[] eps, int b) {
        float[] out = actor.forward(obs, 0, b);
        if (sde != null) {
            sde.sample(out, b, squashed, logProb);
            return;
        }
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

    /** One actor step on mean(alpha log pi(a~|s) - Q(s, a~)), a~ the sample the actor's last forward pass made. */
    private void actorStep(double alpha, int b) {
        applyActorGradient(actorLossGradientOfSample(batch.observations(), b, alpha));
    }

    /** The Adam step on the actor's gradient of a loss {@link #actorLossGradientOfSample} computed. */
    private void applyActorGradient(double loss) {
        actorOptimizer.step(actor.parameters(), actor.gradients());
        if (sde != null) {
            sde.step();
        }
        metrics.set(METRIC_ACTOR_LOSS, loss);
    }

    /**
     * The actor loss mean(alpha log pi(a~|s) - Q(s, a~)) with a~ from noise {@code eps} and Q the critics' minimum or
     * mean ({@code actor_q}); leaves its gradient in the actor's (zeroed) gradient array. The critics' parameter
     * gradients are not touched (only d Q / d a is back-propagated through them).
     */
    double actorLossGradient(float[] obs, float[] eps, int b, double alpha) {
        samplePolicy(obs, eps, b);
        return actorLossGradientOfSample(obs, b, alpha);
    }

    /** {@link #actorLossGradient} for the sample {@link #samplePolicy} last made from {@code obs}. */
    private double actorLossGradientOfSample(float[] obs, int b, double alpha) {
        float[] q = critics.actorValue(obs, squashed, b, config.actorQ());
        float[] dQ = critics.actionGradient();
        double loss = 0;
        double qSum = 0;
        for (int r = 0; r < b; r++) {
            loss += alpha * logProb[r] - q[r];
            qSum += q[r];
        }
        metrics.set(METRIC_Q_MEAN, qSum / b);
        if (sde != null) {
            for (int k = 0; k < b * actSize; k++) {
                actorGradient[k] = -dQ[k] / b;
            }
            actor.zeroGradients();
            sde.zeroGradients();
            actor.backward(sde.backward(actorGradient, alpha / b, b));
            return loss / b;
        }
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < actSize; i++) {
                int k = r * actSize + i;
                double dQda = dQ[k];
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

    // ---- checkpoints ----

    @Override
    public void saveState(StateWriter out) {
        out.putString("config", Json.write(RecordConfigs.toMap(config)));
        AgentState.saveNetwork(out.scope("actor"), actor);
        if (sde != null) {
            sde.saveState(out.scope("sde"));
        }
        critics.saveState(out);
        normalizer.saveState(out);
        AgentState.saveAdam(out.scope("actor_optimizer"), actorOptimizer);
        AgentState.saveAdam(out.scope("alpha_optimizer"), alphaOptimizer);
        out.putFloats("log_alpha", logAlpha);
        out.putPart("replay", replay);
        out.putRng("exploration_rng", explorationRng);
        out.putRng("replay_rng", replayRng);
        out.putRng("noise_rng", noiseRng);
        out.putLong("gradient_updates", gradientUpdates);
        rounds.saveState(out);
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
        if (sde != null) {
            sde.restoreState(in.scope("sde"));
        }
        critics.restoreState(in);
        normalizer.restoreState(in);
        AgentState.restoreAdam(in.scope("actor_optimizer"), actorOptimizer);
        AgentState.restoreAdam(in.scope("alpha_optimizer"), alphaOptimizer);
        in.readFloats("log_alpha", logAlpha);
        in.readRng("exploration_rng", explorationRng);
        in.readRng("replay_rng", replayRng);
        in.readRng("noise_rng", noiseRng);
        gradientUpdates = in.getLong("gradient_updates");
        rounds.restoreState(in);
        in.readPart("metrics", metrics);
    }

    // ---- model files ----

    /** The format name written into model files. */
    public static final String MODEL_FORMAT = "deepq.sac";
    public static final int MODEL_FORMAT_VERSION = 1;

    /**
     * Writes the actor and the critics as a safetensors file (tensors {@code actor.<name>}, with gSDE also
     * {@code actor.mu.*} and {@code actor.log_std}, {@code q1.<name>},
     * {@code q2.<name>}, ..., PyTorch's names and layouts), with the observation statistics ({@code obs_rms.*}) when
     * observations are normalized, and the config and spaces in its metadata, atomically.
     */
    public void save(Path path) throws IOException {
        SafeTensors.Builder file = SafeTensors.builder();
        ModelFiles.putNetwork(file, "actor.", actor);
        if (sde != null) {
            sde.putTensors(file);
        }
        critics.putTensors(file);
        normalizer.putTensors(file);
        ModelFiles.write(path, file, MODEL_FORMAT, MODEL_FORMAT_VERSION, config, observationSpace, actionSpace);
    }


    /**
     * Reads a model written by {@link #save}: an agent with the saved weights (targets equal to the critics) and
     * observation statistics whose {@link #predict} acts deterministically. Anything else is refused with an IOException naming the file.
     */
    public static Sac load(Path path) throws IOException {
        SafeTensors file = ModelFiles.readChecked(path, MODEL_FORMAT, MODEL_FORMAT_VERSION, "SAC");
        Sac agent;
        try {
            ModelFiles.Description<SacConfig> d = ModelFiles.describe(file, SacConfig.stableBaselines3());
            agent = new Sac(d.observation(), d.action(), d.config(), 0);
            ModelFiles.readNetwork(file, "actor.", agent.actor);
            if (agent.sde != null) {
                agent.sde.readTensors(file);
            }
            agent.critics.readTensors(file);
            agent.normalizer.readTensors(file);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException(path + ": the model does not fit its own description: " + e.getMessage(), e);
        }
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

    /** Critic {@code i}, 0-based (0 and 1 for SAC's twin critics). */
    public Network critic(int i) {
        return critics.critic(i);
    }

    /** Target critic {@code i}, 0-based. */
    public Network criticTarget(int i) {
        return critics.target(i);
    }

    CriticEnsemble critics() {
        return critics;
    }

    /** gSDE's part of the policy, or null without use_sde. */
    StateDependentExploration stateDependentExploration() {
        return sde;
    }

    ObservationNormalizer observationNormalizer() {
        return normalizer;
    }

    /** The squashed actions of the last policy sample, batch-major (for tests). */
    float[] lastSquashed() {
        return squashed;
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
