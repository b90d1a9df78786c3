package dev.deepq.env.classic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import dev.deepq.env.wrappers.TimeLimit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MountainCarContinuous-v0 has no recording, so its equations are checked against Gymnasium's, worked by hand for
 * states that exercise each rule: force clipping, power, velocity and position clipping, the left wall, the goal.
 */
class MountainCarContinuousTest {

    /** Gymnasium's step, written out independently of the env: the next (position, velocity) in float64. */
    private static double[] byHand(double position, double velocity, double action) {
        double force = action < -1 ? -1 : action > 1 ? 1 : action;
        double v = velocity + (force * 0.0015 - 0.0025 * Math.cos(3 * position));
        v = Math.max(-0.07, Math.min(0.07, v));
        double p = Math.max(-1.2, Math.min(0.6, position + v));
        if (p == -1.2 && v < 0) {
            v = 0;
        }
        return new double[] {p, v};
    }

    private static MountainCarContinuous startedAt(double position, double velocity) {
        MountainCarContinuous env = new MountainCarContinuous();
        env.reset(0);
        env.setState(new double[] {position, velocity});
        return env;
    }

    /** The state after a step is stored as float32, as Gymnasium's {@code np.array([...], dtype=np.float32)}. */
    private static void assertStateIs(MountainCarContinuous env, double[] expected64) {
        double[] state = env.state();
        assertThat(state[0]).isEqualTo((double) (float) expected64[0]);
        assertThat(state[1]).isEqualTo((double) (float) expected64[1]);
        assertThat(env.state()).isEqualTo(new double[] {(float) state[0], (float) state[1]});
    }

    @Test
    void pushesWithPowerAgainstGravity() {
        MountainCarContinuous env = startedAt(-0.5, 0.01);
        StepResult r = env.step(new double[] {0.5});
        // By hand: 0.01 + 0.5 * 0.0015 - 0.0025 * cos(-1.5) = 0.01 + 0.00075 - 0.000176843004 = 0.010573156996
        double[] expected = byHand(-0.5, 0.01, 0.5);
        assertThat(expected[1]).isCloseTo(0.010573156996, within(1e-12));
        assertThat(expected[0]).isCloseTo(-0.489426843004, within(1e-12));
        assertStateIs(env, expected);
        assertThat(r.reward()).isEqualTo(-0.5 * 0.5 * 0.1);
        assertThat(r.terminated()).isFalse();
        assertThat(r.observation()).containsExactly((float) expected[0], (float) expected[1]);
    }

    @Test
    void rewardUsesTheFloat32Action() {
        MountainCarContinuous env = startedAt(-0.5, 0.0);
        StepResult r = env.step(new double[] {0.3});
        double a = (float) 0.3;
        assertThat(r.reward()).isEqualTo(-(a * a) * 0.1).isNotEqualTo(-(0.3 * 0.3) * 0.1);
        assertStateIs(env, byHand(-0.5, 0.0, a));
    }

