package dev.deepq.algo;

import dev.deepq.train.RecordConfigs;
import java.util.Arrays;
import java.util.Map;

/**
 * Every setting of {@link Sac}. {@link #stableBaselines3()} gives Stable-Baselines3's SAC defaults,
 * {@link #rlZooPendulum()} RL Zoo's tuned Pendulum-v1 entry, {@link #cleanRl()} CleanRL's
 * {@code sac_continuous_action.py} values. Step counts are env steps summed over all envs.
 *
 * @param policyLearningRate Adam's step size for the actor
 * @param qLearningRate Adam's step size for the two critics
 * @param alphaLearningRate Adam's step size for log(alpha) (automatic entropy tuning)
 * @param bufferSize replay capacity in transitions
 * @param gamma discount factor
 * @param tau Polyak weight of the target critics' update
 * @param batchSize transitions per gradient step
 * @param learningStarts env steps of uniformly random actions before training
 * @param trainFrequency vector-env steps between training rounds
 * @param gradientSteps critic gradient steps per training round
 * @param policyFrequency critic steps per actor round; each round makes this many actor (and alpha) steps, so actor
 *     and critic take equally many steps (CleanRL's delayed update; 1 = an actor step after every critic step)
 * @param targetNetworkFrequency critic steps between target updates
 * @param hidden hidden widths of the actor and of each critic
 * @param autoEntropy tune alpha so the policy's entropy approaches the target (Haarnoja et al. 2018b)
 * @param initialAlpha the entropy coefficient at the start (fixed when autoEntropy is off)
 * @param targetEntropyPerDimension the entropy target per action dimension (-1 gives the usual -|A|)
 * @param logStdMin lower bound of the policy's log-std
 * @param logStdMax upper bound of the policy's log-std
 * @param smoothLogStd bound the log-std through tanh (CleanRL) instead of clamping it (Stable-Baselines3)
 * @param adamEps Adam's epsilon
 * @param numEnvs copies of the env stepped together
 * @param totalSteps length of the run in env steps
 */
public record SacConfig(
        double policyLearningRate,
        double qLearningRate,
        double alphaLearningRate,
        int bufferSize,
        double gamma,
        double tau,
        int batchSize,
        long learningStarts,
        int trainFrequency,
        int gradientSteps,
        int policyFrequency,
        int targetNetworkFrequency,
        int[] hidden,
        boolean autoEntropy,
        double initialAlpha,
        double targetEntropyPerDimension,
        double logStdMin,
        double logStdMax,
        boolean smoothLogStd,
        double adamEps,
        int numEnvs,
        long totalSteps) {

    public SacConfig {
        positive("policy_learning_rate", policyLearningRate);
        positive("q_learning_rate", qLearningRate);
        positive("alpha_learning_rate", alphaLearningRate);
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
        positive("gradient_steps", gradientSteps);
        positive("policy_frequency", policyFrequency);
        positive("target_network_frequency", targetNetworkFrequency);
        if (hidden == null || hidden.length == 0 || Arrays.stream(hidden).anyMatch(h -> h <= 0)) {
            throw new IllegalArgumentException("hidden must list one or more positive layer widths, got "
                    + Arrays.toString(hidden));
        }
        hidden = hidden.clone();
        positive("initial_alpha", initialAlpha);
        if (!Double.isFinite(targetEntropyPerDimension)) {
            throw new IllegalArgumentException("target_entropy_per_dimension must be finite, got "
                    + targetEntropyPerDimension);
        }
        if (!(logStdMin < logStdMax) || !Double.isFinite(logStdMin) || !Double.isFinite(logStdMax)) {
            throw new IllegalArgumentException("log_std_min must be below log_std_max (both finite), got "
                    + logStdMin + " and " + logStdMax);
        }
        positive("adam_eps", adamEps);
        positive("num_envs", numEnvs);
        positive("total_steps", totalSteps);
        if (batchSize > bufferSize) {
            throw new IllegalArgumentException("batch_size " + batchSize + " is larger than buffer_size " + bufferSize);
        }
    }

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
        return new SacConfig(3e-4, 3e-4, 3e-4, 1_000_000, 0.99, 0.005, 256, 100, 1, 1, 1, 1,
                new int[] {256, 256}, true, 1.0, -1.0, -20, 2, false, 1e-8, 1, 1_000_000);
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
        return new SacConfig(3e-4, 1e-3, 1e-3, 1_000_000, 0.99, 0.005, 256, 5_000, 1, 1, 2, 1,
                new int[] {256, 256}, true, 1.0, -1.0, -5, 2, true, 1e-8, 1, 1_000_000);
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
                + ", alphaLearningRate=" + alphaLearningRate + ", bufferSize=" + bufferSize + ", gamma=" + gamma
                + ", tau=" + tau + ", batchSize=" + batchSize + ", learningStarts=" + learningStarts
                + ", trainFrequency=" + trainFrequency + ", gradientSteps=" + gradientSteps + ", policyFrequency="
                + policyFrequency + ", targetNetworkFrequency=" + targetNetworkFrequency + ", hidden="
                + Arrays.toString(hidden) + ", autoEntropy=" + autoEntropy + ", initialAlpha=" + initialAlpha
                + ", targetEntropyPerDimension=" + targetEntropyPerDimension + ", logStdMin=" + logStdMin
                + ", logStdMax=" + logStdMax + ", smoothLogStd=" + smoothLogStd + ", adamEps=" + adamEps
                + ", numEnvs=" + numEnvs + ", totalSteps=" + totalSteps + "]";
    }
}
