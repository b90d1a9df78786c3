package dev.deepq.cli;

import dev.deepq.algo.Algorithm;
import dev.deepq.algo.Algorithms;
import dev.deepq.env.EnvSpec;
import dev.deepq.env.Envs;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.env.spaces.Space;
import dev.deepq.train.Agent;
import dev.deepq.train.RecordConfigs;
import dev.deepq.train.TrainingRun;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a training run is made of, resolved from the command line and a preset: the env and its options (every
 * default spelled out), the algorithm and its full config, the seed and the evaluation schedule.
 *
 * <p>Precedence, lowest first: the algorithm's defaults, the preset, {@code --steps}, {@code --set}. The env is
 * {@code ENV}, else the preset's, else CartPole-v1; the algorithm {@code --algo}, else the preset's, else DQN
 * (tabular Q-learning for envs with Discrete observations); the preset {@code --preset}, else the shipped default for
 * the env and algorithm (RL Zoo's tuned values, else CleanRL's), else none.
 *
 * @param stopAbove the mean greedy return above which training stops at an evaluation ({@code --stop-above}), or
 *                  null to train for all the steps
 */
record RunSettings(String envId, Map<String, Object> envOptions, Algorithm<Record> algorithm, Record config,
                   Preset preset, long seed, int evalEpisodes, long evalFrequency, Double stopAbove) {
    static final String DEFAULT_ENV = "CartPole-v1";
    /** {@code --preset none}: the algorithm's own defaults. */
    static final String NO_PRESET = "none";
    static final int DEFAULT_EVAL_EPISODES = TrainingRun.DEFAULT_EVAL_EPISODES;
    /** Evaluations per run when no frequency is given. */
    static final int DEFAULT_EVALUATIONS = TrainingRun.DEFAULT_EVALUATIONS;

    /** Evaluation episodes of envs without a time limit (CliffWalking) end after this many steps. */
    static final int EVAL_STEP_LIMIT = TrainingRun.EVAL_STEP_LIMIT;

    /**
     * The time limit evaluation envs get: the env's own, or {@link #EVAL_STEP_LIMIT} when it has none, so a greedy
     * policy that walks in circles (any untrained one, on CliffWalking) cannot hang an evaluation.
     */
    static Integer evalTimeLimit(String envId) {
        return TrainingRun.evalTimeLimit(envId);
    }

    /** The same settings with another seed (a study's runs). */
    RunSettings withSeed(long newSeed) {
        return new RunSettings(envId, envOptions, algorithm, config, preset, newSeed, evalEpisodes, evalFrequency,
                stopAbove);
    }

    long totalSteps() {
        return algorithm.totalSteps(config);
    }

    int numEnvs() {
        return algorithm.numEnvs(config);
    }

    String presetName() {
        return preset == null ? NO_PRESET : preset.name();
    }

    Map<String, Object> configMap() {
        return RecordConfigs.toMap(config);
    }

    /** Builds the agent; spaces the algorithm cannot handle are a user error naming the option and the env. */
    Agent createAgent(Space observationSpace, Space actionSpace) {
        try {
            return algorithm.create(observationSpace, actionSpace, config, seed);
        } catch (IllegalArgumentException e) {
            throw new Main.UserException("--algo " + algorithm.name() + " cannot train on " + envId + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static RunSettings resolve(String envArg, String algoArg, String presetArg, Long seedArg, Long stepsArg,
                               List<String> sets, Map<String, Object> envOptionArgs, Integer evalEpisodesArg,
                               Long evalFrequencyArg, Double stopAboveArg) {
        Preset preset = presetArg == null || presetArg.equals(NO_PRESET) ? null : Presets.resolve(presetArg);
        String envId = envArg != null ? envArg : preset != null && preset.env() != null ? preset.env() : DEFAULT_ENV;
        EnvSpec spec;
        try {
            spec = Envs.spec(envId);
        } catch (IllegalArgumentException e) {
            throw new Main.UserException("ENV: " + e.getMessage() + " (see 'deepq envs')", e);
        }
        String algoName = algoArg != null ? algoArg : preset != null && preset.algo() != null ? preset.algo()
                : defaultAlgorithm(envId);
        Algorithm<Record> algorithm;
        try {
            algorithm = (Algorithm<Record>) Algorithms.get(algoName);
        } catch (IllegalArgumentException e) {
            throw new Main.UserException((algoArg != null ? "--algo: " : preset.where("algo") + ": ") + e.getMessage(), e);
        }
        if (presetArg == null) {
            preset = Presets.defaultFor(envId, algorithm.name());
        }
        if (preset != null) {
            if (preset.env() != null && !preset.env().equals(envId)) {
                throw new Main.UserException("--preset " + preset.name() + " is for " + preset.env() + ", not " + envId
                        + "; presets for " + envId + ": " + presetsFor(envId));
            }
            if (preset.algo() != null && !preset.algo().equals(algorithm.name())) {
                throw new Main.UserException("--preset " + preset.name() + " is for --algo " + preset.algo() + ", not "
                        + algorithm.name() + "; presets for " + envId + ": " + presetsFor(envId));
            }
        }

        Record config = algorithm.defaults();
        if (preset != null && !preset.config().isEmpty()) {
            config = applyPreset(config, preset);
        }
        Map<String, String> overrides = parseSets(sets);
        if (stepsArg != null) {
            if (stepsArg <= 0) {
                throw new Main.UserException("--steps must be a positive integer, got " + stepsArg);
            }
            config = apply(config, Map.of("total_steps", stepsArg), "--steps");
        }
        if (!overrides.isEmpty()) {
            config = apply(config, overrides, "--set");
        }

        Map<String, Object> envOptions = new LinkedHashMap<>(spec.defaultOptions());
        Map<String, Object> given = new LinkedHashMap<>();
        if (preset != null) {
            given.putAll(preset.envOptions());
        }
        given.putAll(envOptionArgs);
        for (Map.Entry<String, Object> e : given.entrySet()) {
            if (!spec.defaultOptions().containsKey(e.getKey())) {
                throw new Main.UserException("-o: " + envId + " does not take option '" + e.getKey() + "'; "
                        + (spec.defaultOptions().isEmpty() ? "it takes no options"
                                : "valid options: " + String.join(", ", spec.defaultOptions().keySet())));
            }
            envOptions.put(e.getKey(), e.getValue());
        }

        long seed = seedArg != null ? seedArg : preset != null && preset.seed() != null ? preset.seed() : 0;
        if (seed < 0) {
            throw new Main.UserException("--seed must be a non-negative integer, got " + seed);
        }
        int evalEpisodes = evalEpisodesArg != null ? evalEpisodesArg
                : preset != null && preset.evalEpisodes() != null ? preset.evalEpisodes() : DEFAULT_EVAL_EPISODES;
        if (evalEpisodes <= 0) {
            throw new Main.UserException("--eval-episodes must be positive, got " + evalEpisodes);
        }
        long total = algorithm.totalSteps(config);
        long evalFrequency = evalFrequencyArg != null ? evalFrequencyArg
                : preset != null && preset.evalFrequency() != null ? preset.evalFrequency()
                : TrainingRun.defaultEvalFrequency(total);
        if (evalFrequency <= 0) {
            throw new Main.UserException("--eval-freq must be positive, got " + evalFrequency);
        }
        Double stopAbove = stopAboveArg != null ? stopAboveArg : preset != null ? preset.evalStopAbove() : null;
        if (stopAbove != null && !Double.isFinite(stopAbove)) {
            throw new Main.UserException("--stop-above must be a finite number (a mean evaluation return), got "
                    + stopAbove);
        }
        return new RunSettings(envId, envOptions, algorithm, config, preset, seed, evalEpisodes, evalFrequency,
                stopAbove);
    }

    /**
     * DQN, except tabular Q-learning for envs whose observations are Discrete (the toy-text grids) and SAC for envs
     * with Box (continuous) actions.
     */
    static String defaultAlgorithm(String envId) {
        try (var env = Envs.make(envId)) {
            if (env.actionSpace() instanceof dev.deepq.env.spaces.Box) {
                return "sac";
            }
            return env.observationSpace() instanceof Discrete ? "qlearning" : "dqn";
        }
    }

    private static String presetsFor(String envId) {
        List<String> names = Presets.shipped().values().stream().filter(p -> envId.equals(p.env())).map(Preset::name).toList();
        return names.isEmpty() ? "none shipped" : String.join(", ", names);
    }

    /** The preset's config over {@code base}; an error names the file, the line of the offending key and the key. */
    private static Record applyPreset(Record base, Preset preset) {
        try {
            return RecordConfigs.with(base, preset.config());
        } catch (IllegalArgumentException all) {
            // Find the key that fails on its own, to point at its line.
            for (Map.Entry<String, Object> e : preset.config().entrySet()) {
                try {
                    RecordConfigs.with(base, Map.of(e.getKey(), e.getValue() == null ? "null" : e.getValue()));
                } catch (IllegalArgumentException one) {
                    throw new Main.UserException(preset.where(e.getKey()) + ": " + one.getMessage(), one);
                }
            }
            throw new Main.UserException(preset.where("config") + ": " + all.getMessage(), all);
        }
    }

    private static Record apply(Record base, Map<String, ?> values, String option) {
        try {
            return RecordConfigs.with(base, values);
        } catch (IllegalArgumentException e) {
            throw new Main.UserException(option + ": " + e.getMessage(), e);
        }
    }

    static Map<String, String> parseSets(List<String> pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        if (pairs == null) {
            return map;
        }
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new Main.UserException("--set '" + pair + "' must look like key=value");
            }
            map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return map;
    }
}
