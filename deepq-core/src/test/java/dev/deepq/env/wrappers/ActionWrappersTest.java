package dev.deepq.env.wrappers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.env.Env;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.DType;
import dev.deepq.env.spaces.Discrete;
import org.junit.jupiter.api.Test;

/** ClipAction, RescaleAction and TransformReward. */
class ActionWrappersTest {
    private static final Box OBS = Box.float32(new double[] {-1}, new double[] {1});

    /** A float32 Box action env with bounds [-2, 2] x [0, 1] (Pendulum-like), scripted for {@code steps} steps. */
    private static ScriptedEnv boxEnv(int steps, DType dtype) {
        Box actions = new Box(new double[] {-2, 0}, new double[] {2, 1}, new int[] {2}, dtype);
        ScriptedEnv env = new ScriptedEnv(OBS, actions).onReset(0);
        for (int i = 0; i < steps; i++) {
            env.onStep(new double[] {0}, i, false, false);
        }
        return env;
    }

    @Test
    void clipActionClipsIntoTheInnerBoundsAndAcceptsAnyNumber() {
        ScriptedEnv inner = boxEnv(3, DType.FLOAT32);
        ClipAction env = new ClipAction(inner);
        assertThat(env.actionSpace()).hasToString("Box(-inf, inf, (2,), float32)");
        env.reset();
        env.step(new double[] {5.0, -3.0});
        assertThat(inner.lastBoxAction).containsExactly(2.0, 0.0);
        env.step(new double[] {-1e300, 0.5});
        assertThat(inner.lastBoxAction).containsExactly(-2.0, 0.5);
        env.step(new double[] {1.25, Double.POSITIVE_INFINITY});
        assertThat(inner.lastBoxAction).containsExactly(1.25, 1.0);
    }

    @Test
    void clipActionStillRejectsNaN() {
        ClipAction env = new ClipAction(boxEnv(1, DType.FLOAT32));
        env.reset();
        assertThatThrownBy(() -> env.step(new double[] {Double.NaN, 0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
    }

    @Test
    void rescaleActionMapsTheRangeAffinely() {
        ScriptedEnv inner = boxEnv(4, DType.FLOAT32);
        RescaleAction env = new RescaleAction(inner, -1, 1);
        assertThat(env.actionSpace()).hasToString("Box(-1.0, 1.0, (2,), float32)");
        env.reset();
        env.step(new double[] {-1, -1});
        assertThat(inner.lastBoxAction).containsExactly(-2.0, 0.0);
        env.step(new double[] {1, 1});
        assertThat(inner.lastBoxAction).containsExactly(2.0, 1.0);
        env.step(new double[] {0, 0});
        assertThat(inner.lastBoxAction).containsExactly(0.0, 0.5);
        env.step(new double[] {0.5, -0.5});
        assertThat(inner.lastBoxAction).containsExactly(1.0, 0.25);
    }

    @Test
    void rescaleActionComputesInFloat32ForAFloat32Space() {
        ScriptedEnv inner = boxEnv(1, DType.FLOAT32);
        RescaleAction env = new RescaleAction(inner, new double[] {0, -3}, new double[] {0.7, 0.1});
        env.reset();
        double a0 = 0.3;
        double a1 = -1.1;
        env.step(new double[] {a0, a1});
        // NumPy with float32 arrays: low + (high - low) * ((action - min) / (max - min)), every operation in float32.
        float e0 = -2f + (2f - -2f) * (((float) a0 - 0f) / ((float) 0.7 - 0f));
        float e1 = 0f + (1f - 0f) * (((float) a1 - -3f) / ((float) 0.1 - -3f));
        assertThat(inner.lastBoxAction).containsExactly(e0, e1);
        double d1 = 0 + (1 - 0) * ((a1 - -3) / (0.1 - -3));
        assertThat(inner.lastBoxAction[1]).isNotEqualTo(d1);
    }

    @Test
    void rescaleActionComputesInDoubleForAFloat64Space() {
        ScriptedEnv inner = boxEnv(1, DType.FLOAT64);
        RescaleAction env = new RescaleAction(inner, new double[] {0, -3}, new double[] {0.7, 0.1});
        env.reset();
        env.step(new double[] {0.3, -1.1});
        assertThat(inner.lastBoxAction).containsExactly(-2 + 4 * ((0.3 - 0) / (0.7 - 0)), 0 + 1 * ((-1.1 - -3) / (0.1 - -3)));
    }

    @Test
    void rescaleActionRejectsActionsOutsideItsRangeAndBadRanges() {
        RescaleAction env = new RescaleAction(boxEnv(1, DType.FLOAT32), -1, 1);
        env.reset();
        assertThatThrownBy(() -> env.step(new double[] {1.5, 0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not in the action space");
        assertThatThrownBy(() -> new RescaleAction(boxEnv(0, DType.FLOAT32), 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minAction < maxAction");
        assertThatThrownBy(() -> new RescaleAction(boxEnv(0, DType.FLOAT32), new double[] {0}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 elements");
        Env unbounded = new ScriptedEnv(OBS, Box.float32(new double[] {Double.NEGATIVE_INFINITY}, new double[] {1}));
        assertThatThrownBy(() -> new RescaleAction(unbounded, -1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> new RescaleAction(new ScriptedEnv(OBS, new Discrete(3)), -1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Box action space");
        assertThatThrownBy(() -> new ClipAction(new ScriptedEnv(OBS, new Discrete(3))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Box action space");
    }

    @Test
    void transformRewardAppliesTheFunctionToStepRewards() {
        // Gymnasium's documented example: TransformReward(CartPole, lambda r: 2 * r + 1) gives 3.0.
        TransformReward env = new TransformReward(dev.deepq.env.Envs.make("CartPole-v1"), r -> 2 * r + 1);
        assertThat(env.reset(0).reward()).isZero();
        assertThat(env.step(0).reward()).isEqualTo(3.0);
        assertThat(env.step(1).terminated()).isFalse();
    }
}
