package dev.deepq.env.classic;

import dev.deepq.env.RgbFrame;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;

/**
 * CartPole-v1 exactly as Gymnasium 0.29.1's {@code CartPoleEnv} (Barto, Sutton and Anderson's cart-pole with
 * Euler integration): push the cart left (0) or right (1), +1 per step until the pole falls past 12 degrees or the
 * cart leaves [-2.4, 2.4]. The initial state is uniform in [-0.05, 0.05]^4 from the env's generator.
 */
public final class CartPole extends ClassicControlEnv {
    static final double GRAVITY = 9.8;
    static final double MASS_CART = 1.0;
    static final double MASS_POLE = 0.1;
    static final double TOTAL_MASS = MASS_POLE + MASS_CART;
    static final double LENGTH = 0.5;
    static final double POLE_MASS_LENGTH = MASS_POLE * LENGTH;
    static final double FORCE_MAG = 10.0;
    static final double TAU = 0.02;
    static final double THETA_THRESHOLD_RADIANS = 12 * 2 * Math.PI / 360;
    static final double X_THRESHOLD = 2.4;
    static final float FLOAT32_MAX = Float.MAX_VALUE;

    private boolean terminatedAlready;

    public CartPole() {
        super(observationBox(), new Discrete(2), 4, "(x, x_dot, theta, theta_dot)");
    }

    private static Box observationBox() {
        double[] high = {X_THRESHOLD * 2, FLOAT32_MAX, THETA_THRESHOLD_RADIANS * 2, FLOAT32_MAX};
        double[] low = new double[4];
        for (int i = 0; i < 4; i++) {
            low[i] = -high[i];
        }
        return Box.float32(low, high);
    }

    @Override
    protected void resetEnv(boolean seeded, long seed) {
        rng().uniform(-0.05, 0.05, state);
        terminatedAlready = false;
        writeObservation();
    }

    @Override
    protected void stepEnv(int action) {
        double x = state[0];
        double xDot = state[1];
        double theta = state[2];
        double thetaDot = state[3];
        double force = action == 1 ? FORCE_MAG : -FORCE_MAG;
        double cosTheta = SmallAngleTrig.cos(theta);
        double sinTheta = SmallAngleTrig.sin(theta);

        double temp = (force + POLE_MASS_LENGTH * (thetaDot * thetaDot) * sinTheta) / TOTAL_MASS;
        double thetaAcc = (GRAVITY * sinTheta - cosTheta * temp)
                / (LENGTH * (4.0 / 3.0 - MASS_POLE * (cosTheta * cosTheta) / TOTAL_MASS));
        double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cosTheta / TOTAL_MASS;

        x = x + TAU * xDot;
        xDot = xDot + TAU * xAcc;
        theta = theta + TAU * thetaDot;
        thetaDot = thetaDot + TAU * thetaAcc;
        state[0] = x;
        state[1] = xDot;
        state[2] = theta;
        state[3] = thetaDot;

        boolean terminated = x < -X_THRESHOLD || x > X_THRESHOLD
                || theta < -THETA_THRESHOLD_RADIANS || theta > THETA_THRESHOLD_RADIANS;
        // Gymnasium pays 1.0 on the terminating step too; only steps past termination (which deepq forbids) pay 0.
        double reward = terminatedAlready ? 0.0 : 1.0;
        terminatedAlready |= terminated;
        writeObservation();
        result.set(reward, terminated, false);
    }

    @Override
    protected void saveEnvState(StateWriter out) {
        super.saveEnvState(out);
        out.putBoolean("terminated_already", terminatedAlready);
    }

    @Override
    protected void restoreEnvState(StateReader in) {
        super.restoreEnvState(in);
        terminatedAlready = in.getBoolean("terminated_already");
    }

    @Override
    protected void writeObservation() {
        for (int i = 0; i < 4; i++) {
            observation[i] = (float) state[i];
        }
    }

    /** A 600x400 picture like Gymnasium's {@code rgb_array}: the track, the cart, the pole and its axle. */
    @Override
    public RgbFrame renderRgb() {
        final int width = 600;
        final int height = 400;
        double scale = width / (X_THRESHOLD * 2);
        double poleWidth = 10.0;
        double poleLength = scale * (2 * LENGTH);
        double cartWidth = 50.0;
        double cartHeight = 30.0;
        double axleOffset = cartHeight / 4.0;
        double cartX = state[0] * scale + width / 2.0;
        double cartY = 100;
        Canvas canvas = new Canvas(width, height);
        canvas.rotatedRectangle(-cartWidth / 2, cartWidth / 2, cartHeight / 2, -cartHeight / 2, 0, cartX, cartY,
                Canvas.BLACK);
        canvas.rotatedRectangle(-poleWidth / 2, poleWidth / 2, poleLength - poleWidth / 2, -poleWidth / 2, -state[2],
                cartX, cartY + axleOffset, 0xCA9865);
        canvas.disc((int) cartX, (int) (cartY + axleOffset), (int) (poleWidth / 2), 0x8184CB);
        canvas.line(0, cartY, width, cartY, Canvas.BLACK);
        return canvas.toFrame();
    }
}
