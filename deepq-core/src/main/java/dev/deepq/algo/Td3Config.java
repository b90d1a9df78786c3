package dev.deepq.algo;

import dev.deepq.train.RecordConfigs;
import java.util.Arrays;
import java.util.Map;

/**
 * Every setting of {@link Td3}, which also runs DDPG ({@link #ddpg}: one critic, no target smoothing, no delay).
 * Step counts are env steps summed over all envs; noise is in the policy's (-1, 1) action units.
 *
 * @param learningRate Adam's step size for actor and critics
 * @param bufferSize replay capacity in transitions
 * @param gamma discount factor
 * @param tau Polyak weight of the target networks' update
 * @param batchSize transitions per gradient step
 * @param learningStarts env steps of uniformly random actions before training
 * @param trainFrequency vector-env steps, or finished episodes, between training rounds (see trainFrequencyUnit)
 * @param trainFrequencyUnit what train_frequency counts: step (vector-env steps) or episode (episodes ended over all
 *     envs; Stable-Baselines3's {@code train_freq: [n, episode]})
 * @param gradientSteps critic gradient steps per training round; -1: one per env step since the previous round
 *     (Stable-Baselines3's {@code gradient_steps: -1})
 * @param policyDelay critic steps per actor step (and target update)
 * @param targetPolicyNoise std of the Gaussian added to the target action (0 turns smoothing off)
 * @param targetNoiseClip the smoothing noise is clipped to [-clip, clip]
 * @param twinCritics two critics and the minimum of their targets (TD3's clipped double Q); false: one critic
 * @param noise the exploration noise process
 * @param noiseStd the exploration noise's sigma
 * @param warmupNoise add the exploration noise to the uniform actions before learning_starts too (Stable-Baselines3
 *     does; CleanRL does not)
 * @param ouTheta the OU process's mean reversion rate
 * @param ouDt the OU process's time step
 * @param hidden hidden widths of the actor and of each critic
 * @param adamEps Adam's epsilon
 * @param normalizeObservations normalize observations by running mean and variance, clipped to [-10, 10], when
 *     acting and in sampled batches, as Stable-Baselines3's {@code VecNormalize(norm_obs=True)} (see
 *     {@code ObservationNormalizer}); the statistics are checkpointed and saved with the model
 * @param numEnvs copies of the env stepped together
 * @param totalSteps length of the run in env steps
 */
