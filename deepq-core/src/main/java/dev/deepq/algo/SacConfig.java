package dev.deepq.algo;

import dev.deepq.train.RecordConfigs;
import java.util.Arrays;
import java.util.Map;

/**
 * Every setting of {@link Sac}. {@link #stableBaselines3()} gives Stable-Baselines3's SAC defaults,
 * {@link #rlZooPendulum()} RL Zoo's tuned Pendulum-v1 entry, {@link #cleanRl()} CleanRL's
 * {@code sac_continuous_action.py} values, {@link #redq()} REDQ's and {@link #droq()} DroQ's reference settings
 * (the two are SAC with a critic ensemble and a high update-to-data ratio; see {@code CriticEnsemble}). Step counts
 * are env steps summed over all envs.
 *
 * @param policyLearningRate Adam's step size for the actor
 * @param qLearningRate Adam's step size for the critics
 * @param alphaLearningRate Adam's step size for log(alpha) (automatic entropy tuning)
 * @param lrSchedule how the three learning rates change over the run: constant, or linear (falling to 0 at
 *     total_steps, as RL Zoo's {@code lin_} rates)
 * @param bufferSize replay capacity in transitions
 * @param gamma discount factor
 * @param tau Polyak weight of the target critics' update
 * @param batchSize transitions per gradient step
 * @param learningStarts env steps of uniformly random actions before training
 * @param trainFrequency vector-env steps, or finished episodes, between training rounds (see trainFrequencyUnit)
 * @param trainFrequencyUnit what train_frequency counts: step (vector-env steps) or episode (episodes ended over all
 *     envs; Stable-Baselines3's {@code train_freq: [n, episode]})
 * @param gradientSteps critic gradient steps per training round; -1: one per env step since the previous round
 *     (Stable-Baselines3's {@code gradient_steps: -1})
 * @param policyFrequency critic steps per actor round (1 = an actor step after every critic step); see
 *     {@code policyCatchUp} for how many actor steps a round makes
 * @param policyCatchUp with policy_frequency F: true makes each actor round F actor steps and an alpha step follow
 *     every critic step, so actor, alpha and critics take equally many steps (CleanRL's delayed update); false makes
 *     one actor step and one alpha step per round (REDQ's and DroQ's {@code policy_update_delay}). Equal when F = 1.
 * @param policyLossBeforeCriticStep take an actor round's (first) policy loss from the critics as they were before
 *     that gradient step's critic update, as REDQ's and DroQ's code do; false takes it from the updated critics, as
 *     Stable-Baselines3 and CleanRL do
 * @param targetNetworkFrequency critic steps between target updates
 * @param hidden hidden widths of the actor and of each critic
 * @param networkInit how every Linear layer of actor and critics starts: pytorch (nn.Linear's default) or
 *     xavier_uniform (gain 1, zero biases: REDQ's and DroQ's reference code). With xavier_uniform the actor's mean
 *     and log-std heads, one Linear here, share the bound of fan_out 2|A| (the reference's two heads use |A| each)
 * @param nCritics N, the number of critics (2 for SAC's twin critics, 10 for REDQ)
 * @param targetSubset M, how many randomly drawn target critics the TD target takes the minimum over, drawn afresh
 *     every gradient step (REDQ: 2 of 10); 0 means all N (SAC's clipped double Q)
 * @param actorQ the policy's objective: the minimum over the critics (SAC) or their mean (REDQ, DroQ), or the first
 * @param criticDropout dropout probability after each hidden Linear of every critic, targets included (DroQ: 0.01);
 *     0 turns it off
 * @param criticLayerNorm LayerNorm after each hidden Linear (and its dropout) of every critic, before the ReLU (DroQ)
 * @param autoEntropy tune alpha so the policy's entropy approaches the target (Haarnoja et al. 2018b)
 * @param initialAlpha the entropy coefficient at the start (fixed when autoEntropy is off)
 * @param targetEntropyPerDimension the entropy target per action dimension (-1 gives the usual -|A|)
 * @param logStdMin lower bound of the policy's log-std
 * @param logStdMax upper bound of the policy's log-std
 * @param smoothLogStd bound the log-std through tanh (CleanRL) instead of clamping it (Stable-Baselines3)
 * @param useSde explore with generalized state-dependent exploration (gSDE, Raffin et al. 2021) instead of fresh
 *     Gaussian noise every step: the noise is a linear function of the actor's last hidden features with weights
 *     drawn from a learned N(0, sigma^2) and held fixed between draws (see {@code StateDependentExploration});
 *     Stable-Baselines3's {@code use_sde}. The log-std bounds above do not apply to it
 * @param sdeSampleFrequency with gSDE, env steps between fresh noise weights while acting; -1 draws them only when a
 *     training round ends (Stable-Baselines3's {@code sde_sample_freq}, which redraws at every rollout's start)
 * @param useSdeAtWarmup with gSDE, act by the noisy policy instead of uniformly before learning_starts
 * @param logStdInit with gSDE, the initial value of every entry of log sigma (Stable-Baselines3's default -3)
 * @param fullStd with gSDE, one sigma per feature and action dimension (true) or one per feature shared by all
 *     action dimensions
 * @param useExpln with gSDE, sigma = exp(log_std) below 0 and log1p(log_std) + 1 above (the paper's expln, which
 *     keeps sigma from growing fast) instead of exp(log_std)
 * @param clipMean with gSDE, the mean action before tanh is clipped to [-clip_mean, clip_mean] (Stable-Baselines3's
 *     Hardtanh, 2.0 by default); 0 turns the clip off
 * @param adamEps Adam's epsilon
 * @param normalizeObservations normalize observations by running mean and variance, clipped to [-10, 10], when
 *     acting and in sampled batches, as Stable-Baselines3's {@code VecNormalize(norm_obs=True)} (see
 *     {@code ObservationNormalizer}); the statistics are checkpointed and saved with the model
 * @param numEnvs copies of the env stepped together
 * @param totalSteps length of the run in env steps
 */
