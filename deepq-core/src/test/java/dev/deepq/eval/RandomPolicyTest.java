package dev.deepq.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.env.Envs;
import org.junit.jupiter.api.Test;

class RandomPolicyTest {

    @Test
    void statisticsAreComputedOverCompleteEpisodes() {
        EpisodeStats stats = RandomPolicy.evaluate(Envs.make("CartPole-v1"), 50, 3, 1_000);
        assertThat(stats.episodes()).isEqualTo(50);
        // CartPole pays 1 per step, so every return equals its length.
        for (int i = 0; i < 50; i++) {
            assertThat(stats.returns()[i]).isEqualTo(stats.lengths()[i]);
        }
        assertThat(stats.mean()).isBetween(15.0, 30.0);
        assertThat(stats.min()).isGreaterThanOrEqualTo(8.0);
    }

    @Test
    void sameSeedSameResult() {
        EpisodeStats a = RandomPolicy.evaluate(Envs.make("CartPole-v1"), 20, 7, 1_000);
        EpisodeStats b = RandomPolicy.evaluate(Envs.make("CartPole-v1"), 20, 7, 1_000);
        EpisodeStats c = RandomPolicy.evaluate(Envs.make("CartPole-v1"), 20, 8, 1_000);
        assertThat(b.returns()).containsExactly(a.returns());
        assertThat(c.returns()).isNotEqualTo(a.returns());
    }

    @Test
    void populationStdAsNumpy() {
        EpisodeStats s = new EpisodeStats(new double[] {1, 2, 3, 4}, new int[] {1, 1, 1, 1});
        assertThat(s.std()).isEqualTo(Math.sqrt(1.25));
        assertThat(s.meanLength()).isEqualTo(1.0);
    }

    @Test
    void runawayEpisodesAreReported() {
        assertThatThrownBy(() -> RandomPolicy.evaluate(Envs.make("CartPole-v1"), 1, 0, 3))
                .hasMessageContaining("ran past 3 steps");
    }
}
