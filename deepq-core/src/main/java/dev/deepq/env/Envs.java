package dev.deepq.env;

import dev.deepq.env.classic.ClassicControlEnvs;
import dev.deepq.env.toytext.ToyTextEnvs;
import dev.deepq.env.wrappers.TimeLimit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The environment registry, as {@code gymnasium.make} / {@code gymnasium.register}. Built-in envs are registered
 * with Gymnasium's ids, options, episode limits and reward thresholds; users add their own with {@link #register}.
 */
public final class Envs {
    private static final Map<String, EnvSpec> REGISTRY = new ConcurrentHashMap<>();

    static {
        ClassicControlEnvs.registerAll();
        ToyTextEnvs.registerAll();
        // envs of optional modules (deepq-box2d, ...) found on the class path; core itself depends on none of them
        for (EnvProvider provider : ServiceLoader.load(EnvProvider.class, Envs.class.getClassLoader())) {
            provider.registerAll();
        }
    }

    private Envs() {}

    /** Registers an env; an id registered twice is an error (use {@link #replace} to override on purpose). */
    public static void register(EnvSpec spec) {
        EnvSpec previous = REGISTRY.putIfAbsent(spec.id(), spec);
        if (previous != null) {
            throw new IllegalArgumentException("an environment with id '" + spec.id() + "' is already registered");
        }
    }

    /** Registers an env, replacing any registration with the same id. */
    public static void replace(EnvSpec spec) {
        REGISTRY.put(spec.id(), spec);
    }

    /** Registers a user env with no options. */
    public static void register(String id, EnvFactory factory, Integer maxEpisodeSteps, Double rewardThreshold) {
        register(EnvSpec.of(id, factory, maxEpisodeSteps, rewardThreshold));
    }

    /** Removes a registration (for tests and plugins). */
    public static void unregister(String id) {
        REGISTRY.remove(id);
    }

    /** All registered ids, sorted. */
    public static List<String> ids() {
        List<String> ids = new ArrayList<>(REGISTRY.keySet());
        ids.sort(Comparator.naturalOrder());
        return ids;
    }

    public static boolean isRegistered(String id) {
        return REGISTRY.containsKey(id);
    }

    /** The registration of {@code id}; an {@link UnknownEnvException} listing close matches if there is none. */
    public static EnvSpec spec(String id) {
        EnvSpec spec = REGISTRY.get(id);
        if (spec == null) {
            throw new UnknownEnvException(id, closeMatches(id));
        }
        return spec;
    }

    /** {@code make(id)}: the env with its default options, wrapped in its TimeLimit. */
    public static Env make(String id) {
        return make(id, Map.of());
    }

    /** {@code make(id, **options)}; an option the env does not take is an error that lists the ones it does. */
    public static Env make(String id, Map<String, ?> options) {
        return make(id, options, null);
    }

    /**
     * {@code make(id, max_episode_steps=maxEpisodeSteps, **options)}; {@code maxEpisodeSteps} null keeps the
     * registered limit.
     */
    public static Env make(String id, Map<String, ?> options, Integer maxEpisodeSteps) {
        EnvSpec spec = spec(id);
        Map<String, Object> merged = new LinkedHashMap<>(spec.defaultOptions());
        for (Map.Entry<String, ?> e : options.entrySet()) {
            if (!spec.defaultOptions().containsKey(e.getKey())) {
                throw new IllegalArgumentException(id + " does not take option '" + e.getKey() + "'; "
                        + (spec.defaultOptions().isEmpty() ? "it takes no options"
                                : "valid options: " + String.join(", ", spec.defaultOptions().keySet())));
            }
            merged.put(e.getKey(), e.getValue());
        }
        EnvSpec effective = maxEpisodeSteps == null ? spec : spec.withMaxEpisodeSteps(maxEpisodeSteps);
        Env env = spec.factory().create(new EnvOptions(id, merged));
        env.setSpec(effective);
        if (effective.maxEpisodeSteps() != null) {
            env = new TimeLimit(env, effective.maxEpisodeSteps());
            env.setSpec(effective);
        }
        return env;
    }

    /** Registered ids close to {@code id}: same name ignoring case and version, or a small edit distance. */
    static List<String> closeMatches(String id) {
        String wanted = normalize(id);
        List<String> matches = new ArrayList<>();
        for (String candidate : ids()) {
            String c = normalize(candidate);
            int distance = editDistance(wanted, c);
            if (distance <= Math.max(2, wanted.length() / 4) || c.startsWith(baseName(wanted)) && !baseName(wanted).isEmpty()) {
                matches.add(candidate);
            }
        }
        matches.sort(Comparator.comparingInt(c -> editDistance(wanted, normalize(c))));
        return matches.size() > 5 ? matches.subList(0, 5) : matches;
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static String baseName(String s) {
        int dash = s.lastIndexOf("-v");
        return dash > 0 ? s.substring(0, dash) : s;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
