package dev.deepq.algo;

import dev.deepq.env.spaces.Space;
import dev.deepq.train.Agent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The algorithms {@code deepq train --algo} knows, by name. */
public final class Algorithms {
    private static final Map<String, Algorithm<?>> BY_NAME = new LinkedHashMap<>();

    static {
        register(new DqnAlgorithm());
        for (TabularConfig.Rule rule : TabularConfig.Rule.values()) {
            register(new Tabular(rule));
        }
        register(new SacAlgorithm("sac", "Soft Actor-Critic for Box actions: twin critics, automatic entropy tuning"
                + " (Stable-Baselines3 defaults)", SacConfig.stableBaselines3()));
        register(new SacAlgorithm("redq", "REDQ: SAC with 10 critics, target min over 2 drawn at random, 20 critic"
                + " steps per env step (reference-code defaults)", SacConfig.redq()));
        register(new SacAlgorithm("droq", "DroQ: SAC with 2 dropout + layer-norm critics, 20 critic steps per env step"
                + " (reference-code defaults)", SacConfig.droq()));
        register(new Td3Algorithm("td3", "TD3 for Box actions: clipped double Q, delayed policy updates, target smoothing"
                + " (Stable-Baselines3 defaults)", Td3Config.stableBaselines3()));
        register(new Td3Algorithm("ddpg", "DDPG for Box actions: one critic, Gaussian or Ornstein-Uhlenbeck noise"
                + " (Stable-Baselines3 defaults)", Td3Config.ddpg()));
    }

    private Algorithms() {}

    public static void register(Algorithm<?> algorithm) {
        BY_NAME.put(algorithm.name(), algorithm);
    }

    public static List<String> names() {
        return new ArrayList<>(BY_NAME.keySet());
    }

    public static Algorithm<?> get(String name) {
        Algorithm<?> a = BY_NAME.get(name);
        if (a == null) {
            throw new IllegalArgumentException("unknown algorithm '" + name + "'; valid: " + String.join(", ", BY_NAME.keySet()));
        }
        return a;
    }

    /** DQN and its family; defaults are CleanRL's {@code dqn.py}. */
    private record DqnAlgorithm() implements Algorithm<DqnConfig> {
        @Override
        public String name() {
            return "dqn";
        }

        @Override
        public String description() {
            return "DQN with double, dueling, n-step, prioritized replay options (CleanRL defaults)";
        }

        @Override
        public DqnConfig defaults() {
            return DqnConfig.cleanRl();
        }

        @Override
        public int numEnvs(DqnConfig config) {
            return config.numEnvs();
        }

        @Override
        public long totalSteps(DqnConfig config) {
            return config.totalSteps();
        }

        @Override
        public Agent create(Space observationSpace, Space actionSpace, DqnConfig config, long seed) {
            return new Dqn(observationSpace, actionSpace, config, seed);
        }
    }

    /** Soft Actor-Critic for Box actions, and REDQ and DroQ as its critic-ensemble settings. */
    private record SacAlgorithm(String name, String description, SacConfig defaults) implements Algorithm<SacConfig> {
        @Override
        public int numEnvs(SacConfig config) {
            return config.numEnvs();
        }

        @Override
        public long totalSteps(SacConfig config) {
            return config.totalSteps();
        }

        @Override
        public Agent create(Space observationSpace, Space actionSpace, SacConfig config, long seed) {
            return new Sac(observationSpace, actionSpace, config, seed);
        }
    }

    /** TD3, and DDPG as its special case (one critic, no smoothing, no delay). */
    private record Td3Algorithm(String name, String description, Td3Config defaults) implements Algorithm<Td3Config> {
        @Override
        public int numEnvs(Td3Config config) {
            return config.numEnvs();
        }

        @Override
        public long totalSteps(Td3Config config) {
            return config.totalSteps();
        }

        @Override
        public Agent create(Space observationSpace, Space actionSpace, Td3Config config, long seed) {
            return new Td3(observationSpace, actionSpace, config, seed);
        }
    }

    /** The tabular rules, each under its own name (the rule can still be changed with the {@code rule} key). */
    private record Tabular(TabularConfig.Rule rule) implements Algorithm<TabularConfig> {
        @Override
        public String name() {
            return switch (rule) {
                case Q_LEARNING -> "qlearning";
                case SARSA -> "sarsa";
                case EXPECTED_SARSA -> "expected-sarsa";
                case DOUBLE_Q_LEARNING -> "double-qlearning";
            };
        }

        @Override
        public String description() {
            return "tabular " + rule.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + " for Discrete observations (FrozenLake, CliffWalking, Taxi)";
        }

        @Override
        public TabularConfig defaults() {
            return TabularConfig.defaults(500_000).withRule(rule);
        }

        @Override
        public int numEnvs(TabularConfig config) {
            return 1;
        }

        @Override
        public long totalSteps(TabularConfig config) {
            return config.totalSteps();
        }

        @Override
        public Agent create(Space observationSpace, Space actionSpace, TabularConfig config, long seed) {
            return new TabularAgent(observationSpace, actionSpace, config, seed);
        }
    }
}
