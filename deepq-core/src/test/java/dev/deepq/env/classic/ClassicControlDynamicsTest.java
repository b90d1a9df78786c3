package dev.deepq.env.classic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Details the recordings do not reach: helper semantics, options, state access, allocation. */
class ClassicControlDynamicsTest {

    @Test
    void acrobotWrapAndBoundAsGymnasium() {
        assertThat(Acrobot.wrap(4.0, -Math.PI, Math.PI)).isEqualTo(4.0 - 2 * Math.PI);
        assertThat(Acrobot.wrap(-7.0, -Math.PI, Math.PI)).isEqualTo(-7.0 + 2 * Math.PI);
        assertThat(Acrobot.wrap(-10.0, -Math.PI, Math.PI)).isEqualTo(-10.0 + 2 * Math.PI + 2 * Math.PI);
        assertThat(Acrobot.wrap(Math.PI, -Math.PI, Math.PI)).isEqualTo(Math.PI);
        assertThat(Acrobot.wrap(-Math.PI, -Math.PI, Math.PI)).isEqualTo(-Math.PI);
        assertThat(Acrobot.bound(50.0, -Acrobot.MAX_VEL_1, Acrobot.MAX_VEL_1)).isEqualTo(4 * Math.PI);
        assertThat(Acrobot.bound(-50.0, -Acrobot.MAX_VEL_2, Acrobot.MAX_VEL_2)).isEqualTo(-9 * Math.PI);
        assertThat(Acrobot.AVAIL_TORQUE).containsExactly(-1.0, 0.0, 1.0);
    }

    @Test
    void pendulumAngleNormalizeUsesPythonModulo() {
        // ((x + pi) % 2pi) - pi with the remainder taking the divisor's sign, as Python and NumPy do.
        assertThat(Pendulum.pythonModulo(-1.0, 2 * Math.PI)).isEqualTo(2 * Math.PI - 1.0);
        assertThat(Pendulum.pythonModulo(7.0, 2 * Math.PI)).isEqualTo(7.0 - 2 * Math.PI);
        assertThat(Pendulum.pythonModulo(-0.0, 2 * Math.PI)).isEqualTo(0.0).hasToString("0.0");
        assertThat(Pendulum.angleNormalize(Math.PI)).isEqualTo(-Math.PI);
        assertThat(Pendulum.angleNormalize(3 * Math.PI / 2)).isCloseTo(-Math.PI / 2, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(Pendulum.angleNormalize(0.25)).isEqualTo((0.25 + Math.PI) - Math.PI);
    }

    @Test
    void pendulumRewardAndGravityOption() {
        Env env = Envs.make("Pendulum-v1", java.util.Map.of("g", 0.0));
        env.reset(0);
        ((Pendulum) env.unwrapped()).setState(new double[] {0.5, 1.0});
        StepResult r = env.step(new double[] {1.0});
        assertThat(r.reward()).isEqualTo(-(0.25 + 0.1 * 1.0 + 0.001 * 1.0));
        // No gravity: only the torque accelerates, 3 * u * dt.
        double[] s = ((Pendulum) env.unwrapped()).state();
        assertThat(s[1]).isEqualTo(1.0 + (0.0 * Math.sin(0.5) + 3.0 * 1.0) * 0.05);
        assertThat(s[0]).isEqualTo(0.5 + s[1] * 0.05);
        assertThat(r.terminated()).isFalse();
    }

    @Test
    void pendulumSpeedIsClipped() {
        Pendulum env = new Pendulum();
        env.reset(0);
        env.setState(new double[] {Math.PI / 2, 7.99});
        env.step(new double[] {2.0});
        assertThat(env.state()[1]).isEqualTo(8.0);
    }

    @Test
    void acrobotVariants() {
        double[] start = {0.3, -0.2, 0.5, 1.0};
        double[] book = stepFrom(new Acrobot(), start, 2);
        double[] nips = stepFrom(new Acrobot(Acrobot.Dynamics.NIPS, 0.0), start, 2);
        assertThat(nips).isNotEqualTo(book);
        Acrobot noisy = new Acrobot(Acrobot.Dynamics.BOOK, 0.5);
        double[] withNoise = stepFrom(noisy, start, 1);
        assertThat(withNoise).isNotEqualTo(stepFrom(new Acrobot(), start, 1));
        assertThat(stepFrom(new Acrobot(Acrobot.Dynamics.BOOK, 0.5), start, 1)).as("noise comes from the seeded rng")
                .isEqualTo(withNoise);
        assertThatThrownBy(() -> new Acrobot(Acrobot.Dynamics.BOOK, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static double[] stepFrom(Env env, double[] start, int action) {
        env.reset(5);
        ((SettableState) env).setState(start);
        env.step(action);
        return ((SettableState) env).state();
    }

    @Test
    void acrobotResetIsFloat32() {
        Acrobot env = new Acrobot();
        env.reset(11);
        for (double v : env.state()) {
            assertThat((double) (float) v).isEqualTo(v);
            assertThat(v).isBetween(-0.1, 0.1);
        }
    }

    @Test
    void stateAccessCopiesAndChecksLength() {
        Env[] envs = {new CartPole(), new MountainCar(), new MountainCarContinuous(), new Acrobot(), new Pendulum()};
        for (Env env : envs) {
            env.reset(0);
            SettableState sim = (SettableState) env;
            double[] state = sim.state();
            double original = state[0];
            state[0] = 0.123;
            assertThat(sim.state()[0]).as("%s state() is a copy", env).isEqualTo(original);
            sim.setState(state);
            assertThat(sim.state()[0]).isEqualTo(0.123);
            assertThatThrownBy(() -> sim.setState(new double[state.length + 1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(state.length));
        }
    }

    @Test
    void mountainCarLeftWall() {
        MountainCar env = new MountainCar();
        env.reset(0);
        env.setState(new double[] {-1.19, -0.05});
        StepResult r = env.step(0);
        assertThat(env.state()).containsExactly(-1.2, 0.0);
        assertThat(r.reward()).isEqualTo(-1.0);
        assertThat(r.observation()).containsExactly((float) -1.2, 0.0);
    }

    @Test
    void stepsAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String[] ids = {"CartPole-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Acrobot-v1", "Pendulum-v1"};
        for (String id : ids) {
            Env env = Envs.make(id);
            double[] box = {0.25};
            runSteps(env, box, 20_000);
            long before = threads.getCurrentThreadAllocatedBytes();
            runSteps(env, box, 20_000);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("%s bytes allocated by 20,000 steps", id).isLessThan(4096);
        }
    }

    private static void runSteps(Env env, double[] boxAction, int steps) {
        env.reset(1);
        boolean discrete = env.actionSpace() instanceof dev.deepq.env.spaces.Discrete;
        for (int i = 0; i < steps; i++) {
            StepResult r = discrete ? env.step(i % 3 == 0 ? 1 : 0) : env.step(boxAction);
            if (r.done()) {
                env.reset();
            }
        }
    }
}
