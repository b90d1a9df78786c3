package dev.deepq.env.classic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.RgbFrame;
import java.awt.GraphicsEnvironment;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The RGB pictures: Gymnasium's sizes, drawn headless, not blank, and following the state. */
class ClassicControlRenderTest {
    private static final int WHITE = 0xFFFFFF;

    @BeforeAll
    static void headless() {
        // Surefire runs with java.awt.headless=true; the renderers must not need a display.
        assertThat(GraphicsEnvironment.isHeadless()).isTrue();
    }

    /** Renders {@code id} in {@code state}, checking the frame's size and that something was drawn. */
    private static RgbFrame render(String id, double[] state, int width, int height) {
        Env env = Envs.make(id);
        assertThat(env.supportsRgbRender()).isTrue();
        env.reset(0);
        ((SettableState) env.unwrapped()).setState(state);
        RgbFrame frame = env.renderRgb();
        assertThat(frame.width()).isEqualTo(width);
        assertThat(frame.height()).isEqualTo(height);
        assertThat(frame.rgb()).hasSize(width * height * 3);
        int drawn = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (frame.pixel(x, y) != WHITE) {
                    drawn++;
                }
            }
        }
        assertThat(drawn).as("%s drawn pixels", id).isBetween(300, width * height / 4);
        assertThat(frame.pixel(0, 0)).as("background").isEqualTo(WHITE);
        return frame;
    }

    /** Mean (x, y) of the pixels drawn in {@code a} but white in {@code b}: where a's moving parts are. */
    private static double[] centroidOfDifference(RgbFrame a, RgbFrame b) {
        double sx = 0;
        double sy = 0;
        int n = 0;
        for (int y = 0; y < a.height(); y++) {
            for (int x = 0; x < a.width(); x++) {
                if (a.pixel(x, y) != WHITE && b.pixel(x, y) == WHITE) {
                    sx += x;
                    sy += y;
                    n++;
                }
            }
        }
        assertThat(n).as("pixels that moved").isGreaterThan(100);
        return new double[] {sx / n, sy / n};
    }

    @Test
    void cartPoleCartFollowsPosition() {
        RgbFrame left = render("CartPole-v1", new double[] {-1.0, 0, 0, 0}, 600, 400);
        RgbFrame right = render("CartPole-v1", new double[] {1.0, 0, 0, 0}, 600, 400);
        assertThat(Arrays.equals(left.rgb(), right.rgb())).isFalse();
        // 125 pixels per unit around the centre column 300.
        assertThat(centroidOfDifference(left, right)[0]).isCloseTo(175, org.assertj.core.data.Offset.offset(6.0));
        assertThat(centroidOfDifference(right, left)[0]).isCloseTo(425, org.assertj.core.data.Offset.offset(6.0));
        // The cart's top is 100 px above the bottom, the upright pole above it.
        assertThat(left.pixel(175, 399 - 100 + 5)).isEqualTo(0x000000);
        assertThat(left.pixel(175, 399 - 100 - 60)).isEqualTo(0xCA9865);
        assertThat(left.pixel(425, 399 - 100 - 60)).isEqualTo(WHITE);
    }

    @Test
    void cartPolePoleTilts() {
        RgbFrame upright = render("CartPole-v1", new double[] {0, 0, 0, 0}, 600, 400);
        RgbFrame tilted = render("CartPole-v1", new double[] {0, 0, 0.5, 0}, 600, 400);
        // A positive angle leans the pole to the right, as in Gymnasium.
        assertThat(centroidOfDifference(tilted, upright)[0]).isGreaterThan(300);
    }

    @Test
    void mountainCarsFollowPosition() {
        for (String id : new String[] {"MountainCar-v0", "MountainCarContinuous-v0"}) {
            RgbFrame valley = render(id, new double[] {-1.0, 0}, 600, 400);
            RgbFrame hill = render(id, new double[] {0.3, 0}, 600, 400);
            double scale = 600 / 1.8;
            assertThat(centroidOfDifference(valley, hill)[0]).as(id)
                    .isCloseTo((-1.0 + 1.2) * scale, org.assertj.core.data.Offset.offset(10.0));
            assertThat(centroidOfDifference(hill, valley)[0]).as(id)
                    .isCloseTo((0.3 + 1.2) * scale, org.assertj.core.data.Offset.offset(10.0));
        }
        // The flag stands at the goal: 0.5 for the discrete car, 0.45 for the continuous one.
        RgbFrame discrete = render("MountainCar-v0", new double[] {-0.5, 0}, 600, 400);
        RgbFrame continuous = render("MountainCarContinuous-v0", new double[] {-0.5, 0}, 600, 400);
        assertThat(hasColourInColumns(discrete, 0xCCCC00, 566, 600)).isTrue();
        assertThat(hasColourInColumns(continuous, 0xCCCC00, 550, 555)).isTrue();
        assertThat(hasColourInColumns(discrete, 0xCCCC00, 0, 565)).isFalse();
    }

    private static boolean hasColourInColumns(RgbFrame frame, int rgb, int fromX, int toX) {
        for (int y = 0; y < frame.height(); y++) {
            for (int x = fromX; x < Math.min(toX, frame.width()); x++) {
                if (frame.pixel(x, y) == rgb) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void acrobotHangsDownAndSwingsUp() {
        RgbFrame down = render("Acrobot-v1", new double[] {0, 0, 0, 0}, 500, 500);
        RgbFrame up = render("Acrobot-v1", new double[] {Math.PI, 0, 0, 0}, 500, 500);
        assertThat(centroidOfDifference(down, up)[1]).as("hanging links are below the pivot").isGreaterThan(300);
        assertThat(centroidOfDifference(up, down)[1]).as("raised links are above the pivot").isLessThan(200);
        assertThat(down.pixel(250, 250)).as("pivot joint").isEqualTo(0xCCCC00);
        assertThat(down.pixel(250, 400)).as("link").isEqualTo(0x00CCCC);
    }

    @Test
    void pendulumPointsUpAtZero() {
        RgbFrame upright = render("Pendulum-v1", new double[] {0, 0}, 500, 500);
        RgbFrame hanging = render("Pendulum-v1", new double[] {Math.PI, 0}, 500, 500);
        assertThat(centroidOfDifference(upright, hanging)[1]).isLessThan(200);
        assertThat(centroidOfDifference(hanging, upright)[1]).isGreaterThan(300);
        assertThat(upright.pixel(250, 250)).as("axle").isEqualTo(0x000000);
        assertThat(upright.pixel(250, 180)).as("rod").isEqualTo(0xCC4D4D);
    }

    @Test
    void pendulumShowsTheLastTorque() {
        Env env = Envs.make("Pendulum-v1");
        env.reset(0);
        ((SettableState) env.unwrapped()).setState(new double[] {Math.PI, 0});
        RgbFrame before = env.renderRgb();
        env.step(new double[] {2.0});
        ((SettableState) env.unwrapped()).setState(new double[] {Math.PI, 0});
        RgbFrame counterClockwise = env.renderRgb();
        env.step(new double[] {-2.0});
        ((SettableState) env.unwrapped()).setState(new double[] {Math.PI, 0});
        RgbFrame clockwise = env.renderRgb();
        assertThat(Arrays.equals(before.rgb(), counterClockwise.rgb())).isFalse();
        assertThat(Arrays.equals(counterClockwise.rgb(), clockwise.rgb())).isFalse();
    }
}
