package dev.deepq.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The presets shipped in the jar ({@code /presets/*.yaml}, listed in {@code /presets/index.txt}) and the reader for
 * preset files. A preset file is YAML with the keys {@code name, env, algo, source, description, env_options, config}
 * and, in run folders' {@code config.yaml}, {@code seed, eval, preset, provenance} too. Any other key is an error.
 */
public final class Presets {
    /** The top-level keys a preset file may have. */
    static final Set<String> KEYS = Set.of("name", "env", "algo", "source", "description", "env_options", "config",
            "seed", "eval", "preset", "provenance");
    private static final Set<String> EVAL_KEYS = Set.of("episodes", "frequency", "seed", "stop_above");
    private static final String INDEX = "/presets/index.txt";

    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private static volatile Map<String, Preset> shipped;

    private Presets() {}

    /** Every shipped preset by name, in index order. */
    public static Map<String, Preset> shipped() {
        Map<String, Preset> result = shipped;
        if (result == null) {
            result = new LinkedHashMap<>();
            for (String name : index()) {
                String resource = "/presets/" + name + ".yaml";
                try (InputStream in = Presets.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IllegalStateException("preset " + name + " is listed in " + INDEX + " but " + resource
                                + " is missing from the jar");
                    }
                    Preset p = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "preset " + name, name);
                    result.put(name, p);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
                }
            }
            shipped = result;
        }
        return result;
    }

    /** The names listed in the jar's preset index. */
    static List<String> index() {
        List<String> names = new ArrayList<>();
        try (InputStream in = Presets.class.getResourceAsStream(INDEX)) {
            if (in == null) {
                return names;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    names.add(t);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + INDEX, e);
        }
        return names;
    }

    /**
     * The preset {@code nameOrFile}: a shipped name, or a path to a YAML file. Unknown names are a user error listing
     * the valid ones; unreadable or malformed files are a user error naming the file (and line).
     */
    public static Preset resolve(String nameOrFile) {
        Preset p = shipped().get(nameOrFile);
        if (p != null) {
            return p;
        }
        Path file = Path.of(nameOrFile);
        boolean looksLikeFile = nameOrFile.endsWith(".yaml") || nameOrFile.endsWith(".yml") || nameOrFile.contains("/");
        if (Files.isDirectory(file) && Files.isRegularFile(file.resolve(RunFolder.CONFIG_FILE))) {
            file = file.resolve(RunFolder.CONFIG_FILE);
        } else if (!Files.isRegularFile(file)) {
            if (looksLikeFile) {
                throw new Main.UserException("--preset: file '" + nameOrFile + "' does not exist");
            }
            throw new Main.UserException("--preset: unknown preset '" + nameOrFile + "'; valid: "
                    + String.join(", ", shipped().keySet()) + " (see 'deepq presets'), or a path to a .yaml file");
        }
        return readFile(file);
    }

    /** Reads a preset file; problems are user errors naming the file and, for YAML syntax, the line. */
    public static Preset readFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Main.UserException("cannot read preset file " + file + ": " + e.getMessage(), e);
        }
        String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return parse(text, file.toString(), name);
    }

    /** The shipped preset used for {@code env} and {@code algo} when none is named: RL Zoo's, else CleanRL's. */
    public static Preset defaultFor(String env, String algo) {
        Preset p = shipped().get(algo + "-" + env);
        return p != null ? p : shipped().get(algo + "-" + env + "-cleanrl");
    }

    static Preset parse(String text, String origin, String defaultName) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() <= 0 ? "" : ", line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new Main.UserException(origin + where + ": malformed YAML: " + oneLine(e.getOriginalMessage()), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new Main.UserException(origin + ": the preset file is empty; it needs at least a 'config' mapping");
        }
        if (!root.isObject()) {
            throw new Main.UserException(origin + ": a preset file must be a YAML mapping of keys "
                    + String.join(", ", sorted(KEYS)) + "; got a " + root.getNodeType().toString().toLowerCase());
        }
        Preset shell = new Preset(defaultName, null, null, null, null, Map.of(), Map.of(), null, null, null, null, origin,
                text);
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new Main.UserException(shell.where(key) + ": unknown key '" + key + "'; valid keys: "
                        + String.join(", ", sorted(KEYS)));
            }
        }
        // A run folder's config.yaml keeps the name of the preset it was made from.
        String name = text(root, "name", shell) != null ? text(root, "name", shell) : text(root, "preset", shell);
        Map<String, Object> config = mapping(root, "config", shell);
        Map<String, Object> envOptions = mapping(root, "env_options", shell);
        Long seed = null;
        if (root.hasNonNull("seed")) {
            JsonNode s = root.get("seed");
            if (!s.canConvertToLong() || !s.isIntegralNumber() || s.asLong() < 0) {
                throw new Main.UserException(shell.where("seed") + ": seed must be a non-negative integer, got " + s);
            }
            seed = s.asLong();
        }
        Integer evalEpisodes = null;
        Long evalFrequency = null;
        Double evalStopAbove = null;
        if (root.hasNonNull("eval")) {
            JsonNode eval = root.get("eval");
            if (!eval.isObject()) {
                throw new Main.UserException(shell.where("eval") + ": eval must be a mapping with keys episodes, frequency, "
                        + "stop_above");
            }
            for (Iterator<String> it = eval.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!EVAL_KEYS.contains(key)) {
                    throw new Main.UserException(shell.where(key) + ": unknown key 'eval." + key + "'; valid: "
                            + String.join(", ", sorted(EVAL_KEYS)));
                }
            }
            if (eval.hasNonNull("episodes")) {
                evalEpisodes = (int) positive(eval.get("episodes"), "eval.episodes", shell.where("episodes"));
            }
            if (eval.hasNonNull("frequency")) {
                evalFrequency = positive(eval.get("frequency"), "eval.frequency", shell.where("frequency"));
            }
            if (eval.hasNonNull("stop_above")) {
                JsonNode n = eval.get("stop_above");
                if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
                    throw new Main.UserException(shell.where("stop_above") + ": eval.stop_above must be a finite number "
                            + "(a mean evaluation return), got " + n);
                }
                evalStopAbove = n.asDouble();
            }
        }
        return new Preset(name == null ? defaultName : name, text(root, "env", shell), text(root, "algo", shell),
                text(root, "source", shell), text(root, "description", shell), envOptions, config, seed, evalEpisodes,
                evalFrequency, evalStopAbove, origin, text);
    }

    /**
     * SnakeYAML's multi-line message on one line: its own location lines, the echoed source line and the caret
     * under it are dropped (the location is already in the message).
     */
    static String oneLine(String message) {
        StringBuilder sb = new StringBuilder();
        for (String line : message.split("\\R")) {
            if (line.isBlank() || line.startsWith(" in '") || line.startsWith("    ") || line.strip().equals("^")) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(line.strip());
        }
        return sb.toString();
    }

    private static long positive(JsonNode n, String key, String where) {
        if (!n.isIntegralNumber() || n.asLong() <= 0 || n.asLong() > Integer.MAX_VALUE) {
            throw new Main.UserException(where + ": " + key + " must be a positive integer, got " + n);
        }
        return n.asLong();
    }

    private static String text(JsonNode root, String key, Preset shell) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isValueNode()) {
            throw new Main.UserException(shell.where(key) + ": " + key + " must be a single value, got " + n);
        }
        return n.asText();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(JsonNode root, String key, Preset shell) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return new LinkedHashMap<>();
        }
        if (!n.isObject()) {
            throw new Main.UserException(shell.where(key) + ": " + key + " must be a mapping of key: value, got " + n);
        }
        try {
            return YAML.treeToValue(n, LinkedHashMap.class);
        } catch (JsonProcessingException e) {
            throw new Main.UserException(shell.where(key) + ": cannot read " + key + ": " + e.getOriginalMessage(), e);
        }
    }

    private static List<String> sorted(Set<String> keys) {
        List<String> list = new ArrayList<>(keys);
        list.sort(null);
        return list;
    }
}
