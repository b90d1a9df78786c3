package dev.deepq.env.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.env.spaces.MultiDiscrete;
import dev.deepq.random.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VectorEnvTest {

    private static VectorEnv counting(int threads, int... episodeLengths) {
        return VectorEnvs.make(i -> new CountingEnv(new Discrete(3), episodeLengths[i]), episodeLengths.length, threads);
    }

    private static double[] slice(double[] flat, int i, int size) {
        return Arrays.copyOfRange(flat, i * size, (i + 1) * size);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void autoresetOnTerminationInTheSameStep(int threads) {
        try (VectorEnv v = counting(threads, 2, 3)) {
            v.reset(10);
            Rng seed10 = Rng.seeded(10);
            Rng seed11 = Rng.seeded(11);
            double first0 = seed10.random();
            double first1 = seed11.random();
            assertThat(v.observations()).containsExactly(first0, 0, 0, first1, 0, 0);
            assertThat(v.info(0).get("reset")).isEqualTo(1.0);

            v.step(new int[] {2, 1});
            assertThat(v.observations()).containsExactly(first0, 1, 2, first1, 1, 1);
            assertThat(v.rewards()).containsExactly(3, 2);
            assertThat(v.hasFinalObservation()).containsExactly(false, false);

            v.step(new int[] {1, 0});
            // Env 0 ended (2 steps): its final observation is kept, and it already shows its next episode's start.
            assertThat(v.terminated()).containsExactly(true, false);
            assertThat(v.truncated()).containsExactly(false, false);
            assertThat(v.rewards()).containsExactly(2, 1);
            assertThat(v.hasFinalObservation()).containsExactly(true, false);
            assertThat(slice(v.finalObservations(), 0, 3)).containsExactly(first0, 2, 3);
            assertThat(slice(v.finalObservations(), 1, 3)).containsExactly(0, 0, 0);
            double second0 = seed10.random(); // the unseeded reset continues env 0's generator
            assertThat(v.observations()).containsExactly(second0, 0, 0, first1, 2, 1);
            assertThat(v.finalInfo(0).get("steps")).isEqualTo(2.0);
            assertThat(v.finalInfo(1).size()).isZero();
            assertThat(v.info(0).has("reset")).isTrue();
            assertThat(v.info(0).has("steps")).isFalse();
            assertThat(v.info(1).get("steps")).isEqualTo(2.0);

            v.step(new int[] {0, 2});
            assertThat(v.terminated()).containsExactly(false, true);
            assertThat(v.hasFinalObservation()).containsExactly(false, true);
            assertThat(v.finalObservations()).containsExactly(0, 0, 0, first1, 3, 3);
            assertThat(v.observations()).containsExactly(second0, 1, 0, seed11.random(), 0, 0);
            assertThat(v.finalInfo(0).size()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void autoresetOnTruncationKeepsTheFinalObservationForBootstrapping(int threads) {
        int n = 3;
        int limit = 5;
        try (VectorEnv v = VectorEnvs.make(i -> Envs.make("CartPole-v1", Map.of(), limit), n, threads)) {
            Env[] singles = new Env[n];
            for (int i = 0; i < n; i++) {
                singles[i] = Envs.make("CartPole-v1", Map.of(), limit);
                singles[i].reset(7 + i);
            }
            v.reset(7);
            int[] actions = new int[n];
            for (int t = 1; t <= 2 * limit; t++) {
                Arrays.fill(actions, t % 2);
                v.step(actions);
                boolean ends = t % limit == 0;
                for (int i = 0; i < n; i++) {
                    StepResult s = singles[i].step(actions[i]);
                    assertThat(v.truncated()[i]).as("t=%d env %d", t, i).isEqualTo(ends);
                    assertThat(v.terminated()[i]).isFalse();
                    assertThat(v.hasFinalObservation()[i]).isEqualTo(ends);
                    if (ends) {
                        assertThat(slice(v.finalObservations(), i, 4)).containsExactly(s.observation());
                        s = singles[i].reset();
                    }
                    assertThat(slice(v.observations(), i, 4)).containsExactly(s.observation());
                }
            }
        }
    }

    @Test
    void envIFollowsASingleEnvSeededWithSeedPlusI() {
        int n = 4;
        try (VectorEnv v = VectorEnvs.make("CartPole-v1", n)) {
            Env[] singles = new Env[n];
            for (int i = 0; i < n; i++) {
                singles[i] = Envs.make("CartPole-v1");
                singles[i].reset(42 + i);
            }
            v.reset(42);
            for (int i = 0; i < n; i++) {
                assertThat(slice(v.observations(), i, 4)).containsExactly(Envs.make("CartPole-v1").reset(42 + i).observation());
            }
            Rng actionRng = Rng.seeded(5);
            int[] actions = new int[n];
            int episodesEnded = 0;
            for (int t = 0; t < 800; t++) {
                for (int i = 0; i < n; i++) {
                    actions[i] = (int) (actionRng.random() * 2);
                }
                v.step(actions);
                for (int i = 0; i < n; i++) {
                    StepResult s = singles[i].step(actions[i]);
                    assertThat(v.rewards()[i]).isEqualTo(s.reward());
                    assertThat(v.terminated()[i]).isEqualTo(s.terminated());
                    assertThat(v.truncated()[i]).isEqualTo(s.truncated());
                    if (s.done()) {
                        episodesEnded++;
                        assertThat(slice(v.finalObservations(), i, 4)).containsExactly(s.observation());
                        s = singles[i].reset();
                    }
                    assertThat(slice(v.observations(), i, 4)).as("t=%d env %d", t, i).containsExactly(s.observation());
                }
            }
            assertThat(episodesEnded).isGreaterThan(50);
        }
    }

    /** Every output of {@code steps} random steps, concatenated; counts terminations and truncations into {@code endings}. */
    private static double[] trace(VectorEnv v, int steps, int[] endings) {
        int n = v.numEnvs();
        int width = 2 * n * 4 + 4 * n;
        double[] trace = new double[(steps + 1) * width];
        Rng actionRng = Rng.seeded(99);
        int[] actions = new int[n];
        v.reset(1234);
        int pos = 0;
        for (int t = 0; t <= steps; t++) {
            if (t > 0) {
                for (int i = 0; i < n; i++) {
                    actions[i] = (int) (actionRng.random() * 2);
                }
                v.step(actions);
            }
            System.arraycopy(v.observations(), 0, trace, pos, 4 * n);
            pos += 4 * n;
            System.arraycopy(v.finalObservations(), 0, trace, pos, 4 * n);
            pos += 4 * n;
            for (int i = 0; i < n; i++) {
                trace[pos++] = v.rewards()[i];
                trace[pos++] = v.terminated()[i] ? 1 : 0;
                trace[pos++] = v.truncated()[i] ? 1 : 0;
                trace[pos++] = v.hasFinalObservation()[i] ? 1 : 0;
                endings[0] += v.terminated()[i] ? 1 : 0;
                endings[1] += v.truncated()[i] ? 1 : 0;
            }
        }
        return trace;
    }

    /** CartPoles with a 20-step limit, so that random play ends episodes both ways. */
    private static List<Env> cartPoles(int n) {
        List<Env> envs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            envs.add(Envs.make("CartPole-v1", Map.of(), 20));
        }
        return envs;
    }

    @Test
    void threadedResultsAreBitIdenticalToSyncForAnyThreadCount() {
        int n = 5;
        int steps = 3000;
        int[] endings = new int[2];
        double[] expected;
        try (VectorEnv sync = new SyncVectorEnv(cartPoles(n))) {
            expected = trace(sync, steps, endings);
        }
        assertThat(endings[0]).as("terminations").isGreaterThan(100);
        assertThat(endings[1]).as("truncations").isGreaterThan(100);
        for (int threads : new int[] {1, 2, 3}) {
            try (ThreadedVectorEnv threaded = new ThreadedVectorEnv(cartPoles(n), threads)) {
                assertThat(threaded.threads()).isEqualTo(threads);
                assertThat(threaded.workerThreads()).hasSize(threads - 1);
                double[] actual = trace(threaded, steps, new int[2]);
                assertThat(Arrays.equals(actual, expected)).as("%d threads equal to sync", threads).isTrue();
            }
        }
    }

    @Test
    void factoryPicksTheImplementationByThreadCount() {
        try (VectorEnv sync = VectorEnvs.make("CartPole-v1", 2);
             VectorEnv threaded = VectorEnvs.make("CartPole-v1", Map.of(), 3, 2)) {
            assertThat(sync).isInstanceOf(SyncVectorEnv.class);
            assertThat(threaded).isInstanceOf(ThreadedVectorEnv.class);
            assertThat(threaded.numEnvs()).isEqualTo(3);
            assertThat(threaded.singleObservationSpace()).isEqualTo(Envs.make("CartPole-v1").observationSpace());
            assertThat(threaded.singleActionSpace()).isEqualTo(new Discrete(2));
            assertThat(threaded.env(2).spec().maxEpisodeSteps()).isEqualTo(500);
        }
        try (ThreadedVectorEnv capped = new ThreadedVectorEnv(cartPoles(2), 8)) {
            assertThat(capped.threads()).isEqualTo(2);
        }
    }

    @Test
    void multiDiscreteAndBoxActionsAreFlatPerEnv() {
        try (VectorEnv v = VectorEnvs.make(i -> new CountingEnv(new MultiDiscrete(3, 4), 10), 2, 2)) {
            v.reset(0);
            v.step(new int[] {2, 3, 1, 0});
            assertThat(v.rewards()).containsExactly(6, 2);
            assertThatThrownBy(() -> v.step(new int[] {2, 3, 1, 4})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("for env 1").hasMessageContaining("[1, 4]")
                    .hasMessageContaining("MultiDiscrete([3 4])");
            assertThatThrownBy(() -> v.step(new int[] {2, 3, 1})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("got 3 actions").hasMessageContaining("need 4");
        }
        Box box = Box.float32(new double[] {-1, -1}, new double[] {1, 1});
        try (VectorEnv v = VectorEnvs.make(i -> new CountingEnv(box, 10), 3, 1)) {
            v.reset(0);
            v.step(new double[] {0.5, 0.25, -1, -1, 1, 0});
            assertThat(v.rewards()).containsExactly(1.75, -1, 2);
            assertThatThrownBy(() -> v.step(new double[] {0, 0, 0, 0, 1.5, 0})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("for env 2").hasMessageContaining("not in the action space");
            assertThatThrownBy(() -> v.step(new double[] {0, 0, Double.NaN, 0, 0, 0}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("for env 1 contains NaN");
            assertThatThrownBy(() -> v.step(new int[] {0, 0, 0})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("use step(double[])");
            // A rejected call moved no env.
            assertThat(v.observations()[1]).isEqualTo(1.0);
        }
    }
}
