package dev.deepq.env.toytext;

import dev.deepq.env.EnvSpec;
import dev.deepq.env.Envs;
import java.util.LinkedHashMap;
import java.util.Map;

/** Registers the toy-text envs with Gymnasium 0.29.1's ids, options, limits and thresholds. */
public final class ToyTextEnvs {
    private ToyTextEnvs() {}

    public static void registerAll() {
        Envs.register(new EnvSpec("FrozenLake-v1", FrozenLake::fromOptions, 100, 0.70, frozenLakeOptions("4x4"),
                "cross a frozen lake from S to G without falling into a hole; 4x4 map, slippery by default"));
        Envs.register(new EnvSpec("FrozenLake8x8-v1", FrozenLake::fromOptions, 200, 0.85, frozenLakeOptions("8x8"),
                "FrozenLake on the 8x8 map; slippery by default"));
        Envs.register(new EnvSpec("CliffWalking-v0", o -> new CliffWalking(), null, null, Map.of(),
                "walk along a 4x12 cliff to the goal; -1 per step, -100 for falling off; no time limit"));
        Envs.register(new EnvSpec("Taxi-v3", o -> new Taxi(), 200, 8.0, Map.of(),
                "pick up a passenger and drop them at their destination on a 5x5 grid; with action masks"));
    }

    /** Gymnasium's options (desc, map_name, is_slippery) plus deepq's map_size/map_seed for random maps. */
    private static Map<String, Object> frozenLakeOptions(String mapName) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("desc", null);
        options.put("map_name", mapName);
        options.put("is_slippery", true);
        options.put("map_size", 8);
        options.put("map_seed", 0L);
        return options;
    }
}
