package dev.deepq.spark;

import dev.deepq.io.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of a sweep: an env, an algorithm, its config and a seed. The config is {@code base} (the preset, the sweep's
 * {@code base} keys and {@code steps}, resolved on the driver) with {@code overrides} (the grid point or random sample)
 * applied on top when the task runs, so a bad value fails that task only.
 *
 * <p>Tasks travel to Spark executors as JSON text (no Java serialization of deepq classes). Their ids are content
 * hashes, so the same settings give the same id in every sweep, which is how a re-run finds completed tasks.
 *
 * @param env env id
 * @param envOptions env options
 * @param algo algorithm name
 * @param preset the preset the base config came from, or {@code none}
 * @param base the config keys applied over the algorithm's defaults
 * @param overrides this task's grid point or random sample, applied over {@code base}
 * @param seed the run seed
 * @param evalEpisodes greedy episodes per evaluation
 * @param evalFrequency env steps between evaluations
 */
public record SweepTask(String env, Map<String, Object> envOptions, String algo, String preset,
                        Map<String, Object> base, Map<String, Object> overrides, long seed, int evalEpisodes,
                        long evalFrequency) {
    public SweepTask {
        envOptions = normalized(envOptions);
        base = normalized(base);
        overrides = normalized(overrides);
    }

    /** The map as it reads back from JSON (integers as Long), so equal settings give equal tasks and ids. */
    private static Map<String, Object> normalized(Map<String, Object> map) {
        return Json.parseObject(Json.write(map));
    }

    /** The task as a JSON object (what executors receive and what {@code tasks/ID.json} records). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = configMap();
        m.put("seed", seed);
        return m;
    }

    private Map<String, Object> configMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("env", env);
        m.put("env_options", envOptions);
        m.put("algo", algo);
        m.put("preset", preset);
        m.put("base", base);
        m.put("overrides", overrides);
        m.put("eval_episodes", evalEpisodes);
        m.put("eval_frequency", evalFrequency);
        return m;
    }

    public String toJson() {
        return Json.write(toMap());
    }

    @SuppressWarnings("unchecked")
    public static SweepTask fromJson(String json) {
        Map<String, Object> m = Json.parseObject(json);
        return new SweepTask((String) m.get("env"), (Map<String, Object>) m.get("env_options"), (String) m.get("algo"),
                (String) m.get("preset"), (Map<String, Object>) m.get("base"), (Map<String, Object>) m.get("overrides"),
                ((Number) m.get("seed")).longValue(), ((Number) m.get("eval_episodes")).intValue(),
                ((Number) m.get("eval_frequency")).longValue());
    }

    /** A hash of everything the run depends on: equal ids, equal results. */
    public String id() {
        return hash(toJson());
    }

    /** A hash of everything but the seed: the tasks of one configuration share it. */
    public String configId() {
        return hash(Json.write(configMap()));
    }

    /** The overrides as {@code key=value, ...} for tables ("base" when there are none). */
    public String label() {
        if (overrides.isEmpty()) {
            return "base";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            Object v = e.getValue();
            sb.append(e.getKey()).append('=').append(v instanceof List<?> || v instanceof Map<?, ?> ? Json.write(v) : v);
        }
        return sb.toString();
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
