package dev.deepq.spark;

import dev.deepq.algo.Algorithm;
import dev.deepq.algo.Algorithms;
import dev.deepq.cli.Main;
import dev.deepq.cli.Preset;
import dev.deepq.cli.Presets;
import dev.deepq.env.Env;
import dev.deepq.env.EnvSpec;
import dev.deepq.env.Envs;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.random.Rng;
import dev.deepq.train.RecordConfigs;
import dev.deepq.train.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep expanded into tasks: every grid point (the product of the grid's lists, first key slowest) combined with
 * every random sample, each run with every seed. Resolves the env, algorithm and preset as {@code deepq train} does,
 * so a task runs exactly what {@code deepq train ENV --algo A --preset P --steps N --set k=v --seed S} runs.
 *
 * @param spec the sweep file
 * @param presetName the preset the base config comes from, or {@code none}
 * @param tasks the tasks, configuration by configuration, seeds innermost
 */
public record SweepPlan(SweepSpec spec, String presetName, List<SweepTask> tasks) {
    public static final String NO_PRESET = "none";

    @SuppressWarnings("unchecked")
    public static SweepPlan of(SweepSpec spec) {
        SweepSpec.Source src = spec.source();
        EnvSpec envSpec;
        try {
            envSpec = Envs.spec(spec.env());
        } catch (IllegalArgumentException e) {
            throw new SweepFileException(src.where("env") + ": " + e.getMessage() + " (see 'deepq envs')", e);
        }
        Preset preset = null;
        if (spec.preset() != null && !spec.preset().equals(NO_PRESET)) {
            preset = resolvePreset(spec);
        }
        String algoName = spec.algo() != null ? spec.algo()
                : preset != null && preset.algo() != null ? preset.algo() : defaultAlgorithm(spec.env());
        Algorithm<Record> algorithm;
        try {
            algorithm = (Algorithm<Record>) Algorithms.get(algoName);
        } catch (IllegalArgumentException e) {
            throw new SweepFileException(src.where("algo") + ": " + e.getMessage(), e);
        }
        if (spec.preset() == null) {
            preset = Presets.defaultFor(spec.env(), algorithm.name());
        }
        if (preset != null) {
            if (preset.env() != null && !preset.env().equals(spec.env())) {
                throw new SweepFileException(src.where("preset") + ": preset " + preset.name() + " is for "
                        + preset.env() + ", not " + spec.env());
            }
            if (preset.algo() != null && !preset.algo().equals(algorithm.name())) {
                throw new SweepFileException(src.where("preset") + ": preset " + preset.name() + " is for algo "
                        + preset.algo() + ", not " + algorithm.name());
            }
        }

        Map<String, Object> base = new LinkedHashMap<>();
        if (preset != null) {
            base.putAll(preset.config());
        }
        base.putAll(spec.base());
        if (spec.steps() != null) {
            base.put("total_steps", spec.steps());
        }
        Record baseConfig;
        try {
            baseConfig = RecordConfigs.with(algorithm.defaults(), base);
        } catch (IllegalArgumentException e) {
            String where = spec.base().isEmpty() ? src.where("preset") : src.where("base");
            throw new SweepFileException(where + ": " + e.getMessage(), e);
        }
        List<String> keys = RecordConfigs.keys(baseConfig);
        for (String key : spec.grid().keySet()) {
            checkKey(key, keys, algorithm, src.where("grid", key), "grid");
        }
        if (spec.random() != null) {
            for (String key : spec.random().space().keySet()) {
                checkKey(key, keys, algorithm, src.where("random", "space", key), "random.space");
            }
        }

        Map<String, Object> envOptions = new LinkedHashMap<>(envSpec.defaultOptions());
        Map<String, Object> given = new LinkedHashMap<>();
        if (preset != null) {
            given.putAll(preset.envOptions());
        }
        given.putAll(spec.envOptions());
        for (Map.Entry<String, Object> e : given.entrySet()) {
            if (!envSpec.defaultOptions().containsKey(e.getKey())) {
                throw new SweepFileException(src.where("env_options", e.getKey()) + ": " + spec.env()
                        + " does not take option '" + e.getKey() + "'; " + (envSpec.defaultOptions().isEmpty()
                        ? "it takes no options" : "valid options: " + String.join(", ", envSpec.defaultOptions().keySet())));
            }
            envOptions.put(e.getKey(), e.getValue());
        }

        int evalEpisodes = spec.evalEpisodes() != null ? spec.evalEpisodes()
                : preset != null && preset.evalEpisodes() != null ? preset.evalEpisodes() : TrainingRun.DEFAULT_EVAL_EPISODES;
        Long fixedFrequency = spec.evalFrequency() != null ? spec.evalFrequency()
                : preset != null ? preset.evalFrequency() : null;
        String presetName = preset == null ? NO_PRESET : preset.name();

        List<SweepTask> tasks = new ArrayList<>();
        for (Map<String, Object> overrides : configurations(spec)) {
            long frequency = fixedFrequency != null ? fixedFrequency
                    : TrainingRun.defaultEvalFrequency(totalSteps(algorithm, baseConfig, overrides));
            for (long seed : spec.seeds()) {
                tasks.add(new SweepTask(spec.env(), envOptions, algorithm.name(), presetName, base, overrides, seed,
                        evalEpisodes, frequency));
            }
        }
        return new SweepPlan(spec, presetName, List.copyOf(tasks));
    }

    /** The overrides of every configuration: grid points × random samples (one empty map when neither is given). */
    public static List<Map<String, Object>> configurations(SweepSpec spec) {
        List<Map<String, Object>> points = gridPoints(spec.grid());
        if (spec.random() == null) {
            return points;
        }
        List<Map<String, Object>> samples = randomSamples(spec.random());
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> p : points) {
            for (Map<String, Object> s : samples) {
                Map<String, Object> m = new LinkedHashMap<>(p);
                m.putAll(s);
                all.add(m);
            }
        }
        return all;
    }

    /** The grid's product, first key slowest (as {@code itertools.product}). */
    public static List<Map<String, Object>> gridPoints(Map<String, List<Object>> grid) {
        List<Map<String, Object>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<Object>> axis : grid.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> p : points) {
                for (Object v : axis.getValue()) {
                    Map<String, Object> m = new LinkedHashMap<>(p);
                    m.put(axis.getKey(), v);
                    next.add(m);
                }
            }
            points = next;
        }
        return points;
    }

    /**
     * {@code samples} draws from one generator, {@code Rng.seeded(seed)} ({@code numpy.random.default_rng(seed)}),
     * sample by sample, keys in file order: uniform is {@code rng.uniform(low, high)}, loguniform
     * {@code exp(rng.uniform(log low, log high))}, integer {@code rng.integers(low, high + 1)} and choice
     * {@code values[rng.integers(n)]}.
     */
    public static List<Map<String, Object>> randomSamples(SweepSpec.RandomSearch random) {
        Rng rng = Rng.seeded(random.seed());
        List<Map<String, Object>> samples = new ArrayList<>();
        for (int i = 0; i < random.samples(); i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, SweepSpec.Distribution> e : random.space().entrySet()) {
                List<Object> v = e.getValue().values();
                Object drawn = switch (e.getValue().kind()) {
                    case "uniform" -> rng.uniform(num(v.get(0)), num(v.get(1)));
                    case "loguniform" -> Math.exp(rng.uniform(Math.log(num(v.get(0))), Math.log(num(v.get(1)))));
                    case "integer" -> rng.integers((Long) v.get(0), (Long) v.get(1) + 1);
                    case "choice" -> v.get((int) rng.integers(v.size()));
                    default -> throw new IllegalStateException("unknown distribution " + e.getValue().kind());
                };
                m.put(e.getKey(), drawn);
            }
            samples.add(m);
        }
        return samples;
    }

    /** How many configurations (tasks per seed). */
    public int configurationCount() {
        return tasks.size() / spec.seeds().size();
    }

    public Path output() {
        return spec.output();
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    private static long totalSteps(Algorithm<Record> algorithm, Record base, Map<String, Object> overrides) {
        try {
            return algorithm.totalSteps(RecordConfigs.with(base, overrides));
        } catch (IllegalArgumentException invalid) {
            // the task fails when it runs, with this message; its eval frequency does not matter
            return algorithm.totalSteps(base);
        }
    }

    private static void checkKey(String key, List<String> keys, Algorithm<Record> algorithm, String where, String section) {
        if (!keys.contains(key)) {
            throw new SweepFileException(where + ": unknown config key '" + section + "." + key + "' for algo "
                    + algorithm.name() + "; valid keys: " + String.join(", ", keys));
        }
    }

    private static Preset resolvePreset(SweepSpec spec) {
        String name = spec.preset();
        boolean file = name.endsWith(".yaml") || name.endsWith(".yml") || name.contains("/");
        if (file && !Path.of(name).isAbsolute() && spec.source().origin().contains("/")) {
            // a preset file next to the sweep file
            Path dir = Path.of(spec.source().origin()).toAbsolutePath().getParent();
            name = dir.resolve(name).normalize().toString();
        }
        try {
            return Presets.resolve(name);
        } catch (Main.UserException | IllegalArgumentException e) {
            throw new SweepFileException(spec.source().where("preset") + ": " + e.getMessage().replaceFirst("^--preset: ", ""), e);
        }
    }

    private static String defaultAlgorithm(String envId) {
        try (Env env = Envs.make(envId)) {
            return env.observationSpace() instanceof Discrete ? "qlearning" : "dqn";
        }
    }
}
