package dev.deepq.env.classic;

import dev.deepq.env.RgbFrame;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.Discrete;

/**
 * MountainCar-v0 exactly as Gymnasium 0.29.1's {@code MountainCarEnv} (Moore's mountain car): an underpowered car in
 * a valley accelerates left (0), not at all (1) or right (2), -1 per step, until it reaches position 0.5 with velocity
 * at least {@code goalVelocity}. It starts at rest at a position uniform in [-0.6, -0.4) from the env's generator.
 */
public final class MountainCar extends ClassicControlEnv {
    static final double MIN_POSITION = -1.2;
    static final double MAX_POSITION = 0.6;
    static final double MAX_SPEED = 0.07;
    static final double GOAL_POSITION = 0.5;
    static final double FORCE = 0.001;
    static final double GRAVITY = 0.0025;

    private final double goalVelocity;

    /** Gymnasium's default, {@code goal_velocity=0}. */
    public MountainCar() {
        this(0.0);
    }

    /** @param goalVelocity the velocity the car must at least have at the goal position for the episode to end */
    public MountainCar(double goalVelocity) {
        super(observationBox(), new Discrete(3), 2, "(position, velocity)");
        if (Double.isNaN(goalVelocity)) {
            throw new IllegalArgumentException("MountainCar goal_velocity must be a number, got NaN");
        }
        this.goalVelocity = goalVelocity;
    }

    static Box observationBox() {
        return Box.float32(new double[] {MIN_POSITION, -MAX_SPEED}, new double[] {MAX_POSITION, MAX_SPEED});
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
    protected void stepEnv(int action) {
        double position = state[0];
        double velocity = state[1];
        // Same operations in the same order as Gymnasium (math.cos is the C library's cos there).
        velocity += (action - 1) * FORCE + Math.cos(3 * position) * (-GRAVITY);
        velocity = Math.min(Math.max(velocity, -MAX_SPEED), MAX_SPEED);
        position += velocity;
        position = Math.min(Math.max(position, MIN_POSITION), MAX_POSITION);
        if (position == MIN_POSITION && velocity < 0) {
            velocity = 0.0;
        }
        state[0] = position;
        state[1] = velocity;
        boolean terminated = position >= GOAL_POSITION && velocity >= goalVelocity;
        writeObservation();
        result.set(-1.0, terminated, false);
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
