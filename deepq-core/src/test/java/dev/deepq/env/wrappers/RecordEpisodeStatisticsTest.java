package dev.deepq.env.wrappers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import dev.deepq.env.spaces.Box;
import dev.deepq.random.Rng;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordEpisodeStatisticsTest {
    private static final Box ONE = Box.float32(new double[] {-10}, new double[] {10});

    @Test
    void endingStepCarriesReturnLengthAndTime() {
        RecordEpisodeStatistics env = new RecordEpisodeStatistics(Envs.make("CartPole-v1"));
        Rng actions = Rng.seeded(3);
        env.reset(11);
        double sum = 0;
        int steps = 0;
        StepResult r;
        do {
            r = env.step((int) (actions.random() * 2));
            sum += r.reward();
            steps++;
            if (!r.done()) {
                assertThat(r.info().has(RecordEpisodeStatistics.RETURN_KEY)).isFalse();
                assertThat(env.currentLength()).isEqualTo(steps);
            }
        } while (!r.done());
        assertThat(r.info().get(RecordEpisodeStatistics.RETURN_KEY)).isEqualTo(sum);
        assertThat(r.info().get(RecordEpisodeStatistics.LENGTH_KEY)).isEqualTo(steps);
        assertThat(r.info().get(RecordEpisodeStatistics.TIME_KEY)).isBetween(0.0, 60.0);
        assertThat(env.episodeCount()).isEqualTo(1);
        assertThat(env.lastReturn()).isEqualTo(sum);
        assertThat(env.lastLength()).isEqualTo(steps);
        // The counters restart for the next episode.
        assertThat(env.currentLength()).isZero();
        assertThat(env.currentReturn()).isZero();
    }

    @Test
    void truncationByTimeLimitEndsAnEpisodeToo() {
        RecordEpisodeStatistics env = new RecordEpisodeStatistics(Envs.make("CartPole-v1", Map.of(), 3));
        env.reset(0);
        env.step(0);
        env.step(1);
        StepResult r = env.step(0);
        assertThat(r.truncated()).isTrue();
        assertThat(r.info().get(RecordEpisodeStatistics.RETURN_KEY)).isEqualTo(3.0);
        assertThat(r.info().get(RecordEpisodeStatistics.LENGTH_KEY)).isEqualTo(3.0);
    }

    @Test
    void returnsAreSummedInFloat32AsGymnasium() {
        ScriptedEnv inner = new ScriptedEnv(ONE).onReset(0);
        for (int i = 0; i < 10; i++) {
            inner.onStep(new double[] {0}, 0.1, i == 9, false);
        }
        RecordEpisodeStatistics env = new RecordEpisodeStatistics(inner);
        env.reset();
        StepResult r = null;
        for (int i = 0; i < 10; i++) {
            r = env.step(0);
        }
        float expected = 0f;
        for (int i = 0; i < 10; i++) {
            expected += (float) 0.1;
        }
        double doubleSum = 0;
        for (int i = 0; i < 10; i++) {
            doubleSum += 0.1;
        }
        assertThat(r.info().get(RecordEpisodeStatistics.RETURN_KEY)).isEqualTo((double) expected)
                .isNotEqualTo(doubleSum);
    }

    @Test
    void queueKeepsTheLastEpisodesOldestFirst() {
        ScriptedEnv inner = new ScriptedEnv(ONE);
        // Five episodes; episode e has e + 1 steps with reward e each.
        for (int e = 0; e < 5; e++) {
            inner.onReset(0);
            for (int s = 0; s <= e; s++) {
                inner.onStep(new double[] {0}, e, s == e, false);
            }
        }
        RecordEpisodeStatistics env = new RecordEpisodeStatistics(inner, 3);
        assertThat(env.queueSize()).isZero();
        assertThat(env.meanReturn()).isNaN();
        assertThatThrownBy(env::lastReturn).isInstanceOf(IllegalStateException.class).hasMessageContaining("no episode");
        for (int e = 0; e < 5; e++) {
            env.reset();
            StepResult r;
            do {
                r = env.step(1);
            } while (!r.done());
        }
        assertThat(env.episodeCount()).isEqualTo(5);
        assertThat(env.queueCapacity()).isEqualTo(3);
        assertThat(env.queueSize()).isEqualTo(3);
        // Episodes 2, 3, 4: returns 2*3, 3*4, 4*5 and lengths 3, 4, 5.
        assertThat(env.returnQueue()).containsExactly(6.0, 12.0, 20.0);
        assertThat(env.lengthQueue()).containsExactly(3, 4, 5);
        assertThat(env.queuedReturn(0)).isEqualTo(6.0);
        assertThat(env.lastReturn()).isEqualTo(20.0);
        assertThat(env.lastLength()).isEqualTo(5);
        assertThat(env.meanReturn()).isEqualTo(38.0 / 3);
        assertThat(env.meanLength()).isEqualTo(4.0);
        assertThatThrownBy(() -> env.queuedReturn(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void resetInMidEpisodeDiscardsIt() {
        ScriptedEnv inner = new ScriptedEnv(ONE).onReset(0).onReset(0)
                .onStep(new double[] {0}, 5, false, false)
                .onStep(new double[] {0}, 1, true, false);
        RecordEpisodeStatistics env = new RecordEpisodeStatistics(inner);
        env.reset();
        env.step(0);
        env.reset();
        StepResult r = env.step(0);
        assertThat(r.info().get(RecordEpisodeStatistics.RETURN_KEY)).isEqualTo(1.0);
        assertThat(r.info().get(RecordEpisodeStatistics.LENGTH_KEY)).isEqualTo(1.0);
        assertThat(env.episodeCount()).isEqualTo(1);
    }

    @Test
    void appliedTwiceIsAnError() {
        Env env = new RecordEpisodeStatistics(new RecordEpisodeStatistics(Envs.make("CartPole-v1", Map.of(), 1)));
        env.reset(0);
        assertThatThrownBy(() -> env.step(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("episode.r").hasMessageContaining("twice");
    }

    @Test
    void rejectsANonPositiveQueueSize() {
        assertThatThrownBy(() -> new RecordEpisodeStatistics(Envs.make("CartPole-v1"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queue size");
    }
}
