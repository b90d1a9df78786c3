package dev.deepq.env.wrappers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import dev.deepq.env.classic.CartPole;
import dev.deepq.random.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NormalizeObservationTest {

    @Test
    void firstObservationByHand() {
        double[] raw = new CartPole().reset(0).observation().clone();
        NormalizeObservation env = new NormalizeObservation(new CartPole());
        double[] out = env.reset(0).observation();
        double total = 1e-4 + 1;
        // After one sample x: mean = x / total, var = (1e-4 + x^2 * 1e-4 / total) / total.
        for (int i = 0; i < 4; i++) {
            double mean = raw[i] / total;
            double var = (1e-4 + raw[i] * raw[i] * 1e-4 / total) / total;
            assertThat(out[i]).isEqualTo((raw[i] - mean) / Math.sqrt(var + 1e-8));
        }
    }

    /** CartPole's observation: its float64 state rounded to float32. */
    private static double[] rawObservation(Env env) {
        double[] state = ((CartPole) env.unwrapped()).state();
        double[] obs = new double[4];
        for (int i = 0; i < 4; i++) {
            obs[i] = (float) state[i];
        }
        return obs;
    }

    @Test
    void matchesAStraightforwardReferenceOverAnEpisodeStream() {
        Env inner = Envs.make("CartPole-v1", Map.of(), 50);
        NormalizeObservation env = new NormalizeObservation(inner);
        Rng actions = Rng.seeded(9);
        List<double[]> seen = new ArrayList<>();
        StepResult r = env.reset(4);
        for (int t = 0; t < 600; t++) {
            seen.add(rawObservation(inner));
            checkAgainstReference(seen, r.observation());
            r = r.done() ? env.reset() : env.step((int) (actions.random() * 2));
        }
    }

    /** (x - mean) / sqrt(var + 1e-8) with mean and var pooled directly over everything seen, including x. */
    private static void checkAgainstReference(List<double[]> seen, double[] normalized) {
        int n = seen.size();
        double[] xs = new double[n];
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < n; k++) {
                xs[k] = seen.get(k)[i];
            }
            double[] ref = RunningMeanStdTest.pooled(xs, n);
            double expected = (xs[n - 1] - ref[0]) / Math.sqrt(ref[1] + 1e-8);
            assertThat(normalized[i]).as("element %d after %d observations", i, n)
                    .isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
        }
    }

    @Test
    void leavesTheInnerObservationRaw() {
        CartPole cartPole = new CartPole();
        NormalizeObservation env = new NormalizeObservation(cartPole);
        env.reset(1);
        StepResult wrapped = env.step(1);
        StepResult inner = cartPole.step(0); // the same StepResult the wrapper read from
        assertThat(wrapped.observation()).isNotSameAs(inner.observation());
        assertThat(inner.observation()).containsExactly(rawObservation(cartPole));
        assertThat(env.observationSpace()).isEqualTo(cartPole.observationSpace());
    }

    @Test
    void frozenStatisticsNormalizeWithoutChanging() {
        NormalizeObservation env = new NormalizeObservation(Envs.make("CartPole-v1"));
        env.reset(0);
        for (int i = 0; i < 5; i++) {
            env.step(i % 2);
        }
        env.setUpdateStatistics(false);
        assertThat(env.updatesStatistics()).isFalse();
        RunningMeanStd.State frozen = env.statistics().state();
        StepResult r = env.step(0);
        assertThat(env.statistics().state()).isEqualTo(frozen);
        double[] raw = rawObservation(env);
        for (int i = 0; i < 4; i++) {
            assertThat(r.observation()[i]).isEqualTo((raw[i] - frozen.mean()[i]) / Math.sqrt(frozen.var()[i] + 1e-8));
        }
    }

    @Test
    void savedStatisticsResumeIdentically() {
        CartPole cartPoleA = new CartPole();
        NormalizeObservation a = new NormalizeObservation(cartPoleA);
        a.reset(7);
        Rng actions = Rng.seeded(1);
        for (int i = 0; i < 8; i++) {
            a.step((int) (actions.random() * 2));
        }
        RunningMeanStd.State saved = a.statistics().state();
        double[] envState = cartPoleA.state();

        CartPole cartPoleB = new CartPole();
        NormalizeObservation b = new NormalizeObservation(cartPoleB);
        b.reset(123);
        b.statistics().restore(saved);
        cartPoleB.setState(envState);
        Rng actionsB = Rng.seeded(77);
        Rng actionsA = Rng.seeded(77);
        for (int i = 0; i < 20; i++) {
            StepResult ra = a.step((int) (actionsA.random() * 2));
            StepResult rb = b.step((int) (actionsB.random() * 2));
            assertThat(rb.observation()).containsExactly(ra.observation());
            if (ra.done()) {
                break;
            }
        }
        assertThat(b.statistics().state()).isEqualTo(a.statistics().state());
    }
}
