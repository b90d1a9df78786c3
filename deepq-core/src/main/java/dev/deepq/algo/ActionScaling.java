package dev.deepq.algo;

import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.Space;

/**
 * Maps a policy's actions in [-1, 1] onto a Box's bounds and back, per dimension, as Stable-Baselines3's
 * {@code scale_action}/{@code unscale_action}: {@code x = low + (a + 1) (high - low) / 2}. Needs finite bounds.
 */
final class ActionScaling {
    private final double[] low;
    private final double[] high;
    private final double[] halfRange;

    ActionScaling(Space actionSpace, String algorithm) {
        if (!(actionSpace instanceof Box box)) {
            throw new IllegalArgumentException(algorithm + " needs a Box action space, got " + actionSpace
                    + "; for discrete actions use DQN");
        }
        int n = box.size();
        low = new double[n];
        high = new double[n];
        halfRange = new double[n];
        for (int i = 0; i < n; i++) {
            if (!box.isBoundedBelow(i) || !box.isBoundedAbove(i)) {
                throw new IllegalArgumentException(algorithm + " needs finite action bounds (its policy is squashed"
                        + " into them), but dimension " + i + " of " + box + " is unbounded");
            }
            low[i] = box.low(i);
            high[i] = box.high(i);
            halfRange[i] = 0.5 * (high[i] - low[i]);
        }
    }

    int size() {
        return low.length;
    }

    /** The env action for policy action {@code a} in dimension {@code dim} (clipped into the bounds). */
    double toEnv(int dim, double a) {
        return Math.min(high[dim], Math.max(low[dim], low[dim] + (a + 1) * halfRange[dim]));
    }

    /** The policy action in [-1, 1] for env action {@code x}. */
    double toPolicy(int dim, double x) {
        return Math.min(1, Math.max(-1, (x - low[dim]) / halfRange[dim] - 1));
    }
}
