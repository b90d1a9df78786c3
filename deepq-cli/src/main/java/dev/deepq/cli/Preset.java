package dev.deepq.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named set of hyperparameters for one env and algorithm, read from YAML (a shipped preset or a user's file,
 * including a run folder's {@code config.yaml}).
 *
 * @param name the preset's name ({@code dqn-CartPole-v1}), or the file name for a user's file
 * @param env the env id it is for, or null when it leaves the env to the command line
 * @param algo the algorithm it is for, or null when it leaves the algorithm to the command line
 * @param source where the values come from (a paper, RL Zoo, CleanRL, a documented check)
 * @param description one line for listings
 * @param envOptions env options ({@code gymnasium.make} kwargs)
 * @param config algorithm config keys (snake_case) and values, applied over the algorithm's defaults
 * @param seed the run seed, when the file fixes one (run folders do)
 * @param evalEpisodes evaluation episodes, when the file fixes them
 * @param evalFrequency env steps between evaluations, when the file fixes it
 * @param evalStopAbove the mean evaluation return above which training stops, when the file sets one
 * @param origin where it was read from, for messages: {@code preset dqn-CartPole-v1} or a file path
 * @param text the YAML text as read (for {@code deepq presets show} and line numbers in messages)
 */
public record Preset(String name, String env, String algo, String source, String description,
                     Map<String, Object> envOptions, Map<String, Object> config, Long seed, Integer evalEpisodes,
                     Long evalFrequency, Double evalStopAbove, String origin, String text) {
    public Preset {
        envOptions = Collections.unmodifiableMap(new LinkedHashMap<>(envOptions));
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    /** The 1-based line on which {@code key:} first appears in the file, or 0 when it cannot be found. */
    public int lineOf(String key) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String t = lines[i].strip();
            if (t.startsWith(key + ":") || t.startsWith("\"" + key + "\":") || t.startsWith("'" + key + "':")) {
                return i + 1;
            }
        }
        return 0;
    }

    /** {@code origin}, with the line of {@code key} when it can be found: "file.yaml, line 7". */
    public String where(String key) {
        int line = lineOf(key);
        return line > 0 ? origin + ", line " + line : origin;
    }
}
