package dev.deepq.env.wrappers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.DType;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.env.spaces.MultiBinary;
import dev.deepq.env.spaces.MultiDiscrete;
import org.junit.jupiter.api.Test;

class FlattenObservationTest {

    @Test
    void discreteBecomesOneHotWithItsStart() {
        ScriptedEnv inner = new ScriptedEnv(new Discrete(5, 10)).onReset(12).onStep(new double[] {14}, 1, false, false);
        FlattenObservation env = new FlattenObservation(inner);
        // Gymnasium: flatten_space(Discrete(5)) is Box(0, 1, (5,), int64)
        assertThat(env.observationSpace()).hasToString("Box(0, 1, (5,), int64)");
        assertThat(env.reset().observation()).containsExactly(0, 0, 1, 0, 0);
        StepResult r = env.step(0);
        assertThat(r.observation()).containsExactly(0, 0, 0, 0, 1);
        assertThat(r.reward()).isEqualTo(1.0);
    }

    @Test
    void multiDiscreteBecomesConcatenatedOneHots() {
        ScriptedEnv inner = new ScriptedEnv(new MultiDiscrete(3, 2, 4)).onReset(2, 0, 1).onStep(new double[] {0, 1, 3}, 0, true, false);
        FlattenObservation env = new FlattenObservation(inner);
        assertThat(env.observationSpace()).hasToString("Box(0, 1, (9,), int64)");
        assertThat(env.reset().observation()).containsExactly(0, 0, 1, 1, 0, 0, 1, 0, 0);
        StepResult r = env.step(1);
        assertThat(r.observation()).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertThat(r.terminated()).isTrue();
    }

    @Test
    void multiBinaryKeepsItsBits() {
        ScriptedEnv inner = new ScriptedEnv(new MultiBinary(3)).onReset(1, 0, 1);
        FlattenObservation env = new FlattenObservation(inner);
        assertThat(((Box) env.observationSpace()).shape()).containsExactly(3);
        assertThat(env.observationSpace()).hasToString("Box(0, 1, (3,), int8)");
        assertThat(env.reset().observation()).containsExactly(1, 0, 1);
    }

    @Test
    void boxIsFlattenedRowMajorWithItsBoundsAndDtype() {
        double[] low = {-1, -2, -3, -4, -5, -6};
        double[] high = {1, 2, 3, 4, 5, 6};
        Box box = new Box(low, high, new int[] {2, 3}, DType.FLOAT64);
        ScriptedEnv inner = new ScriptedEnv(box).onReset(0.5, 1, 1.5, 2, 2.5, 3);
        FlattenObservation env = new FlattenObservation(inner);
        assertThat(env.observationSpace()).isEqualTo(new Box(low, high, new int[] {6}, DType.FLOAT64));
        assertThat(env.reset().observation()).containsExactly(0.5, 1, 1.5, 2, 2.5, 3);
    }

    @Test
    void aFlatBoxIsUnchanged() {
        FlattenObservation env = new FlattenObservation(Envs.make("CartPole-v1"));
        assertThat(env.observationSpace()).isEqualTo(env.inner().observationSpace());
        double[] expected = Envs.make("CartPole-v1").reset(5).observation().clone();
        assertThat(env.reset(5).observation()).containsExactly(expected);
    }
}
