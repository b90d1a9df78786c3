package dev.deepq.algo;

import dev.deepq.train.RecordConfigs;
import java.util.Arrays;
import java.util.Map;

/**
 * Every setting of {@link Dqn}. {@link #cleanRl()} gives CleanRL's {@code dqn.py} defaults; options from the DQN
 * family compose freely (double, dueling, n-step, prioritized replay, Polyak targets, Huber, clipping).
 * Step counts are env steps summed over all envs, as CleanRL's {@code global_step}.
 *
 * @param learningRate Adam's step size
 * @param bufferSize replay capacity in transitions (over all envs)
 * @param gamma discount factor
 * @param tau target update weight: 1 copies the online network (hard update), less averages (Polyak)
 * @param targetNetworkFrequency env steps between target updates
 * @param batchSize transitions per gradient step
 * @param startE exploration rate at the start
 * @param endE exploration rate after the decay
 * @param explorationFraction fraction of {@code totalSteps} over which epsilon decays linearly
 * @param learningStarts env steps of pure collection before training
 * @param trainFrequency vector-env steps between training rounds
 * @param gradientSteps gradient steps per training round
 * @param hidden hidden layer widths of the Q-network
 * @param loss the TD loss
 * @param huberDelta the Huber loss's delta
 * @param maxGradNorm global gradient-norm clip; 0 turns clipping off
 * @param doubleQ evaluate the target's greedy action with the online network (van Hasselt 2016)
 * @param dueling value and advantage streams (Wang 2016)
 * @param nStep n of n-step returns
 * @param prioritized proportional prioritized replay (Schaul 2016)
 * @param priorityAlpha prioritization exponent alpha
 * @param priorityBeta0 initial importance-sampling exponent, annealed to 1 over the run
 * @param priorityEpsilon added to |TD error| before prioritizing
 * @param adamEps Adam's epsilon
 * @param numEnvs copies of the env stepped together
 * @param totalSteps length of the run in env steps
 */
public record DqnConfig(
        double learningRate,
        int bufferSize,
        double gamma,
        double tau,
        long targetNetworkFrequency,
        int batchSize,
        double startE,
        double endE,
        double explorationFraction,
        long learningStarts,
        int trainFrequency,
        int gradientSteps,
        int[] hidden,
        Loss loss,
        double huberDelta,
        double maxGradNorm,
        boolean doubleQ,
        boolean dueling,
        int nStep,
        boolean prioritized,
        double priorityAlpha,
        double priorityBeta0,
        double priorityEpsilon,
        double adamEps,
        int numEnvs,
        long totalSteps) {

    /** The TD losses. */
    public enum Loss { MSE, HUBER }

    public DqnConfig {
        positive("learning_rate", learningRate);
        positive("buffer_size", bufferSize);
        unit("gamma", gamma);
        if (!(tau > 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau must be in (0, 1], got " + tau);
        }
        positive("target_network_frequency", targetNetworkFrequency);
        positive("batch_size", batchSize);
        unit("start_e", startE);
        unit("end_e", endE);
        unit("exploration_fraction", explorationFraction);
        if (learningStarts < 0) {
            throw new IllegalArgumentException("learning_starts must be >= 0, got " + learningStarts);
        }
        positive("train_frequency", trainFrequency);
        positive("gradient_steps", gradientSteps);
        if (hidden == null || hidden.length == 0 || Arrays.stream(hidden).anyMatch(h -> h <= 0)) {
            throw new IllegalArgumentException("hidden must list one or more positive layer widths, got "
                    + Arrays.toString(hidden));
        }
        hidden = hidden.clone();
        if (loss == null) {
            throw new IllegalArgumentException("loss must be mse or huber");
        }
        positive("huber_delta", huberDelta);
        if (!(maxGradNorm >= 0)) {
            throw new IllegalArgumentException("max_grad_norm must be >= 0 (0 = no clipping), got " + maxGradNorm);
        }
        positive("n_step", nStep);
        positive("priority_alpha", priorityAlpha);
        unit("priority_beta0", priorityBeta0);
        positive("priority_epsilon", priorityEpsilon);
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

    private static void unit(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
        }
    }

    /** CleanRL's {@code dqn.py} defaults (Adam 2.5e-4, buffer 10k, batch 128, MLP 120-84, MSE, hard target every 500). */
    public static DqnConfig cleanRl() {
        return new DqnConfig(2.5e-4, 10_000, 0.99, 1.0, 500, 128, 1.0, 0.05, 0.5, 10_000, 10, 1,
                new int[] {120, 84}, Loss.MSE, 1.0, 0, false, false, 1, false, 0.6, 0.4, 1e-6, 1e-8, 1, 500_000);
    }

    /**
     * RL Zoo's tuned CartPole-v1 DQN (Stable-Baselines3 defaults plus the zoo's hyperparameters): lr 2.3e-3, batch 64,
     * buffer 100k, learning starts 1000, target every 10 steps, 128 gradient steps every 256, epsilon 1 to 0.04 over
     * 16 %, net [256, 256], Huber loss, gradient norm clipped at 10, 50k steps.
     */
    public static DqnConfig rlZooCartPole() {
        return new DqnConfig(2.3e-3, 100_000, 0.99, 1.0, 10, 64, 1.0, 0.04, 0.16, 1000, 256, 128,
                new int[] {256, 256}, Loss.HUBER, 1.0, 10, false, false, 1, false, 0.6, 0.4, 1e-6, 1e-8, 1, 50_000);
    }

    /** This config with one key changed, by its snake_case name (as {@code --set key=value}). */
    public DqnConfig with(String key, Object value) {
        return RecordConfigs.with(this, Map.of(key, value));
    }

    public DqnConfig withTotalSteps(long steps) {
        return with("total_steps", steps);
    }

    public DqnConfig withDoubleQ(boolean enabled) {
        return with("double_q", enabled);
    }

    public DqnConfig withDueling(boolean enabled) {
        return with("dueling", enabled);
    }

    public DqnConfig withNStep(int n) {
        return with("n_step", n);
    }

    public DqnConfig withPrioritized(boolean enabled) {
        return with("prioritized", enabled);
    }

    public DqnConfig withNumEnvs(int envs) {
        return with("num_envs", envs);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DqnConfig c && Arrays.equals(hidden, c.hidden) && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "DqnConfig[learningRate=" + learningRate + ", bufferSize=" + bufferSize + ", gamma=" + gamma + ", tau=" + tau
                + ", targetNetworkFrequency=" + targetNetworkFrequency + ", batchSize=" + batchSize + ", startE=" + startE
                + ", endE=" + endE + ", explorationFraction=" + explorationFraction + ", learningStarts=" + learningStarts
                + ", trainFrequency=" + trainFrequency + ", gradientSteps=" + gradientSteps + ", hidden="
                + Arrays.toString(hidden) + ", loss=" + loss + ", huberDelta=" + huberDelta + ", maxGradNorm=" + maxGradNorm
                + ", doubleQ=" + doubleQ + ", dueling=" + dueling + ", nStep=" + nStep + ", prioritized=" + prioritized
                + ", priorityAlpha=" + priorityAlpha + ", priorityBeta0=" + priorityBeta0 + ", priorityEpsilon="
                + priorityEpsilon + ", adamEps=" + adamEps + ", numEnvs=" + numEnvs + ", totalSteps=" + totalSteps + "]";
    }
}
