package dev.deepq.algo;

import dev.deepq.env.spaces.Space;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.io.Json;
import dev.deepq.io.SafeTensors;
import dev.deepq.nn.LinearInit;
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
 * TD3 (Fujimoto et al. 2018) for Box actions with finite bounds, and DDPG (Lillicrap et al. 2016) as its special case
 * ({@link Td3Config#ddpg()}: one critic, no target smoothing, no delay), in Stable-Baselines3's update order.
 *
 * <pre>
 *   act(s):  a = clip(mu(s) + noise, -1, 1); before learning_starts u uniform in (-1, 1), or clip(u + noise, -1, 1)
 *            with warmup_noise (Stable-Baselines3's way); noise Gaussian or Ornstein-Uhlenbeck; rescaled to the
 *            Box's bounds (replay keeps the (-1, 1) action the critics see)
 *   training rounds every train_frequency steps or episodes, of gradient_steps steps (-1: one per env step since
 *            the last round; see TrainingRounds)
 *   each gradient step, on a sampled batch (s, a, r, s', d):
 *     a'       = clip(mu_target(s') + clip(N(0, target_policy_noise), -c, c), -1, 1)     (target smoothing)
 *     y        = r + gamma (1 - d) min_i Q_target,i(s', a')                               (clipped double Q)
 *     critics <- Adam on sum_i mean (Q_i(s, a) - y)^2
 *     after every policy_delay-th critic step (the 2nd, 4th, ... for delay 2):            (delayed updates)
 *       actor  <- Adam on -mean Q_1(s, mu(s))      (gradient dQ_1/da * dmu/dtheta)
 *       theta_target <- tau theta + (1 - tau) theta_target  for the actor and every critic
 * </pre>
 * The actor is an MLP with a tanh output; the critics live in a {@code CriticEnsemble} (of one or two). Observations
 * can be normalized by running statistics ({@code ObservationNormalizer}). Truncation bootstraps, termination does
 * not. Training starts once the replay holds a batch. Nothing is allocated per step.
 */
public final class Td3 implements Agent, Checkpointable {
    private static final int METRIC_CRITIC_LOSS = 0;
    private static final int METRIC_ACTOR_LOSS = 1;
    private static final int METRIC_Q_MEAN = 2;

    private final Td3Config config;
    private final Space observationSpace;
    private final Space actionSpace;
    private final ActionScaling scaling;
    private final int obsSize;
    private final int actSize;

    private final Network actor;
    private final Network actorTarget;
    private final CriticEnsemble critics;
    private final ObservationNormalizer normalizer;
    private final Adam actorOptimizer;

    private final ReplayBuffer replay;
    private final Batch batch;
    private final Rng explorationRng;
    private final Rng replayRng;
    private final Rng smoothingRng;
    private final OrnsteinUhlenbeckNoise ou;
    private final TrainingRounds rounds;
    private final TrainingMetrics metrics = new TrainingMetrics("critic_loss", "actor_loss", "q_mean");

    private final float[] actInput;
    private final double[] actBase;
    private final float[] actNoise;
    private final double[] storedActions;
    private final boolean[] ended;
    private final float[] smoothing;
    private final float[] nextActions;
    private final float[] policyActions;
    private final float[] targets;
    private final float[] actorGradient;
    private long gradientUpdates;

    public Td3(Space observationSpace, Space actionSpace, Td3Config config, long seed) {
        this.config = config;
        this.observationSpace = observationSpace;
        this.actionSpace = actionSpace;
        scaling = new ActionScaling(actionSpace, config.twinCritics() ? "TD3" : "DDPG");
        obsSize = observationSpace.size();
        actSize = scaling.size();
        int b = config.batchSize();
        int maxBatch = Math.max(b, config.numEnvs());
        actor = Network.create(Mlp.builder(obsSize).hidden(config.hidden()).output(actSize), maxBatch)
                .initialize(Rng.derived(seed, 2));
        actorTarget = Network.create(Mlp.builder(obsSize).hidden(config.hidden()).output(actSize), maxBatch);
        actorTarget.copyParametersFrom(actor);
        int n = config.twinCritics() ? 2 : 1;
        critics = new CriticEnsemble(obsSize, actSize, b, new CriticEnsemble.Options(n, n, config.hidden(), 0, false,
                config.learningRate(), config.adamEps(), LinearInit.pytorchDefault()), seed);
        normalizer = new ObservationNormalizer(obsSize, config.normalizeObservations());
        actorOptimizer = new Adam(actor.parameterCount(), config.learningRate(), 0.9, 0.999, config.adamEps(), 0,
                false, actor.kernels());

        replay = new ReplayBuffer(new ReplayConfig(config.bufferSize(), obsSize, ActionKind.CONTINUOUS, actSize,
                config.numEnvs(), 1, config.gamma()));
        batch = replay.newBatch(b);
        explorationRng = Rng.derived(seed, 1);
        replayRng = Rng.derived(seed, 3);
        rounds = new TrainingRounds(config.trainFrequencyUnit(), config.trainFrequency(), config.gradientSteps());
        smoothingRng = Rng.derived(seed, 6);
        int envs = config.numEnvs();
        ou = new OrnsteinUhlenbeckNoise(envs * actSize, config.noiseStd(), config.ouTheta(), config.ouDt(),
                Rng.derived(seed, 7));

        actInput = new float[envs * obsSize];
        actBase = new double[envs * actSize];
        actNoise = new float[envs * actSize];
        storedActions = new double[envs * actSize];
        ended = new boolean[envs];
        smoothing = new float[b * actSize];
        nextActions = new float[b * actSize];
        policyActions = new float[b * actSize];
        targets = new float[b];
        actorGradient = new float[b * actSize];
    }

    // ---- acting ----

    @Override
    public void act(VectorEnv env, long step, ActionBatch out) {
        int n = env.numEnvs();
        normalizer.update(env.observations(), n);
        if (step < config.learningStarts()) {
            for (int k = 0; k < n * actSize; k++) {
                actBase[k] = explorationRng.uniform(-1, 1);
            }
        } else {
            normalizer.normalize(env.observations(), actInput, n);
            float[] mu = actor.forward(actInput, 0, n);
            for (int k = 0; k < n * actSize; k++) {
                actBase[k] = Math.tanh(mu[k]);
            }
        }
        double[] actions = out.box();
        if (step < config.learningStarts() && !config.warmupNoise()) {
            for (int k = 0; k < n * actSize; k++) {
                actions[k] = scaling.toEnv(k % actSize, actBase[k]);
            }
        } else if (config.noise() == Td3Config.Noise.GAUSSIAN) {
            Gaussian.fill(explorationRng, actNoise, 0, n * actSize);
            for (int k = 0; k < n * actSize; k++) {
                double a = actBase[k] + config.noiseStd() * actNoise[k];
                actions[k] = scaling.toEnv(k % actSize, Math.max(-1, Math.min(1, a)));
            }
        } else {
            double[] noise = ou.next();
            for (int k = 0; k < n * actSize; k++) {
                double a = actBase[k] + noise[k];
                actions[k] = scaling.toEnv(k % actSize, Math.max(-1, Math.min(1, a)));
            }
        }
    }

    /** The deterministic action mu(s), rescaled to the bounds. */
    @Override
    public void predict(double[] observation, boolean[] actionMask, double[] actionOut) {
        normalizer.normalize(observation, actInput, 1);
        float[] mu = actor.forward(actInput, 0, 1);
        for (int i = 0; i < actSize; i++) {
            actionOut[i] = scaling.toEnv(i, Math.tanh(mu[i]));
        }
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
            if (ended[i]) {
                ou.reset(i * actSize, actSize);
            }
        }
        replay.addBatch(step.observations(), storedActions, step.rewards(), step.terminated(), step.truncated(),
                step.nextObservations(), ended, step.nextObservations());
        boolean canTrain = stepCount > config.learningStarts() && replay.size() >= config.batchSize();
        int gradientSteps = rounds.afterStep(stepCount, step.numEnvs(), ended, canTrain);
        for (int g = 0; g < gradientSteps; g++) {
            trainStep();
        }
    }

    void trainStep() {
        int b = config.batchSize();
        replay.sample(b, replayRng, batch);
        normalizer.normalizeInPlace(batch.observations(), b);
        normalizer.normalizeInPlace(batch.nextObservations(), b);

        // Target: smoothed target action, minimum over the target critics.
        float[] muNext = actorTarget.forward(batch.nextObservations(), 0, b);
        if (config.targetPolicyNoise() > 0) {
            Gaussian.fill(smoothingRng, smoothing, 0, b * actSize);
        }
        double clip = config.targetNoiseClip();
        for (int k = 0; k < b * actSize; k++) {
            double eps = config.targetPolicyNoise() > 0
                    ? Math.max(-clip, Math.min(clip, config.targetPolicyNoise() * smoothing[k])) : 0;
            nextActions[k] = (float) Math.max(-1, Math.min(1, Math.tanh(muNext[k]) + eps));
        }
        float[] nextQ = critics.targetMin(batch.nextObservations(), nextActions, b);
        float[] rewards = batch.rewards();
        float[] discounts = batch.discounts();
        for (int r = 0; r < b; r++) {
            targets[r] = (float) (rewards[r] + (double) discounts[r] * nextQ[r]);
        }

        // Critics: sum_i mean (Q_i(s, a) - y)^2.
        double criticLoss = critics.regress(batch.observations(), batch.continuousActions(), targets, b, 1.0);
        metrics.set(METRIC_CRITIC_LOSS, criticLoss);

        // Counted from 1, as Stable-Baselines3's and Fujimoto's code count, so the actor follows the last critic step
        // of each group of policy_delay rather than the first.
        gradientUpdates++;
        if (gradientUpdates % config.policyDelay() == 0) {
            metrics.set(METRIC_ACTOR_LOSS, actorLossGradient(batch.observations(), b));
            actorOptimizer.step(actor.parameters(), actor.gradients());
            actorTarget.polyakUpdate(actor, config.tau());
            critics.polyakUpdate(config.tau());
        }
    }

    /**
     * The actor loss -mean Q_1(s, tanh(mu(s))); leaves its gradient in the actor's (zeroed) gradient array. The first
     * critic's parameter gradients are not touched (only d Q / d a is back-propagated through it).
     */
    double actorLossGradient(float[] obs, int b) {
        float[] mu = actor.forward(obs, 0, b);
        for (int k = 0; k < b * actSize; k++) {
            policyActions[k] = (float) Math.tanh(mu[k]);
        }
        float[] v = critics.actorValue(obs, policyActions, b, ActorQ.FIRST);
        float[] dQ = critics.actionGradient();
        double sum = 0;
        for (int r = 0; r < b; r++) {
            sum += v[r];
        }
        metrics.set(METRIC_Q_MEAN, sum / b);
        for (int k = 0; k < b * actSize; k++) {
            double a = policyActions[k];
            actorGradient[k] = (float) (-dQ[k] * (1 - a * a) / b);
        }
        // The actor's last forward pass is the one above (the critic's passes are the critic's own).
        actor.zeroGradients();
        actor.backward(actorGradient);
        return -sum / b;
    }

    // ---- checkpoints ----

    @Override
    public void saveState(StateWriter out) {
        out.putString("config", Json.write(RecordConfigs.toMap(config)));
        AgentState.saveNetwork(out.scope("actor"), actor);
        AgentState.saveNetwork(out.scope("actor_target"), actorTarget);
        AgentState.saveAdam(out.scope("actor_optimizer"), actorOptimizer);
        critics.saveState(out);
        normalizer.saveState(out);
        out.putPart("replay", replay);
        out.putPart("ou_noise", ou);
        out.putRng("exploration_rng", explorationRng);
        out.putRng("replay_rng", replayRng);
        out.putRng("smoothing_rng", smoothingRng);
        out.putLong("gradient_updates", gradientUpdates);
        rounds.saveState(out);
        out.putPart("metrics", metrics);
    }

    @Override
    public void restoreState(StateReader in) {
        String difference = RecordConfigs.difference(Json.parseObject(in.getString("config")), config);
        if (difference != null) {
            throw in.error("config", "saved by a TD3/DDPG of another configuration (" + difference + ")");
        }
        in.readPart("replay", replay);
        AgentState.restoreNetwork(in.scope("actor"), actor);
        AgentState.restoreNetwork(in.scope("actor_target"), actorTarget);
        AgentState.restoreAdam(in.scope("actor_optimizer"), actorOptimizer);
        critics.restoreState(in);
        normalizer.restoreState(in);
        in.readPart("ou_noise", ou);
        in.readRng("exploration_rng", explorationRng);
        in.readRng("replay_rng", replayRng);
        in.readRng("smoothing_rng", smoothingRng);
        gradientUpdates = in.getLong("gradient_updates");
        rounds.restoreState(in);
        in.readPart("metrics", metrics);
    }

    // ---- model files ----

    /** The format name written into model files. */
    public static final String MODEL_FORMAT = "deepq.td3";
    public static final int MODEL_FORMAT_VERSION = 1;

    /**
     * Writes the actor and the critics as a safetensors file (tensors {@code actor.<name>}, {@code q1.<name>}, ...,
     * PyTorch's names and layouts) with the config and spaces in its metadata, atomically.
     */
    public void save(Path path) throws IOException {
        SafeTensors.Builder file = SafeTensors.builder();
        ModelFiles.putNetwork(file, "actor.", actor);
        critics.putTensors(file);
        normalizer.putTensors(file);
        ModelFiles.write(path, file, MODEL_FORMAT, MODEL_FORMAT_VERSION, config, observationSpace, actionSpace);
    }


    /** Reads a model written by {@link #save} (targets equal to the trained networks); anything else is refused. */
    public static Td3 load(Path path) throws IOException {
        SafeTensors file = ModelFiles.readChecked(path, MODEL_FORMAT, MODEL_FORMAT_VERSION, "TD3/DDPG");
        Td3 agent;
        try {
            ModelFiles.Description<Td3Config> d = ModelFiles.describe(file, Td3Config.stableBaselines3());
            agent = new Td3(d.observation(), d.action(), d.config(), 0);
            ModelFiles.readNetwork(file, "actor.", agent.actor);
            agent.critics.readTensors(file);
            agent.normalizer.readTensors(file);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException(path + ": the model does not fit its own description: " + e.getMessage(), e);
        }
        agent.actorTarget.copyParametersFrom(agent.actor);
        return agent;
    }


    // ---- accessors ----

    @Override
    public TrainingMetrics metrics() {
        return metrics;
    }

    @Override
    public Td3Config config() {
        return config;
    }

    public Network actor() {
        return actor;
    }

    public Network actorTarget() {
        return actorTarget;
    }

    /** Critic {@code i} (0, or 0 and 1 with twin critics). */
    public Network critic(int i) {
        return critics.critic(i);
    }

    ObservationNormalizer observationNormalizer() {
        return normalizer;
    }

    public long gradientUpdates() {
        return gradientUpdates;
    }
}
