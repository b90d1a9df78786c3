package dev.deepq.env.classic;

import dev.deepq.env.RgbFrame;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.Discrete;
import java.util.Objects;

/**
 * Acrobot-v1 exactly as Gymnasium 0.29.1's {@code AcrobotEnv}: two links hang from a pivot, a torque of -1, 0 or +1
 * (actions 0, 1, 2) acts on the joint between them, -1 per step until the free end rises one link length above the
 * pivot ({@code -cos(theta1) - cos(theta1 + theta2) > 1}). Sutton and Barto's book dynamics (or the NIPS paper's),
 * integrated over 0.2 s by one fourth-order Runge-Kutta step on the state augmented with the torque, exactly as
 * Gymnasium's {@code rk4}; angles are then wrapped to [-pi, pi] and velocities bounded to +-4pi and +-9pi.
 *
 * <p>The state (theta1, theta2, dtheta1, dtheta2) starts uniform in [-0.1, 0.1)^4, rounded to float32 as Gymnasium
 * does; the observation is (cos theta1, sin theta1, cos theta2, sin theta2, dtheta1, dtheta2).
 */
public final class Acrobot extends ClassicControlEnv {
    /** Which equations of motion to use; Gymnasium's {@code book_or_nips}. */
    public enum Dynamics {
        /** Sutton and Barto's book (and Gymnasium's default). */
        BOOK,
        /** The NIPS 1995 paper, which misses a term. */
        NIPS
    }

    static final double DT = 0.2;
    static final double LINK_LENGTH_1 = 1.0;
    static final double LINK_LENGTH_2 = 1.0;
    static final double LINK_MASS_1 = 1.0;
    static final double LINK_MASS_2 = 1.0;
    static final double LINK_COM_POS_1 = 0.5;
    static final double LINK_COM_POS_2 = 0.5;
    static final double LINK_MOI = 1.0;
    static final double MAX_VEL_1 = 4 * Math.PI;
    static final double MAX_VEL_2 = 9 * Math.PI;
    /** The torque of each action. */
    static final double[] AVAIL_TORQUE = {-1.0, 0.0, +1.0};
    private static final double G = 9.8;

    private final Dynamics dynamics;
    private final double torqueNoiseMax;
    // rk4 work arrays: the augmented state (theta1, theta2, dtheta1, dtheta2, torque) and its derivatives.
    private final double[] y0 = new double[5];
    private final double[] yStage = new double[5];
    private final double[] k1 = new double[5];
    private final double[] k2 = new double[5];
    private final double[] k3 = new double[5];
    private final double[] k4 = new double[5];

    /** Gymnasium's Acrobot-v1: book dynamics, no torque noise. */
    public Acrobot() {
        this(Dynamics.BOOK, 0.0);
    }

    /**
     * @param dynamics the equations of motion
     * @param torqueNoiseMax when positive, each step adds noise uniform in [-max, max) from the env's generator to the
     *     torque (Gymnasium's {@code torque_noise_max})
     */
    public Acrobot(Dynamics dynamics, double torqueNoiseMax) {
        super(observationBox(), new Discrete(3), 4, "(theta1, theta2, dtheta1, dtheta2)");
        if (!(torqueNoiseMax >= 0) || Double.isInfinite(torqueNoiseMax)) {
            throw new IllegalArgumentException("Acrobot torqueNoiseMax must be a finite number >= 0, got " + torqueNoiseMax);
        }
        this.dynamics = Objects.requireNonNull(dynamics, "dynamics");
        this.torqueNoiseMax = torqueNoiseMax;
    }

    private static Box observationBox() {
        double[] high = {1.0, 1.0, 1.0, 1.0, MAX_VEL_1, MAX_VEL_2};
        double[] low = new double[6];
        for (int i = 0; i < 6; i++) {
            low[i] = -high[i];
        }
        return Box.float32(low, high);
    }

    @Override
    protected void resetEnv(boolean seeded, long seed) {
        rng().uniform(-0.1, 0.1, state);
        for (int i = 0; i < 4; i++) {
            state[i] = (float) state[i];
        }
        writeObservation();
    }

    @Override
    protected void stepEnv(int action) {
        double torque = AVAIL_TORQUE[action];
        if (torqueNoiseMax > 0) {
            torque += rng().uniform(-torqueNoiseMax, torqueNoiseMax);
        }
        System.arraycopy(state, 0, y0, 0, 4);
        y0[4] = torque;
        rk4Step();
        state[0] = wrap(y0[0], -Math.PI, Math.PI);
        state[1] = wrap(y0[1], -Math.PI, Math.PI);
        state[2] = bound(y0[2], -MAX_VEL_1, MAX_VEL_1);
        state[3] = bound(y0[3], -MAX_VEL_2, MAX_VEL_2);
        boolean terminated = -Math.cos(state[0]) - Math.cos(state[1] + state[0]) > 1.0;
        writeObservation();
        result.set(terminated ? 0.0 : -1.0, terminated, false);
    }

