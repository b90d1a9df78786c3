package dev.deepq.env.classic;

import dev.deepq.env.RgbFrame;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.DType;

/**
 * MountainCarContinuous-v0 exactly as Gymnasium 0.29.1's {@code Continuous_MountainCarEnv}: the car pushes with a
 * force in [-1, 1] (times a power of 0.0015), pays 0.1 * action^2 per step, and gets +100 on reaching position 0.45
 * with velocity at least {@code goalVelocity}, which ends the episode.
 *
 * <p>As in Gymnasium, the state is stored as float32 after every step (it starts as float64 from reset), and the
 * reward uses the action as given, before clipping.
 */
public final class MountainCarContinuous extends ClassicControlEnv {
    static final double MIN_ACTION = -1.0;
    static final double MAX_ACTION = 1.0;
    static final double MIN_POSITION = -1.2;
    static final double MAX_POSITION = 0.6;
    static final double MAX_SPEED = 0.07;
    static final double GOAL_POSITION = 0.45;
    static final double POWER = 0.0015;

    private final double goalVelocity;

    /** Gymnasium's default, {@code goal_velocity=0}. */
    public MountainCarContinuous() {
        this(0.0);
    }

    /** @param goalVelocity the velocity the car must at least have at the goal position for the episode to end */
    public MountainCarContinuous(double goalVelocity) {
        super(MountainCar.observationBox(), new Box(MIN_ACTION, MAX_ACTION, new int[] {1}, DType.FLOAT32), 2,
                "(position, velocity)");
        if (Double.isNaN(goalVelocity)) {
            throw new IllegalArgumentException("MountainCarContinuous goal_velocity must be a number, got NaN");
        }
        this.goalVelocity = goalVelocity;
    }

    /** The velocity the car needs at the goal position for the episode to end. */
    public double goalVelocity() {
        return goalVelocity;
    }

    @Override
    protected void resetEnv(boolean seeded, long seed) {
        state[0] = rng().uniform(-0.6, -0.4);
        state[1] = 0.0;
        writeObservation();
    }

    @Override
    protected void stepEnv(double[] action) {
        // Gymnasium's actions are float32 arrays; the arithmetic below then runs in float64.
        double a = (float) action[0];
        double position = state[0];
        double velocity = state[1];
        double force = Math.min(Math.max(a, MIN_ACTION), MAX_ACTION);

        velocity += force * POWER - 0.0025 * Math.cos(3 * position);
        if (velocity > MAX_SPEED) {
            velocity = MAX_SPEED;
        }
        if (velocity < -MAX_SPEED) {
            velocity = -MAX_SPEED;
        }
        position += velocity;
        if (position > MAX_POSITION) {
            position = MAX_POSITION;
        }
        if (position < MIN_POSITION) {
            position = MIN_POSITION;
        }
        if (position == MIN_POSITION && velocity < 0) {
            velocity = 0.0;
        }
        boolean terminated = position >= GOAL_POSITION && velocity >= goalVelocity;
        double reward = (terminated ? 100.0 : 0.0) - a * a * 0.1;

        state[0] = (float) position;
        state[1] = (float) velocity;
        writeObservation();
        result.set(reward, terminated, false);
    }

    @Override
    protected void writeObservation() {
        observation[0] = (float) state[0];
        observation[1] = (float) state[1];
    }

    /** A 600x400 picture like Gymnasium's {@code rgb_array}: the valley, the car and the flag at the goal. */
    @Override
    public RgbFrame renderRgb() {
        return MountainCarPicture.draw(state[0], GOAL_POSITION);
    }
}
