package dev.deepq.env.classic;

import dev.deepq.env.RgbFrame;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.DType;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;

/**
 * Pendulum-v1 exactly as Gymnasium 0.29.1's {@code PendulumEnv}: swing a pendulum up and keep it upright with a torque
 * in [-2, 2]. The reward is {@code -(angle^2 + 0.1 * velocity^2 + 0.001 * torque^2)} with the angle normalized to
 * [-pi, pi) (0 is upright), computed from the state before the step; episodes never terminate (the time limit
 * truncates them). The state (theta, theta_dot) starts uniform in [-pi, pi) x [-1, 1).
 *
 * <p>The action is float32, as in Gymnasium, and is widened to float64 inside the dynamics.
 */
public final class Pendulum extends ClassicControlEnv {
    static final double MAX_SPEED = 8;
    static final double MAX_TORQUE = 2.0;
    static final double DT = 0.05;
    static final double MASS = 1.0;
    static final double LENGTH = 1.0;
    static final double DEFAULT_GRAVITY = 10.0;

    private final double g;
    /** The last torque applied, for the picture; NaN before the first step of an episode. */
    private double lastTorque = Double.NaN;

    /** Gymnasium's default, {@code g=10.0}. */
    public Pendulum() {
        this(DEFAULT_GRAVITY);
    }

    /** @param g the acceleration of gravity (m/s^2) */
    public Pendulum(double g) {
        super(observationBox(), new Box(-MAX_TORQUE, MAX_TORQUE, new int[] {1}, DType.FLOAT32), 2,
                "(theta, theta_dot)");
        if (!Double.isFinite(g)) {
            throw new IllegalArgumentException("Pendulum g must be a finite number, got " + g);
        }
        this.g = g;
    }

    private static Box observationBox() {
        return Box.float32(new double[] {-1.0, -1.0, -MAX_SPEED}, new double[] {1.0, 1.0, MAX_SPEED});
    }

    /** The acceleration of gravity, Gymnasium's {@code g}. */
    public double gravity() {
        return g;
    }

    @Override
    protected void resetEnv(boolean seeded, long seed) {
        state[0] = rng().uniform(-Math.PI, Math.PI);
        state[1] = rng().uniform(-1.0, 1.0);
        lastTorque = Double.NaN;
        writeObservation();
    }

    @Override
    protected void stepEnv(double[] action) {
        double th = state[0];
        double thdot = state[1];
        // np.clip of the float32 action stays float32; every product with it below is float64 (NumPy 1.x promotion).
        double u = Math.min(Math.max((float) action[0], (float) -MAX_TORQUE), (float) MAX_TORQUE);
        lastTorque = u;
        double normalized = angleNormalize(th);
        double costs = normalized * normalized + 0.1 * (thdot * thdot) + 0.001 * (u * u);

        double newthdot = thdot + (3 * g / (2 * LENGTH) * Math.sin(th) + 3.0 / (MASS * (LENGTH * LENGTH)) * u) * DT;
        newthdot = Math.min(Math.max(newthdot, -MAX_SPEED), MAX_SPEED);
        double newth = th + newthdot * DT;
        state[0] = newth;
        state[1] = newthdot;
        writeObservation();
        result.set(-costs, false, false);
    }

    /** Gymnasium's {@code angle_normalize}: {@code ((x + pi) % (2 pi)) - pi} with Python's floored modulo. */
    static double angleNormalize(double x) {
        return pythonModulo(x + Math.PI, 2 * Math.PI) - Math.PI;
    }

    /** NumPy's float remainder: C's fmod (Java's %), moved to the sign of the divisor. */
    static double pythonModulo(double a, double b) {
        double mod = a % b;
        if (mod != 0) {
            if ((b < 0) != (mod < 0)) {
                mod += b;
            }
        } else {
            mod = Math.copySign(0.0, b);
        }
        return mod;
    }

    @Override
    protected void saveEnvState(StateWriter out) {
        super.saveEnvState(out);
        out.putDouble("last_torque", lastTorque);
    }

    @Override
    protected void restoreEnvState(StateReader in) {
        super.restoreEnvState(in);
        lastTorque = in.getDouble("last_torque");
    }

    @Override
    protected void writeObservation() {
        observation[0] = (float) Math.cos(state[0]);
        observation[1] = (float) Math.sin(state[0]);
        observation[2] = (float) state[1];
    }

    /**
     * A 500x500 picture like Gymnasium's {@code rgb_array}: the rod, its axle, and a circular arrow sized by the last
     * torque (counter-clockwise for positive torque).
     */
    @Override
    public RgbFrame renderRgb() {
        final int size = 500;
        double bound = 2.2;
        double scale = size / (bound * 2);
        int offset = size / 2;
        double rodLength = 1 * scale;
        double rodWidth = 0.2 * scale;
        double angle = state[0] + Math.PI / 2;
        int red = 0xCC4D4D;
        Canvas canvas = new Canvas(size, size);
        canvas.rotatedRectangle(0, rodLength, rodWidth / 2, -rodWidth / 2, angle, offset, offset, red);
        canvas.disc(offset, offset, (int) (rodWidth / 2), red);
        int endX = (int) (rodLength * Math.cos(angle) + offset);
        int endY = (int) (rodLength * Math.sin(angle) + offset);
        canvas.disc(endX, endY, (int) (rodWidth / 2), red);
        if (!Double.isNaN(lastTorque) && lastTorque != 0) {
            canvas.circularArrow(offset, offset, scale * Math.abs(lastTorque) / 2, lastTorque > 0, Canvas.BLACK);
        }
        canvas.disc(offset, offset, (int) (0.05 * scale), Canvas.BLACK);
        return canvas.toFrame();
    }
}
