package dev.deepq.box2d;

import dev.deepq.env.EnvOptions;
import dev.deepq.env.EnvProvider;
import dev.deepq.env.EnvSpec;
import dev.deepq.env.Envs;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers the Box2D envs with Gymnasium 1.0.0's ids, options, limits and thresholds. {@link Envs} finds this class
 * through {@link java.util.ServiceLoader} when deepq-box2d is on the class path.
 */
public final class Box2dEnvs implements EnvProvider {
    /** Registers LunarLander-v3 and LunarLanderContinuous-v3 (TimeLimit 1000, reward threshold 200). */
    @Override
    public void registerAll() {
        Envs.register(new EnvSpec("LunarLander-v3", o -> lunarLander(o.getBoolean("continuous"), o), 1000, 200.0,
                lunarLanderOptions(false),
                "land a rocket on a pad with 4 discrete engine actions (Box2D)"));
        Envs.register(new EnvSpec("LunarLanderContinuous-v3", o -> lunarLander(o.getBoolean("continuous"), o), 1000,
                200.0, lunarLanderOptions(true),
                "land a rocket on a pad with main and side engine throttles in [-1, 1] (Box2D)"));
    }

    private static LunarLander lunarLander(boolean continuous, EnvOptions o) {
        return new LunarLander(continuous, o.getDouble("gravity"), o.getBoolean("enable_wind"),
                o.getDouble("wind_power"), o.getDouble("turbulence_power"));
    }

    private static Map<String, Object> lunarLanderOptions(boolean continuous) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("continuous", continuous);
        options.put("gravity", -10.0);
        options.put("enable_wind", false);
        options.put("wind_power", 15.0);
        options.put("turbulence_power", 1.5);
        return options;
    }
}
