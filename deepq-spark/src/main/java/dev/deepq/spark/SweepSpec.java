package dev.deepq.spark;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed {@code sweep.yaml} (format in {@code docs/SWEEPS.md}). Only the file's shape is checked here; env, algorithm,
 * preset and config keys are checked by {@link SweepPlan}, which knows the registries.
 *
 * @param env env id (required)
 * @param algo algorithm name, or null for the preset's, else DQN
 * @param preset shipped preset name or YAML file, {@code none}, or null for the default preset of env and algo
 * @param envOptions env options
 * @param base config keys over the preset
 * @param steps {@code total_steps} for every run, or null for the preset's
 * @param seeds the run seeds
 * @param grid config key to the values to try, in file order
 * @param random the random search, or null
 * @param evalEpisodes greedy episodes per evaluation, or null for the preset's, else 10
 * @param evalFrequency env steps between evaluations, or null for the preset's, else a twentieth of the run
 * @param output the output folder (relative to the sweep file's folder), or null
 * @param source where the file came from and its text, for messages with line numbers
 */
public record SweepSpec(String env, String algo, String preset, Map<String, Object> envOptions, Map<String, Object> base,
                        Long steps, List<Long> seeds, Map<String, List<Object>> grid, RandomSearch random,
                        Integer evalEpisodes, Long evalFrequency, Path output, Source source) {

    /**
     * Random search: {@code samples} draws from {@code space}, with a NumPy-compatible generator seeded by {@code seed}.
     */
    public record RandomSearch(int samples, long seed, Map<String, Distribution> space) {}

    /** One dimension of a random search's space. */
    public record Distribution(String kind, List<Object> values) {
        static final Set<String> KINDS = Set.of("uniform", "loguniform", "integer", "choice");
    }

    /** The file a spec was read from, for messages. */
    public record Source(String origin, String text) {
        /** {@code origin, line N} for the line of the key at {@code path} (parent keys first), or just origin. */
        public String where(String... path) {
            int line = lineOf(path);
            return line > 0 ? origin + ", line " + line : origin;
        }

        int lineOf(String... path) {
            String[] lines = text.split("\n", -1);
            int from = 0;
            int indent = -1;
            int found = 0;
            for (String key : path) {
                int hit = -1;
                for (int i = from; i < lines.length; i++) {
                    String line = lines[i];
                    String t = line.strip();
                    if (t.isEmpty() || t.startsWith("#")) {
                        continue;
                    }
                    int ind = line.indexOf(t.charAt(0));
                    if (i > from && ind <= indent && found > 0) {
                        break;
                    }
                    String k = t.startsWith("- ") ? t.substring(2).strip() : t;
                    // flow mappings ({a: 1, b: 2}) put several keys on one line
                    if (k.startsWith(key + ":") || k.startsWith("\"" + key + "\":") || k.startsWith("'" + key + "':")
                            || (k.contains("{") && (k.contains("{" + key + ":") || k.contains(" " + key + ":")))) {
                        hit = i;
                        indent = ind;
                        break;
                    }
                }
                if (hit < 0) {
                    return found;
                }
                found = hit + 1;
                from = hit;
            }
            return found;
        }
    }

    static final Set<String> KEYS = Set.of("env", "algo", "preset", "env_options", "base", "steps", "seeds", "grid",
            "random", "eval", "output");
    private static final Set<String> EVAL_KEYS = Set.of("episodes", "frequency");
    private static final Set<String> RANDOM_KEYS = Set.of("samples", "seed", "space");

    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    /** Reads a sweep file; the output folder is resolved against the file's folder. */
    public static SweepSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SweepFileException("cannot read sweep file " + file + ": " + e.getMessage(), e);
        }
        SweepSpec spec = parse(text, file.toString());
        if (spec.output() != null && !spec.output().isAbsolute()) {
            Path dir = file.toAbsolutePath().getParent();
            spec = spec.withOutput(dir.resolve(spec.output()).normalize());
        }
        return spec;
    }

    public SweepSpec withOutput(Path folder) {
        return new SweepSpec(env, algo, preset, envOptions, base, steps, seeds, grid, random, evalEpisodes,
                evalFrequency, folder, source);
    }

    /** Parses sweep YAML; {@code origin} names it in messages. */
    public static SweepSpec parse(String text, String origin) {
        Source src = new Source(origin, text);
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() <= 0 ? "" : ", line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new SweepFileException(origin + where + ": malformed YAML: " + firstLine(e.getOriginalMessage()), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new SweepFileException(origin + ": the sweep file is empty; it needs at least 'env' and 'seeds'");
        }
        if (!root.isObject()) {
            throw new SweepFileException(origin + ": a sweep file must be a YAML mapping with keys " + sorted(KEYS));
        }
        checkKeys(root, KEYS, src, "", new String[0]);
        String env = text(root, "env", src);
        if (env == null) {
            throw new SweepFileException(origin + ": 'env' is required (an env id, see 'deepq envs')");
        }
        Long steps = root.has("steps") ? positiveLong(root.get("steps"), src, "steps") : null;
        List<Long> seeds = seeds(root.get("seeds"), src);
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        JsonNode g = root.get("grid");
        if (g != null && !g.isNull()) {
            if (!g.isObject()) {
                throw new SweepFileException(src.where("grid") + ": 'grid' must map config keys to lists of values, got " + g);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode values = e.getValue();
                if (!values.isArray() || values.isEmpty()) {
                    throw new SweepFileException(src.where("grid", e.getKey()) + ": 'grid." + e.getKey()
                            + "' must be a non-empty list of values, got " + values);
                }
                List<Object> list = new ArrayList<>();
                for (JsonNode v : values) {
                    list.add(value(v));
                }
                grid.put(e.getKey(), list);
            }
        }
        RandomSearch random = random(root.get("random"), src);
        for (String key : grid.keySet()) {
            if (random != null && random.space().containsKey(key)) {
                throw new SweepFileException(src.where("random", "space", key) + ": '" + key
                        + "' is in both 'grid' and 'random.space'; a key is either searched on a grid or sampled");
            }
        }
        Integer evalEpisodes = null;
        Long evalFrequency = null;
        JsonNode eval = root.get("eval");
        if (eval != null && !eval.isNull()) {
            if (!eval.isObject()) {
                throw new SweepFileException(src.where("eval") + ": 'eval' must be a mapping with keys episodes, frequency");
            }
            checkKeys(eval, EVAL_KEYS, src, "eval.", new String[] {"eval"});
            if (eval.has("episodes")) {
                long n = positiveLong(eval.get("episodes"), src, "eval", "episodes");
                if (n > Integer.MAX_VALUE) {
                    throw new SweepFileException(src.where("eval", "episodes") + ": 'eval.episodes' is too large: " + n);
                }
                evalEpisodes = (int) n;
            }
            if (eval.has("frequency")) {
                evalFrequency = positiveLong(eval.get("frequency"), src, "eval", "frequency");
            }
        }
        String output = text(root, "output", src);
        return new SweepSpec(env, text(root, "algo", src), text(root, "preset", src), mapping(root, "env_options", src),
                mapping(root, "base", src), steps, seeds, grid, random, evalEpisodes, evalFrequency,
                output == null ? null : Path.of(output), src);
    }

    private static List<Long> seeds(JsonNode n, Source src) {
        if (n == null || n.isNull()) {
            return List.of(0L);
        }
        List<Long> seeds = new ArrayList<>();
        if (n.isIntegralNumber()) {
            long count = n.asLong();
            if (count <= 0 || count > 100_000) {
                throw new SweepFileException(src.where("seeds") + ": 'seeds' as a number is how many seeds (0, 1, ...) "
                        + "and must be between 1 and 100000, got " + n);
            }
            for (long s = 0; s < count; s++) {
                seeds.add(s);
            }
            return seeds;
        }
        if (!n.isArray() || n.isEmpty()) {
            throw new SweepFileException(src.where("seeds") + ": 'seeds' must be a count (3) or a non-empty list of "
                    + "non-negative integers ([0, 1, 2]), got " + n);
        }
        for (JsonNode s : n) {
            if (!s.isIntegralNumber() || !s.canConvertToLong() || s.asLong() < 0) {
                throw new SweepFileException(src.where("seeds") + ": seeds must be non-negative integers, got " + s);
            }
            if (seeds.contains(s.asLong())) {
                throw new SweepFileException(src.where("seeds") + ": seed " + s.asLong() + " is listed twice");
            }
            seeds.add(s.asLong());
        }
        return seeds;
    }

    private static RandomSearch random(JsonNode n, Source src) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new SweepFileException(src.where("random") + ": 'random' must be a mapping with keys " + sorted(RANDOM_KEYS));
        }
        checkKeys(n, RANDOM_KEYS, src, "random.", new String[] {"random"});
        if (!n.has("samples")) {
            throw new SweepFileException(src.where("random") + ": 'random.samples' is required (how many configurations to draw)");
        }
        long samples = positiveLong(n.get("samples"), src, "random", "samples");
        if (samples > 100_000) {
            throw new SweepFileException(src.where("random", "samples") + ": 'random.samples' must be at most 100000, got " + samples);
        }
        long seed = 0;
        if (n.has("seed")) {
            JsonNode s = n.get("seed");
            if (!s.isIntegralNumber() || !s.canConvertToLong() || s.asLong() < 0) {
                throw new SweepFileException(src.where("random", "seed") + ": 'random.seed' must be a non-negative integer, got " + s);
            }
            seed = s.asLong();
        }
        JsonNode space = n.get("space");
        if (space == null || !space.isObject() || space.isEmpty()) {
            throw new SweepFileException(src.where("random", "space") + ": 'random.space' must map config keys to "
                    + "distributions, e.g. learning_rate: {loguniform: [1e-5, 1e-2]}");
        }
        Map<String, Distribution> dims = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = space.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            dims.put(e.getKey(), distribution(e.getKey(), e.getValue(), src));
        }
        return new RandomSearch((int) samples, seed, dims);
    }

    private static Distribution distribution(String key, JsonNode n, Source src) {
        String where = src.where("random", "space", key);
        String valid = "one of {uniform: [low, high]}, {loguniform: [low, high]}, {integer: [low, high]} or "
                + "{choice: [a, b, ...]}";
        if (!n.isObject() || n.size() != 1) {
            throw new SweepFileException(where + ": 'random.space." + key + "' must be " + valid + ", got " + n);
        }
        String kind = n.fieldNames().next();
        JsonNode args = n.get(kind);
        if (!Distribution.KINDS.contains(kind)) {
            throw new SweepFileException(where + ": unknown distribution '" + kind + "' for '" + key + "'; valid: "
                    + sorted(Distribution.KINDS));
        }
        if (!args.isArray() || args.isEmpty()) {
            throw new SweepFileException(where + ": '" + key + "." + kind + "' needs a list, got " + args);
        }
        List<Object> values = new ArrayList<>();
        for (JsonNode v : args) {
            values.add(value(v));
        }
        if (!kind.equals("choice")) {
            if (args.size() != 2 || !(values.get(0) instanceof Number low) || !(values.get(1) instanceof Number high)) {
                throw new SweepFileException(where + ": '" + key + "." + kind + "' needs two numbers [low, high], got " + args);
            }
            double lo = low.doubleValue();
            double hi = high.doubleValue();
            if (!(lo < hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
                throw new SweepFileException(where + ": '" + key + "." + kind + "' needs low < high, got " + args);
            }
            if (kind.equals("loguniform") && lo <= 0) {
                throw new SweepFileException(where + ": '" + key + ".loguniform' needs 0 < low < high, got " + args);
            }
            if (kind.equals("integer") && (!(low instanceof Long) || !(high instanceof Long))) {
                throw new SweepFileException(where + ": '" + key + ".integer' needs two integers [low, high], got " + args);
            }
        }
        return new Distribution(kind, values);
    }

    private static void checkKeys(JsonNode node, Set<String> valid, Source src, String prefix, String[] parents) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!valid.contains(key)) {
                String[] path = new String[parents.length + 1];
                System.arraycopy(parents, 0, path, 0, parents.length);
                path[parents.length] = key;
                throw new SweepFileException(src.where(path) + ": unknown key '" + prefix + key + "'; valid keys: "
                        + sorted(valid));
            }
        }
    }

    private static long positiveLong(JsonNode n, Source src, String... path) {
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() <= 0) {
            throw new SweepFileException(src.where(path) + ": '" + String.join(".", path)
                    + "' must be a positive integer, got " + n);
        }
        return n.asLong();
    }

    private static String text(JsonNode root, String key, Source src) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isValueNode()) {
            throw new SweepFileException(src.where(key) + ": '" + key + "' must be a single value, got " + n);
        }
        return n.asText();
    }

    private static Map<String, Object> mapping(JsonNode root, String key, Source src) {
        JsonNode n = root.get(key);
        Map<String, Object> map = new LinkedHashMap<>();
        if (n == null || n.isNull()) {
            return map;
        }
        if (!n.isObject()) {
            throw new SweepFileException(src.where(key) + ": '" + key + "' must be a mapping of key: value, got " + n);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), value(e.getValue()));
        }
        return map;
    }

    /** A YAML scalar or list as the plain Java value core's JSON writer and config parser take. */
    private static Object value(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isNull()) {
            return null;
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            for (JsonNode x : v) {
                list.add(value(x));
            }
            return list;
        }
        if (v.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), value(e.getValue()));
            }
            return m;
        }
        String t = v.asText();
        // YAML 1.1 reads 1e-3 (no dot) as text; it is meant as a number
        if (NUMBER.matcher(t).matches()) {
            return Double.parseDouble(t);
        }
        return t;
    }

    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)[eE][-+]?\\d+");

    private static String firstLine(String message) {
        for (String line : message.split("\\R")) {
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        return message;
    }

    private static String sorted(Set<String> keys) {
        return String.join(", ", new TreeSet<>(keys));
    }
}
