package dev.deepq.algo;

import dev.deepq.env.spaces.Space;
import dev.deepq.train.Agent;

/**
 * A named algorithm the command line and presets can build: its config record with defaults, and how to make an
 * agent from it. Every config has a {@code total_steps} key (the run length its schedules are relative to).
 *
 * @param <C> the config record
 */
public interface Algorithm<C extends Record> {
    /** The name used by {@code deepq train --algo NAME}. */
    String name();

    String description();

    /** The defaults (including the run length, {@code total_steps}). */
    C defaults();

    /** How many copies of the env the agent trains on. */
    int numEnvs(C config);

    long totalSteps(C config);

    /**
     * Builds the agent; an env whose spaces the algorithm cannot handle is an {@link IllegalArgumentException} that
     * says which space and what would work.
     */
    Agent create(Space observationSpace, Space actionSpace, C config, long seed);
}
