package dev.deepq.env.classic;

import dev.deepq.env.EnvSpec;
import dev.deepq.env.Envs;
import java.util.Map;

/** Registers the classic-control envs with Gymnasium 0.29.1's ids, limits and thresholds. */
public final class ClassicControlEnvs {
    private ClassicControlEnvs() {}

    public static void registerAll() {
        Envs.register(new EnvSpec("CartPole-v1", o -> new CartPole(), 500, 475.0, Map.of(),
                "balance a pole on a cart; 2 discrete actions"));
    }
}
