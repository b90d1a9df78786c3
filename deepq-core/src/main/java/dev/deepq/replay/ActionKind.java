package dev.deepq.replay;

import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.Space;

/** How a replay buffer stores actions. */
public enum ActionKind {
    /**
     * Integer actions in an {@code int[]}: one number for a Discrete space, one per dimension (flattened) for
     * MultiDiscrete and MultiBinary.
     */
    DISCRETE,
    /** Real-valued actions (Box spaces) in a {@code float[]}, one number per dimension. */
    CONTINUOUS;

    /** The kind that stores elements of {@code actionSpace}: CONTINUOUS for a Box, DISCRETE otherwise. */
    public static ActionKind of(Space actionSpace) {
        return actionSpace instanceof Box ? CONTINUOUS : DISCRETE;
    }
}