    /**
     * One step of Gymnasium's {@code rk4(self._dsdt, s_augmented, [0, dt])} on {@link #y0}, in place, with its
     * element-wise operations in the same order (so the same roundings).
     */
    private void rk4Step() {
        // Gymnasium integrates over t = [0, dt]: its step is t[1] - t[0] and the half step (t[1] - t[0]) / 2.0.
        double dt = DT - 0;
        double dt2 = dt / 2.0;
        derivatives(y0, k1);
        stage(dt2, k1);
        derivatives(yStage, k2);
        stage(dt2, k2);
        derivatives(yStage, k3);
        stage(dt, k3);
        derivatives(yStage, k4);
        double sixth = dt / 6.0;
        for (int i = 0; i < 5; i++) {
            y0[i] = y0[i] + sixth * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
    }

    private void stage(double h, double[] k) {
        for (int i = 0; i < 5; i++) {
            yStage[i] = y0[i] + h * k[i];
        }
    }

    /** Gymnasium's {@code _dsdt}: the time derivative of the augmented state (the torque's is 0). */
    private void derivatives(double[] s, double[] out) {
        final double m1 = LINK_MASS_1;
        final double m2 = LINK_MASS_2;
        final double l1 = LINK_LENGTH_1;
        final double lc1 = LINK_COM_POS_1;
        final double lc2 = LINK_COM_POS_2;
        final double i1 = LINK_MOI;
        final double i2 = LINK_MOI;
        final double g = G;
        double a = s[4];
        double theta1 = s[0];
        double theta2 = s[1];
        double dtheta1 = s[2];
        double dtheta2 = s[3];
        double cosTheta2 = Math.cos(theta2);
        double sinTheta2 = Math.sin(theta2);
        double d1 = m1 * (lc1 * lc1) + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * cosTheta2) + i1 + i2;
        double d2 = m2 * (lc2 * lc2 + l1 * lc2 * cosTheta2) + i2;
        double phi2 = m2 * lc2 * g * Math.cos(theta1 + theta2 - Math.PI / 2.0);
        double phi1 = -m2 * l1 * lc2 * (dtheta2 * dtheta2) * sinTheta2
                - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * sinTheta2
                + (m1 * lc1 + m2 * l1) * g * Math.cos(theta1 - Math.PI / 2)
                + phi2;
        double ddtheta2;
        if (dynamics == Dynamics.NIPS) {
            ddtheta2 = (a + d2 / d1 * phi1 - phi2) / (m2 * (lc2 * lc2) + i2 - (d2 * d2) / d1);
        } else {
            ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * (dtheta1 * dtheta1) * sinTheta2 - phi2)
                    / (m2 * (lc2 * lc2) + i2 - (d2 * d2) / d1);
        }
        double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
        out[0] = dtheta1;
        out[1] = dtheta2;
        out[2] = ddtheta1;
        out[3] = ddtheta2;
        out[4] = 0.0;
    }

    /** Gymnasium's {@code wrap}: shifts {@code x} by whole multiples of {@code max - min} into [min, max]. */
    static double wrap(double x, double min, double max) {
        double diff = max - min;
        while (x > max) {
            x = x - diff;
        }
        while (x < min) {
            x = x + diff;
        }
        return x;
    }

    /** Gymnasium's {@code bound}: {@code min(max(x, m), M)}. */
    static double bound(double x, double min, double max) {
        return Math.min(Math.max(x, min), max);
    }

    @Override
    protected void writeObservation() {
        observation[0] = (float) Math.cos(state[0]);
        observation[1] = (float) Math.sin(state[0]);
        observation[2] = (float) Math.cos(state[1]);
        observation[3] = (float) Math.sin(state[1]);
        observation[4] = (float) state[2];
        observation[5] = (float) state[3];
    }

    /** A 500x500 picture like Gymnasium's {@code rgb_array}: the two links, their joints and the goal line. */
    @Override
    public RgbFrame renderRgb() {
        final int size = 500;
        double bound = LINK_LENGTH_1 + LINK_LENGTH_2 + 0.2;
        double scale = size / (bound * 2);
        double offset = size / 2.0;
        Canvas canvas = new Canvas(size, size);
        double p1x = -LINK_LENGTH_1 * Math.cos(state[0]) * scale;
        double p1y = LINK_LENGTH_1 * Math.sin(state[0]) * scale;
        // Gymnasium swaps the coordinates of the joints before drawing (xys[:, ::-1]).
        double[] jointX = {0, p1y};
        double[] jointY = {0, p1x};
        double[] linkAngle = {state[0] - Math.PI / 2, state[0] + state[1] - Math.PI / 2};
        double[] linkLength = {LINK_LENGTH_1 * scale, LINK_LENGTH_2 * scale};

        canvas.line(-2.2 * scale + offset, 1 * scale + offset, 2.2 * scale + offset, 1 * scale + offset, Canvas.BLACK);
        for (int i = 0; i < 2; i++) {
            double x = jointX[i] + offset;
            double y = jointY[i] + offset;
            canvas.rotatedRectangle(0, linkLength[i], 0.1 * scale, -0.1 * scale, linkAngle[i], x, y, 0x00CCCC);
            canvas.disc((int) x, (int) y, (int) (0.1 * scale), 0xCCCC00);
        }
        return canvas.toFrame();
    }
}
