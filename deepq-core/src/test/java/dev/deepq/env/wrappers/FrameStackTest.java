package dev.deepq.env.wrappers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.env.StepResult;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.DType;
import dev.deepq.env.spaces.Discrete;
import org.junit.jupiter.api.Test;

class FrameStackTest {
    private static final Box PAIR = new Box(new double[] {-1, 0}, new double[] {1, 10}, new int[] {2}, DType.FLOAT32);

    @Test
    void spaceRepeatsTheBoundsAlongANewLeadingAxis() {
        FrameStack env = new FrameStack(new ScriptedEnv(PAIR), 3);
        Box space = (Box) env.observationSpace();
        assertThat(space.shape()).containsExactly(3, 2);
        assertThat(space.low()).containsExactly(-1, 0, -1, 0, -1, 0);
        assertThat(space.high()).containsExactly(1, 10, 1, 10, 1, 10);
        assertThat(space.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(env.numStack()).isEqualTo(3);
    }

    @Test
    void resetFillsEveryFrameThenStepsShiftOldestOut() {
        ScriptedEnv inner = new ScriptedEnv(PAIR).onReset(0.1, 1)
                .onStep(new double[] {0.2, 2}, 1, false, false)
                .onStep(new double[] {0.3, 3}, 2, false, false)
                .onStep(new double[] {0.4, 4}, 3, false, true)
                .onReset(-0.5, 5);
        FrameStack env = new FrameStack(inner, 3);
        assertThat(env.reset().observation()).containsExactly(0.1, 1, 0.1, 1, 0.1, 1);
        assertThat(env.step(0).observation()).containsExactly(0.1, 1, 0.1, 1, 0.2, 2);
        assertThat(env.step(0).observation()).containsExactly(0.1, 1, 0.2, 2, 0.3, 3);
        StepResult r = env.step(0);
        assertThat(r.observation()).containsExactly(0.2, 2, 0.3, 3, 0.4, 4);
        assertThat(r.reward()).isEqualTo(3.0);
        assertThat(r.truncated()).isTrue();
        // A new episode starts from a clean stack of its first observation.
        assertThat(env.reset().observation()).containsExactly(-0.5, 5, -0.5, 5, -0.5, 5);
    }

    @Test
    void stackOfOneIsTheObservation() {
        ScriptedEnv inner = new ScriptedEnv(PAIR).onReset(0.5, 2).onStep(new double[] {0.25, 3}, 0, false, false);
        FrameStack env = new FrameStack(inner, 1);
        assertThat(env.reset().observation()).containsExactly(0.5, 2);
        assertThat(env.step(1).observation()).containsExactly(0.25, 3);
    }

    @Test
    void clearErrors() {
        assertThatThrownBy(() -> new FrameStack(new ScriptedEnv(new Discrete(3)), 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Box")
                .hasMessageContaining("FlattenObservation");
        assertThatThrownBy(() -> new FrameStack(new ScriptedEnv(PAIR), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numStack");
    }
}
