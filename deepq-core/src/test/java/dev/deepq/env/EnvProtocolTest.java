package dev.deepq.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.DType;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.env.spaces.MultiDiscrete;
import org.junit.jupiter.api.Test;

class EnvProtocolTest {

    /** Counts down from a seeded start; Box or Discrete actions depending on the constructor. */
    static final class Countdown extends Env {
        private int remaining;

        Countdown(dev.deepq.env.spaces.Space actionSpace) {
            super(new Discrete(100), actionSpace);
        }

        @Override
        protected void resetEnv(boolean seeded, long seed) {
            remaining = 3 + (int) (rng().random() * 5);
            observation[0] = remaining;
        }

        private void tick() {
            remaining--;
            observation[0] = remaining;
            result.set(1.0, remaining == 0, false);
        }

        @Override
        protected void stepEnv(int action) {
            tick();
        }

        @Override
        protected void stepEnv(double[] action) {
            tick();
        }

        @Override
        protected void stepEnv(int[] action) {
            tick();
        }
    }

    @Test
    void stepBeforeResetIsRefused() {
        Env env = new Countdown(new Discrete(2));
        assertThatThrownBy(() -> env.step(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Countdown").hasMessageContaining("before reset()");
    }

    @Test
    void stepAfterTerminationWithoutResetIsRefused() {
        Env env = new Countdown(new Discrete(2));
        StepResult r = env.reset(1);
        while (!r.done()) {
            r = env.step(1);
        }
        assertThat(r.terminated()).isTrue();
        assertThatThrownBy(() -> env.step(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after the episode ended (terminated) without reset()");
        assertThat(env.reset().done()).isFalse();
        env.step(0);
    }

    @Test
    void stepAfterTruncationWithoutResetIsRefused() {
        Env env = new dev.deepq.env.wrappers.TimeLimit(new Countdown(new Discrete(2)), 1);
        env.reset(0);
        StepResult r = env.step(0);
        assertThat(r.truncated()).isTrue();
        assertThatThrownBy(() -> env.step(0)).hasMessageContaining("(truncated) without reset()");
    }

    @Test
    void actionsOutsideTheSpaceAreRefusedWithTheSpaceInTheMessage() {
        Env env = new Countdown(new Discrete(2));
        env.reset(0);
        assertThatThrownBy(() -> env.step(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Countdown: action 2 is not in the action space Discrete(2)");
        assertThatThrownBy(() -> env.step(-1)).hasMessageContaining("action -1 is not in the action space");
        assertThatThrownBy(() -> env.step(new double[] {0.5})).hasMessageContaining("needs a Box action space")
                .hasMessageContaining("use step(int)");
        env.step(1);
    }

    @Test
    void nanAndOutOfBoundsBoxActionsAreRefused() {
        Env env = new Countdown(new Box(-1, 1, new int[] {2}, DType.FLOAT32));
        env.reset(0);
        assertThatThrownBy(() -> env.step(new double[] {Double.NaN, 0})).hasMessageContaining("[NaN, 0.0] contains NaN");
        assertThatThrownBy(() -> env.step(new double[] {2, 0})).hasMessageContaining("is not in the action space");
        assertThatThrownBy(() -> env.step(new double[] {0})).hasMessageContaining("has 1 elements")
                .hasMessageContaining("needs 2");
        env.step(new double[] {0.5, -0.5});
    }

    @Test
    void multiDiscreteActionsAreChecked() {
        Env env = new Countdown(new MultiDiscrete(3, 2));
        env.reset(0);
        assertThatThrownBy(() -> env.step(new int[] {3, 0})).hasMessageContaining("[3, 0] is not in the action space MultiDiscrete([3 2])");
        assertThatThrownBy(() -> env.step(new int[] {1})).hasMessageContaining("is not in the action space");
        env.step(new int[] {2, 1});
    }

    @Test
    void stepFlatRoutesEveryActionSpace() {
        Env discrete = new Countdown(new Discrete(2));
        discrete.reset(0);
        assertThatThrownBy(() -> discrete.stepFlat(new double[] {0.5}, 0)).hasMessageContaining("action 0.5 is not in");
        assertThat(discrete.stepFlat(new double[] {9, 1}, 1).reward()).isEqualTo(1.0);
        Env multi = new Countdown(new MultiDiscrete(3, 2));
        multi.reset(0);
        assertThatThrownBy(() -> multi.stepFlat(new double[] {1.5, 0}, 0)).hasMessageContaining("not in the action space");
        multi.stepFlat(new double[] {2, 1}, 0);
    }

    @Test
    void useAfterCloseIsRefusedAndCloseIsIdempotent() {
        Env env = new Countdown(new Discrete(2));
        env.reset(0);
        env.close();
        env.close();
        assertThat(env.isClosed()).isTrue();
        assertThatThrownBy(() -> env.step(0)).hasMessageContaining("after close()");
        assertThatThrownBy(env::reset).hasMessageContaining("reset() called after close()");
    }

    @Test
    void seedingIsReproducibleAndUnseededResetsContinueTheStream() {
        Env a = new Countdown(new Discrete(2));
        Env b = new Countdown(new Discrete(2));
        int[] starts = new int[6];
        int[] again = new int[6];
        starts[0] = a.reset(42).discreteObservation();
        again[0] = b.reset(42).discreteObservation();
        for (int i = 1; i < 6; i++) {
            starts[i] = a.reset().discreteObservation();
            again[i] = b.reset().discreteObservation();
        }
        assertThat(again).containsExactly(starts);
        assertThat(a.reset(42).discreteObservation()).isEqualTo(starts[0]);
        assertThatThrownBy(() -> a.reset(-1)).hasMessageContaining("non-negative");
    }

    @Test
    void neverSeededEnvBehavesAsSeedZero() {
        Env a = new Countdown(new Discrete(2));
        Env b = new Countdown(new Discrete(2));
        assertThat(a.reset().discreteObservation()).isEqualTo(b.reset(0).discreteObservation());
    }

    @Test
    void renderingIsAnErrorWhenUnsupported() {
        Env env = new Countdown(new Discrete(2));
        assertThat(env.supportsTextRender()).isFalse();
        assertThatThrownBy(env::renderText).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("Countdown has no text rendering");
    }
}