public record SacConfig(
        double policyLearningRate,
        double qLearningRate,
        double alphaLearningRate,
        LearningRateSchedule lrSchedule,
        int bufferSize,
        double gamma,
        double tau,
        int batchSize,
        long learningStarts,
        int trainFrequency,
        TrainFrequencyUnit trainFrequencyUnit,
        int gradientSteps,
        int policyFrequency,
        boolean policyCatchUp,
        boolean policyLossBeforeCriticStep,
        int targetNetworkFrequency,
        int[] hidden,
        NetworkInit networkInit,
        int nCritics,
        int targetSubset,
        ActorQ actorQ,
        double criticDropout,
        boolean criticLayerNorm,
        boolean autoEntropy,
        double initialAlpha,
        double targetEntropyPerDimension,
        double logStdMin,
        double logStdMax,
        boolean smoothLogStd,
        boolean useSde,
        int sdeSampleFrequency,
        boolean useSdeAtWarmup,
        double logStdInit,
        boolean fullStd,
        boolean useExpln,
        double clipMean,
        double adamEps,
        boolean normalizeObservations,
        int numEnvs,
        long totalSteps) implements RecordConfigs.Evolving {

    public SacConfig {
        positive("policy_learning_rate", policyLearningRate);
        positive("q_learning_rate", qLearningRate);
        positive("alpha_learning_rate", alphaLearningRate);
        if (lrSchedule == null) {
            throw new IllegalArgumentException("lr_schedule must be constant or linear");
        }
        positive("buffer_size", bufferSize);
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in [0, 1], got " + gamma);
        }
        if (!(tau > 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau must be in (0, 1], got " + tau);
        }
        positive("batch_size", batchSize);
        if (learningStarts < 0) {
            throw new IllegalArgumentException("learning_starts must be >= 0, got " + learningStarts);
        }
        positive("train_frequency", trainFrequency);
        TrainingRounds.validate(trainFrequencyUnit, gradientSteps);
        positive("policy_frequency", policyFrequency);
        positive("target_network_frequency", targetNetworkFrequency);
        if (hidden == null || hidden.length == 0 || Arrays.stream(hidden).anyMatch(h -> h <= 0)) {
            throw new IllegalArgumentException("hidden must list one or more positive layer widths, got "
                    + Arrays.toString(hidden));
        }
        hidden = hidden.clone();
        if (networkInit == null) {
            throw new IllegalArgumentException("network_init must be pytorch or xavier_uniform");
        }
        if (nCritics < 1 || nCritics > MAX_CRITICS) {
            throw new IllegalArgumentException("n_critics must be between 1 and " + MAX_CRITICS + ", got " + nCritics);
        }
        if (targetSubset < 0 || targetSubset > nCritics) {
            throw new IllegalArgumentException("target_subset must be between 1 and n_critics (" + nCritics
                    + "), or 0 for all critics, got " + targetSubset);
        }
        if (actorQ == null) {
            throw new IllegalArgumentException("actor_q must be min, mean or first");
        }
        if (!(criticDropout >= 0 && criticDropout < 1)) {
            throw new IllegalArgumentException("critic_dropout must be in [0, 1) (0 turns dropout off), got "
                    + criticDropout);
        }
        positive("initial_alpha", initialAlpha);
        if (!Double.isFinite(targetEntropyPerDimension)) {
            throw new IllegalArgumentException("target_entropy_per_dimension must be finite, got "
                    + targetEntropyPerDimension);
        }
        if (!(logStdMin < logStdMax) || !Double.isFinite(logStdMin) || !Double.isFinite(logStdMax)) {
            throw new IllegalArgumentException("log_std_min must be below log_std_max (both finite), got "
                    + logStdMin + " and " + logStdMax);
        }
        if (sdeSampleFrequency == 0 || sdeSampleFrequency < -1) {
            throw new IllegalArgumentException("sde_sample_frequency must be positive, or -1 to draw gSDE's noise"
                    + " weights only when a training round ends, got " + sdeSampleFrequency);
        }
        if (!Double.isFinite(logStdInit)) {
            throw new IllegalArgumentException("log_std_init must be finite, got " + logStdInit);
        }
        if (!(clipMean >= 0) || Double.isInfinite(clipMean)) {
            throw new IllegalArgumentException("clip_mean must be >= 0 and finite (0 turns the clip off), got "
                    + clipMean);
        }
        positive("adam_eps", adamEps);
        positive("num_envs", numEnvs);
        positive("total_steps", totalSteps);
        if (batchSize > bufferSize) {
            throw new IllegalArgumentException("batch_size " + batchSize + " is larger than buffer_size " + bufferSize);
        }
    }

    /** A sanity bound on n_critics (REDQ's largest ensembles have 20). */
    static final int MAX_CRITICS = 100;

    private static void positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
    }

    /**
     * Stable-Baselines3's SAC defaults: Adam 3e-4 for everything, buffer 1e6, batch 256, tau 0.005, gamma 0.99,
     * learning starts 100, one gradient step per env step, ent_coef 'auto' (alpha starts at 1, target -|A|),
     * net [256, 256], log-std clamped to [-20, 2]; 1e6 steps.
     */
    public static SacConfig stableBaselines3() {
        return new SacConfig(3e-4, 3e-4, 3e-4, LearningRateSchedule.CONSTANT, 1_000_000, 0.99, 0.005, 256, 100, 1,
                TrainFrequencyUnit.STEP, 1, 1, true, false, 1, new int[] {256, 256}, NetworkInit.PYTORCH, 2, 0, ActorQ.MIN, 0.0, false, true, 1.0,
                -1.0, -20, 2, false, false, -1, false, -3.0, true, false, 2.0, 1e-8, false, 1, 1_000_000);
    }

    /** RL Zoo's Pendulum-v1 entry ({@code hyperparams/sac.yml}): SB3 defaults with learning_rate 1e-3, 20k steps. */
    public static SacConfig rlZooPendulum() {
        return stableBaselines3().with("policy_learning_rate", 1e-3).with("q_learning_rate", 1e-3)
                .with("alpha_learning_rate", 1e-3).with("total_steps", 20_000);
    }

    /**
     * CleanRL's {@code sac_continuous_action.py} defaults: policy lr 3e-4, q lr 1e-3 (also alpha's), buffer 1e6,
     * batch 256, tau 0.005, gamma 0.99, learning starts 5000, policy frequency 2, target every step, autotune on,
     * log-std squashed into [-5, 2] by tanh, net [256, 256]; 1e6 steps. (CleanRL's alpha loss multiplies by alpha
     * rather than log alpha, and its log-prob adds a 1e-6 inside the log and the action scale; this agent keeps
     * Stable-Baselines3's forms.)
     */
    public static SacConfig cleanRl() {
        return new SacConfig(3e-4, 1e-3, 1e-3, LearningRateSchedule.CONSTANT, 1_000_000, 0.99, 0.005, 256, 5_000,
                1, TrainFrequencyUnit.STEP, 1, 2, true, false, 1, new int[] {256, 256}, NetworkInit.PYTORCH, 2, 0, ActorQ.MIN, 0.0, false, true, 1.0,
                -1.0, -5, 2, true, false, -1, false, -3.0, true, false, 2.0, 1e-8, false, 1, 1_000_000);
    }

    /**
     * REDQ (Chen et al. 2021, "Randomized Ensembled Double Q-Learning"), from its reference code
     * (github.com/watchernyu/REDQ, {@code redq/algos/redq_sac.py} {@code REDQSACAgent} defaults, used unchanged by
     * {@code experiments/train_redq_sac.py}): {@code num_Q=10} critics, {@code num_min=2} (the target is the minimum
     * of 2 target critics drawn without replacement every update), {@code utd_ratio=20} (20 critic steps per env
     * step), {@code policy_update_delay=20} (one actor and one alpha step per 20 critic steps), policy loss on the
     * mean of all 10 critics ({@code ave_q}); {@code lr=3e-4} for policy, critics and alpha, {@code batch_size=256},
     * {@code hidden_sizes=(256, 256)}, {@code replay_size=1e6}, {@code gamma=0.99}, {@code polyak=0.995} (tau 0.005,
     * every critic step), {@code start_steps=5000} (random actions, and no updates until then), auto alpha from
     * log alpha = 0 with target entropy -|A| ({@code 'auto'}; its MuJoCo runs use MBPO's per-env table), log-std
     * clamped to [-20, 2] ({@code LOG_SIG_MIN/MAX} in {@code core.py}), every Linear layer initialised as its
     * {@code weights_init_} does (xavier-uniform weights with gain 1, zero biases). Total 300k env steps (its longest
     * MBPO budget: 300 epochs of 1000 steps). Its update order within the round's last critic step, which carries the
     * actor and alpha steps, is kept: the policy loss comes from the critics before their Adam step of that update
     * ({@code policy_loss_before_critic_step}); alpha steps before the critics here and after the policy loss there,
     * which gives the same numbers (both use the same sample's log-probabilities and the old alpha). Not reproduced:
     * its critic loss without the 1/2 (Adam is invariant to that scale up to epsilon).
     */
    public static SacConfig redq() {
        return new SacConfig(3e-4, 3e-4, 3e-4, LearningRateSchedule.CONSTANT, 1_000_000, 0.99, 0.005, 256, 5_000,
                1, TrainFrequencyUnit.STEP, 20, 20, false, true, 1, new int[] {256, 256}, NetworkInit.XAVIER_UNIFORM, 10, 2, ActorQ.MEAN, 0.0, false, true,
                1.0, -1.0, -20, 2, false, false, -1, false, -3.0, true, false, 2.0, 1e-8, false, 1, 300_000);
    }

    /**
     * DroQ (Hiraoka et al. 2022, "Dropout Q-Functions for Doubly Efficient Reinforcement Learning"), from its
     * reference code (github.com/TakuyaHiraoka/Dropout-Q-Functions-for-Doubly-Efficient-Reinforcement-Learning,
     * {@code OriginalREDQCodebase}: REDQ's agent with {@code -method sac -target_drop_rate 0.01 -layer_norm 1}):
     * {@link #redq()}'s settings with {@code num_Q=2}, {@code num_min=2} (the minimum over both target critics),
     * dropout 0.01 after each critic's hidden Linear and LayerNorm after it (Linear, Dropout, LayerNorm, ReLU, as its
     * {@code Mlp}), still 20 critic steps per env step, one actor step per 20 and the actor on the mean of the two
     * critics. The dropout rate is the paper's and its KU-codebase table's 0.01 for every env (the README's REDQ
     * codebase table tunes it per env from 0.0001 to 0.1).
     */
    public static SacConfig droq() {
        return redq().with("n_critics", 2).with("target_subset", 0).with("critic_dropout", 0.01)
                .with("critic_layer_norm", true);
    }

    /** Keys added after SAC checkpoints were first written, with the values that behave as before them. */
    @Override
    public Map<String, Object> valuesBeforeKeysExisted() {
        return Map.ofEntries(Map.entry("lr_schedule", "constant"), Map.entry("train_frequency_unit", "step"),
                Map.entry("network_init", "pytorch"), Map.entry("policy_loss_before_critic_step", false),
                Map.entry("use_sde", false), Map.entry("sde_sample_frequency", -1),
                Map.entry("use_sde_at_warmup", false), Map.entry("log_std_init", -3.0), Map.entry("full_std", true),
                Map.entry("use_expln", false), Map.entry("clip_mean", 2.0));
    }

    /** M: how many target critics the TD target's minimum runs over. */
    public int targetSubsetSize() {
        return targetSubset == 0 ? nCritics : targetSubset;
    }

    /** This config with one key changed, by its snake_case name (as {@code --set key=value}). */
    public SacConfig with(String key, Object value) {
        return RecordConfigs.with(this, Map.of(key, value));
    }

    public SacConfig withTotalSteps(long steps) {
        return with("total_steps", steps);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SacConfig c && Arrays.equals(hidden, c.hidden) && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "SacConfig[policyLearningRate=" + policyLearningRate + ", qLearningRate=" + qLearningRate
                + ", alphaLearningRate=" + alphaLearningRate + ", lrSchedule=" + lrSchedule + ", bufferSize="
                + bufferSize + ", gamma=" + gamma
                + ", tau=" + tau + ", batchSize=" + batchSize + ", learningStarts=" + learningStarts
                + ", trainFrequency=" + trainFrequency + ", trainFrequencyUnit=" + trainFrequencyUnit + ", gradientSteps=" + gradientSteps + ", policyFrequency="
                + policyFrequency + ", policyCatchUp=" + policyCatchUp + ", policyLossBeforeCriticStep="
                + policyLossBeforeCriticStep + ", targetNetworkFrequency="
                + targetNetworkFrequency + ", hidden=" + Arrays.toString(hidden) + ", networkInit=" + networkInit + ", nCritics=" + nCritics
                + ", targetSubset=" + targetSubset + ", actorQ=" + actorQ + ", criticDropout=" + criticDropout
                + ", criticLayerNorm=" + criticLayerNorm + ", autoEntropy=" + autoEntropy + ", initialAlpha="
                + initialAlpha + ", targetEntropyPerDimension=" + targetEntropyPerDimension + ", logStdMin="
                + logStdMin + ", logStdMax=" + logStdMax + ", smoothLogStd=" + smoothLogStd + ", useSde=" + useSde + ", sdeSampleFrequency="
                + sdeSampleFrequency + ", useSdeAtWarmup=" + useSdeAtWarmup + ", logStdInit=" + logStdInit
                + ", fullStd=" + fullStd + ", useExpln=" + useExpln + ", clipMean=" + clipMean + ", adamEps=" + adamEps
                + ", normalizeObservations=" + normalizeObservations + ", numEnvs=" + numEnvs + ", totalSteps="
                + totalSteps + "]";
    }
}