    @Test
    void clipsTheForceButChargesTheRawAction() {
        // Out-of-space actions are refused by step(); the unwrapped Gymnasium env would clip them, so check that path
        // through stepEnv. The env reuses one StepResult, so the one reset returned shows the step's outcome.
        MountainCarContinuous env = new MountainCarContinuous();
        StepResult r = env.reset(0);
        env.setState(new double[] {-0.5, 0.0});
        assertThatThrownBy(() -> env.step(new double[] {1.5})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not in the action space");
        env.stepEnv(new double[] {1.5});
        assertStateIs(env, byHand(-0.5, 0.0, 1.0));
        assertThat(env.state()[1]).isEqualTo((float) (0.0015 - 0.0025 * Math.cos(-1.5)));
        assertThat(r.reward()).isEqualTo(-(1.5 * 1.5) * 0.1);

        MountainCarContinuous left = new MountainCarContinuous();
        StepResult leftResult = left.reset(0);
        left.setState(new double[] {-0.5, 0.0});
        left.stepEnv(new double[] {-3.0});
        assertStateIs(left, byHand(-0.5, 0.0, -1.0));
        assertThat(leftResult.reward()).isCloseTo(-0.9, within(1e-15));
    }

    @Test
    void clipsVelocityToMaxSpeed() {
        // cos(3 * -0.9) < 0, so gravity pushes right too: 0.069 + 0.0015 + 0.00226 > 0.07.
        MountainCarContinuous fast = startedAt(-0.9, 0.069);
        fast.step(new double[] {1.0});
        assertThat(fast.state()[1]).isEqualTo((float) 0.07);
        assertThat(fast.state()[0]).isEqualTo((float) (-0.9 + 0.07));

        // cos(3 * -0.3) > 0 pulls left: -0.069 - 0.0015 - 0.00155 < -0.07.
        MountainCarContinuous back = startedAt(-0.3, -0.069);
        back.step(new double[] {-1.0});
        assertThat(back.state()[1]).isEqualTo((float) -0.07);
        assertThat(back.state()[0]).isEqualTo((float) (-0.3 - 0.07));
    }

    @Test
    void leftWallStopsTheCar() {
        MountainCarContinuous env = startedAt(-1.19, -0.05);
        StepResult r = env.step(new double[] {-1.0});
        double[] expected = byHand(-1.19, -0.05, -1.0);
        assertThat(expected).containsExactly(-1.2, 0.0);
        assertStateIs(env, expected);
        assertThat(r.terminated()).isFalse();
        assertThat(r.reward()).isCloseTo(-0.1, within(1e-15));
    }

    @Test
    void rightEdgeClipsPositionAndReachesTheGoal() {
        MountainCarContinuous env = startedAt(0.58, 0.06);
        StepResult r = env.step(new double[] {0.0});
        assertThat(env.state()[0]).isEqualTo((float) 0.6);
        assertThat(r.terminated()).isTrue();
        assertThat(r.reward()).isEqualTo(100.0);
    }

    @Test
    void reachingTheGoalTerminatesWithTheBonus() {
        MountainCarContinuous env = startedAt(0.44, 0.02);
        StepResult r = env.step(new double[] {0.5});
        double[] expected = byHand(0.44, 0.02, 0.5);
        assertThat(expected[0]).isGreaterThanOrEqualTo(0.45);
        assertStateIs(env, expected);
        assertThat(r.terminated()).isTrue();
        assertThat(r.truncated()).isFalse();
        assertThat(r.reward()).isEqualTo(100.0 - 0.5 * 0.5 * 0.1);
        assertThatThrownBy(() -> env.step(new double[] {0.0})).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void goalNeedsGoalVelocity() {
        // Past the goal position but rolling back: not done with the default goal_velocity 0.
        MountainCarContinuous rollingBack = startedAt(0.47, -0.005);
        assertThat(rollingBack.step(new double[] {0.0}).terminated()).isFalse();

        Env strict = Envs.make("MountainCarContinuous-v0", Map.of("goal_velocity", 0.03));
        strict.reset(0);
        ((MountainCarContinuous) strict.unwrapped()).setState(new double[] {0.44, 0.02});
        StepResult r = strict.step(new double[] {0.5});
        assertThat(((MountainCarContinuous) strict.unwrapped()).goalVelocity()).isEqualTo(0.03);
        assertThat(r.terminated()).isFalse();
        assertThat(r.reward()).isEqualTo(-0.5 * 0.5 * 0.1);
    }

    @Test
    void resetsAtRestInTheValley() {
        MountainCarContinuous env = new MountainCarContinuous();
        for (long seed = 0; seed < 20; seed++) {
            StepResult r = env.reset(seed);
            double[] s = env.state();
            assertThat(s[0]).isBetween(-0.6, -0.4);
            assertThat(s[1]).isZero();
            // Same draw as MountainCar-v0 (and kept float64 until the first step).
            MountainCar discrete = new MountainCar();
            discrete.reset(seed);
            assertThat(s).isEqualTo(discrete.state());
            assertThat(r.observation()).containsExactly((float) s[0], 0.0);
        }
    }

    @Test
    void truncatesAfter999Steps() {
        Env env = Envs.make("MountainCarContinuous-v0");
        assertThat(env).isInstanceOf(TimeLimit.class);
        assertThat(((TimeLimit) env).maxEpisodeSteps()).isEqualTo(999);
        env.reset(3);
        double[] idle = {0.0};
        for (int t = 1; t < 999; t++) {
            StepResult r = env.step(idle);
            assertThat(r.terminated() || r.truncated()).as("step %d", t).isFalse();
            assertThat(r.reward()).isZero();
        }
        StepResult last = env.step(idle);
        assertThat(last.truncated()).isTrue();
        assertThat(last.terminated()).isFalse();
    }
}
