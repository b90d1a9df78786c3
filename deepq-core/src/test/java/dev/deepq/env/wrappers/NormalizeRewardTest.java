package dev.deepq.env.wrappers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import dev.deepq.env.classic.CartPole;
import dev.deepq.env.spaces.Box;
import dev.deepq.random.Rng;
import org.junit.jupiter.api.Test;

class NormalizeRewardTest {
    private static final Box ONE = Box.float32(new double[] {-10}, new double[] {10});

    @Test
    void firstStepByHand() {
        NormalizeReward env = new NormalizeReward(new ScriptedEnv(ONE).onReset(0).onStep(new double[] {0}, 2.0, false, false));
        StepResult reset = env.reset();
        assertThat(reset.reward()).isZero();
        StepResult r = env.step(0);
        double total = 1e-4 + 1;
        // returns = 2; mean = 2 / total; var = (1e-4 + 4 * 1e-4 / total) / total
        double var = (1e-4 + 4 * 1e-4 / total) / total;
        assertThat(env.discountedReturn()).isEqualTo(2.0);
        assertThat(r.reward()).isEqualTo(2.0 / Math.sqrt(var + 1e-8));
    }

    @Test
    void matchesAStraightforwardReferenceAcrossEpisodeEnds() {
        // Rewards vary and episodes end both ways, so the cut at termination and the carry-over matter.
        ScriptedEnv inner = new ScriptedEnv(ONE).onReset(0);
        Rng rng = Rng.seeded(2);
        int steps = 400;
        double[] rewards = new double[steps];
        boolean[] terminated = new boolean[steps];
        boolean[] truncated = new boolean[steps];
        for (int t = 0; t < steps; t++) {
            rewards[t] = rng.uniform(-1, 3);
            terminated[t] = t % 37 == 36;
            truncated[t] = t % 53 == 52;
            inner.onStep(new double[] {0}, rewards[t], terminated[t], truncated[t]);
            if (terminated[t] || truncated[t]) {
                inner.onReset(0);
            }
        }
        NormalizeReward env = new NormalizeReward(inner);
        env.reset();
        double[] returns = new double[steps];
        double g = 0;
        for (int t = 0; t < steps; t++) {
            g = terminated[t] ? rewards[t] : 0.99 * g + rewards[t];
            returns[t] = g;
            StepResult r = env.step(0);
            double[] ref = RunningMeanStdTest.pooled(returns, t + 1);
            double expected = rewards[t] / Math.sqrt(ref[1] + 1e-8);
            assertThat(r.reward()).as("step %d", t).isCloseTo(expected, within(1e-9 * Math.abs(expected)));
            assertThat(env.discountedReturn()).isEqualTo(g);
            if (r.done()) {
                env.reset();
            }
        }
    }

    @Test
    void terminationCutsTheReturnButTruncationAndResetDoNot() {
        ScriptedEnv inner = new ScriptedEnv(ONE).onReset(0).onReset(0).onReset(0)
                .onStep(new double[] {0}, 1, false, false)
                .onStep(new double[] {0}, 1, false, true)
                .onStep(new double[] {0}, 1, false, false)
                .onStep(new double[] {0}, 5, true, false)
                .onStep(new double[] {0}, 1, false, false);
        NormalizeReward env = new NormalizeReward(inner);
        env.reset();
        env.step(0);
        assertThat(env.discountedReturn()).isEqualTo(1.0);
        env.step(0); // truncated: the return carries on (Gymnasium 0.29.1)
        assertThat(env.discountedReturn()).isEqualTo(0.99 * 1.0 + 1);
        env.reset();
        env.step(0);
        assertThat(env.discountedReturn()).isEqualTo(0.99 * (0.99 * 1.0 + 1) + 1);
        env.step(0); // terminated: the return restarts from this step's reward
        assertThat(env.discountedReturn()).isEqualTo(5.0);
        env.reset();
        env.step(0);
        assertThat(env.discountedReturn()).isEqualTo(0.99 * 5.0 + 1);
    }

    @Test
    void savedStateResumesIdentically() {
        CartPole cartPoleA = new CartPole();
        NormalizeReward a = new NormalizeReward(new TransformReward(cartPoleA, r -> r * 0.5 + 0.25), 0.9, 1e-8);
        a.reset(3);
        for (int i = 0; i < 6; i++) {
            a.step(i % 2);
        }
        RunningMeanStd.State saved = a.statistics().state();
        double savedReturn = a.discountedReturn();
        CartPole cartPoleB = new CartPole();
        NormalizeReward b = new NormalizeReward(new TransformReward(cartPoleB, r -> r * 0.5 + 0.25), 0.9, 1e-8);
        b.reset(3);
        b.statistics().restore(saved);
        b.setDiscountedReturn(savedReturn);
        cartPoleB.setState(cartPoleA.state());
        for (int i = 0; i < 5; i++) {
            StepResult ra = a.step(1 - i % 2);
            StepResult rb = b.step(1 - i % 2);
            assertThat(rb.reward()).isEqualTo(ra.reward());
        }
        assertThat(b.statistics().state()).isEqualTo(a.statistics().state());
    }

    @Test
    void frozenStatisticsScaleWithoutChanging() {
        NormalizeReward env = new NormalizeReward(Envs.make("CartPole-v1"));
        env.reset(0);
        env.step(0);
        env.step(1);
        env.setUpdateStatistics(false);
        RunningMeanStd.State frozen = env.statistics().state();
        StepResult r = env.step(0);
        assertThat(env.statistics().state()).isEqualTo(frozen);
        assertThat(r.reward()).isEqualTo(1.0 / Math.sqrt(frozen.var()[0] + 1e-8));
        assertThat(env.updatesStatistics()).isFalse();
    }

    @Test
    void rejectsBadParameters() {
        assertThatThrownBy(() -> new NormalizeReward(new CartPole(), 1.5, 1e-8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gamma");
        assertThatThrownBy(() -> new NormalizeReward(new CartPole(), 0.9, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epsilon");
    }
}
