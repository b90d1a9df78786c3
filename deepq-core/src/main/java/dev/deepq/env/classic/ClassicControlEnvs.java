package dev.deepq.env.classic;

import dev.deepq.env.EnvSpec;
import dev.deepq.env.Envs;
import java.util.Map;

/** Registers the classic-control envs with Gymnasium 0.29.1's ids, options, limits and thresholds. */
public final class ClassicControlEnvs {
    private ClassicControlEnvs() {}

    /** Registers CartPole-v1, MountainCar-v0, MountainCarContinuous-v0, Acrobot-v1 and Pendulum-v1. */
    public static void registerAll() {
        Envs.register(new EnvSpec("CartPole-v1", o -> new CartPole(), 500, 475.0, Map.of(),
                "balance a pole on a cart; 2 discrete actions"));
        Envs.register(new EnvSpec("MountainCar-v0", o -> new MountainCar(o.getDouble("goal_velocity")), 200, -110.0,
                Map.of("goal_velocity", 0.0),
                "drive an underpowered car up a hill by rocking it; 3 discrete actions"));
        Envs.register(new EnvSpec("MountainCarContinuous-v0",
                o -> new MountainCarContinuous(o.getDouble("goal_velocity")), 999, 90.0,
                Map.of("goal_velocity", 0.0),
                "drive an underpowered car up a hill with a force in [-1, 1]; energy costs reward"));
        Envs.register(new EnvSpec("Acrobot-v1", o -> new Acrobot(), 500, -100.0, Map.of(),
                "swing the tip of a two-link pendulum above a line; 3 discrete torques"));
        Envs.register(new EnvSpec("Pendulum-v1", o -> new Pendulum(o.getDouble("g")), 200, null,
                Map.of("g", 10.0),
                "swing a pendulum up and hold it upright with a torque in [-2, 2]"));
    }
}
