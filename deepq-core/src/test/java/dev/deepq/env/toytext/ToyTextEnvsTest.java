package dev.deepq.env.toytext;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.env.Env;
import dev.deepq.env.EnvSpec;
import dev.deepq.env.Envs;
import dev.deepq.env.spaces.Discrete;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToyTextEnvsTest {
    @Test
    void registersGymnasiumsIdsLimitsAndThresholds() {
        assertSpec("FrozenLake-v1", 100, 0.70);
        assertSpec("FrozenLake8x8-v1", 200, 0.85);
        assertSpec("CliffWalking-v0", null, null);
        assertSpec("Taxi-v3", 200, 8.0);
        assertThat(Envs.spec("FrozenLake-v1").defaultOptions())
                .containsOnlyKeys("desc", "map_name", "is_slippery", "map_size", "map_seed")
                .containsEntry("map_name", "4x4").containsEntry("is_slippery", true).containsEntry("desc", null);
        assertThat(Envs.spec("FrozenLake8x8-v1").defaultOptions()).containsEntry("map_name", "8x8");
        assertThat(Envs.spec("CliffWalking-v0").defaultOptions()).isEmpty();
        assertThat(Envs.spec("Taxi-v3").defaultOptions()).isEmpty();
    }

    private static void assertSpec(String id, Integer maxSteps, Double threshold) {
        EnvSpec spec = Envs.spec(id);
        assertThat(spec.maxEpisodeSteps()).as(id).isEqualTo(maxSteps);
        assertThat(spec.rewardThreshold()).as(id).isEqualTo(threshold);
        assertThat(spec.description()).as(id).isNotBlank().doesNotContain("\n");
    }

    @Test
    void spacesMatchGymnasium() {
        assertSpaces("FrozenLake-v1", 16, 4);
        assertSpaces("FrozenLake8x8-v1", 64, 4);
        assertSpaces("CliffWalking-v0", 48, 4);
        assertSpaces("Taxi-v3", 500, 6);
    }

    private static void assertSpaces(String id, int states, int actions) {
        Env env = Envs.make(id);
        assertThat(env.observationSpace()).as(id).isEqualTo(new Discrete(states));
        assertThat(env.actionSpace()).as(id).isEqualTo(new Discrete(actions));
        assertThat(env.supportsTextRender()).as(id).isTrue();
    }

    @Test
    void frozenLake8x8IsSlipperyOnTheBigMapAndTruncatesAt200() {
        Env env = Envs.make("FrozenLake8x8-v1", Map.of("is_slippery", false));
        FrozenLake lake = (FrozenLake) env.unwrapped();
        assertThat(lake.desc()).isEqualTo(FrozenLake.MAPS.get("8x8"));
        env.reset(0);
        for (int i = 0; i < 199; i++) {
            assertThat(env.step(FrozenLake.UP).done()).isFalse();
        }
        assertThat(env.step(FrozenLake.UP).truncated()).isTrue();
        assertThat(((FrozenLake) Envs.make("FrozenLake8x8-v1").unwrapped()).isSlippery()).isTrue();
    }
}