public record Td3Config(
        double learningRate,
        int bufferSize,
        double gamma,
        double tau,
        int batchSize,
        long learningStarts,
        int trainFrequency,
        TrainFrequencyUnit trainFrequencyUnit,
        int gradientSteps,
        int policyDelay,
        double targetPolicyNoise,
        double targetNoiseClip,
        boolean twinCritics,
        Noise noise,
        double noiseStd,
        boolean warmupNoise,
        double ouTheta,
        double ouDt,
        int[] hidden,
        double adamEps,
        boolean normalizeObservations,
        int numEnvs,
        long totalSteps) implements RecordConfigs.Evolving {

    /** Keys added after TD3 checkpoints were first written, with the values that behave as before them. */
    @Override
    public Map<String, Object> valuesBeforeKeysExisted() {
        return Map.of("train_frequency_unit", "step", "warmup_noise", false);
    }

    /** Exploration noise processes. */
    public enum Noise { GAUSSIAN, ORNSTEIN_UHLENBECK }

    public Td3Config {
        positive("learning_rate", learningRate);
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
        positive("policy_delay", policyDelay);
        nonNegative("target_policy_noise", targetPolicyNoise);
        nonNegative("target_noise_clip", targetNoiseClip);
        if (noise == null) {
            throw new IllegalArgumentException("noise must be gaussian or ornstein_uhlenbeck");
        }
        nonNegative("noise_std", noiseStd);
        positive("ou_theta", ouTheta);
        positive("ou_dt", ouDt);
        if (hidden == null || hidden.length == 0 || Arrays.stream(hidden).anyMatch(h -> h <= 0)) {
            throw new IllegalArgumentException("hidden must list one or more positive layer widths, got "
                    + Arrays.toString(hidden));
        }
        hidden = hidden.clone();
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

    private static void nonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + v);
        }
    }

    /**
     * Stable-Baselines3's TD3 defaults: Adam 1e-3, buffer 1e6, batch 256, tau 0.005, gamma 0.99, learning starts 100,
     * one gradient step per env step, policy delay 2, target noise 0.2 clipped at 0.5, net [400, 300]; exploration
     * Gaussian with std 0.1 (SB3 has none by default; RL Zoo's usual choice), added to the warm-up's uniform actions
     * as well; 1e6 steps.
     */
    public static Td3Config stableBaselines3() {
        return new Td3Config(1e-3, 1_000_000, 0.99, 0.005, 256, 100, 1, TrainFrequencyUnit.STEP, 1, 2, 0.2, 0.5, true,
                Noise.GAUSSIAN, 0.1, true, 0.15, 1e-2, new int[] {400, 300}, 1e-8, false, 1, 1_000_000);
    }

    /**
     * RL Zoo's Pendulum entry ({@code hyperparams/td3.yml}): gamma 0.98, buffer 200k, learning starts 10k, Gaussian
     * noise 0.1, lr 1e-3, net [400, 300], 20k steps, and one gradient step per env step after every episode
     * ({@code train_freq: [1, episode], gradient_steps: -1}), which for Pendulum's 200-step episodes is 200 steps every
     * 200 env steps.
     */
    public static Td3Config rlZooPendulum() {
        return stableBaselines3().with("gamma", 0.98).with("buffer_size", 200_000).with("learning_starts", 10_000)
                .with("train_frequency", 200).with("gradient_steps", 200).with("total_steps", 20_000);
    }

    /**
     * CleanRL's {@code td3_continuous_action.py} defaults: Adam 3e-4, buffer 1e6, batch 256, tau 0.005, gamma 0.99,
     * learning starts 25k, policy frequency 2, policy noise 0.2 clipped at 0.5, exploration noise 0.1 (none on the
     * warm-up's uniform actions), net [256, 256].
     */
    public static Td3Config cleanRl() {
        return new Td3Config(3e-4, 1_000_000, 0.99, 0.005, 256, 25_000, 1, TrainFrequencyUnit.STEP, 1, 2, 0.2, 0.5,
                true, Noise.GAUSSIAN, 0.1, false, 0.15, 1e-2, new int[] {256, 256}, 1e-8, false, 1, 1_000_000);
    }

    /**
     * DDPG (Lillicrap et al. 2016) as Stable-Baselines3 runs it: TD3's defaults with one critic, no target smoothing
     * and an actor step after every critic step.
     */
    public static Td3Config ddpg() {
        return stableBaselines3().with("twin_critics", false).with("target_policy_noise", 0.0).with("policy_delay", 1);
    }

    /** This config with one key changed, by its snake_case name (as {@code --set key=value}). */
    public Td3Config with(String key, Object value) {
        return RecordConfigs.with(this, Map.of(key, value));
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Td3Config c && Arrays.equals(hidden, c.hidden) && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "Td3Config[learningRate=" + learningRate + ", bufferSize=" + bufferSize + ", gamma=" + gamma + ", tau="
                + tau + ", batchSize=" + batchSize + ", learningStarts=" + learningStarts + ", trainFrequency="
                + trainFrequency + ", trainFrequencyUnit=" + trainFrequencyUnit + ", gradientSteps=" + gradientSteps + ", policyDelay=" + policyDelay
                + ", targetPolicyNoise=" + targetPolicyNoise + ", targetNoiseClip=" + targetNoiseClip
                + ", twinCritics=" + twinCritics + ", noise=" + noise + ", noiseStd=" + noiseStd + ", warmupNoise=" + warmupNoise + ", ouTheta="
                + ouTheta + ", ouDt=" + ouDt + ", hidden=" + Arrays.toString(hidden) + ", adamEps=" + adamEps
                + ", normalizeObservations=" + normalizeObservations + ", numEnvs=" + numEnvs + ", totalSteps=" + totalSteps + "]";
    }
}
