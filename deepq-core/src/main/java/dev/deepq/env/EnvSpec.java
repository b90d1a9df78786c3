package dev.deepq.env;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A registered environment, as Gymnasium's {@code EnvSpec}.
 *
 * @param id the id, e.g. {@code CartPole-v1}
 * @param factory builds the unwrapped env
 * @param maxEpisodeSteps the TimeLimit {@code make} applies, or null for none
 * @param rewardThreshold the return at which the task counts as solved, or null
 * @param defaultOptions every option the env takes, with its default ({@code make} rejects any other)
 * @param description one line for listings
 */
public record EnvSpec(String id, EnvFactory factory, Integer maxEpisodeSteps, Double rewardThreshold,
                      Map<String, Object> defaultOptions, String description) {
    public EnvSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(factory, "factory");
        if (id.isBlank()) {
            throw new IllegalArgumentException("env id must not be blank");
        }
        if (maxEpisodeSteps != null && maxEpisodeSteps <= 0) {
            throw new IllegalArgumentException(id + ": maxEpisodeSteps must be positive, got " + maxEpisodeSteps);
        }
        defaultOptions = Collections.unmodifiableMap(new LinkedHashMap<>(defaultOptions == null ? Map.of() : defaultOptions));
        description = description == null ? "" : description;
    }

    /** A spec with no options. */
    public static EnvSpec of(String id, EnvFactory factory, Integer maxEpisodeSteps, Double rewardThreshold) {
        return new EnvSpec(id, factory, maxEpisodeSteps, rewardThreshold, Map.of(), "");
    }

    /** The same spec with another episode limit (as {@code make(id, max_episode_steps=...)}). */
    public EnvSpec withMaxEpisodeSteps(Integer steps) {
        return new EnvSpec(id, factory, steps, rewardThreshold, defaultOptions, description);
    }
}
