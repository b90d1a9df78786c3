package dev.deepq.env.toytext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import dev.deepq.random.Rng;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrozenLakeTest {
    private static final String HIGHLIGHT = "\u001b[41m";
    private static final String RESET = "\u001b[0m";

    private static FrozenLake lake(Map<String, ?> options) {
        return (FrozenLake) Envs.make("FrozenLake-v1", options).unwrapped();
    }

    @Test
    void defaultIsTheSlippery4x4MapOfGymnasium() {
        FrozenLake env = lake(Map.of());
        assertThat(env.desc()).containsExactly("SFFF", "FHFH", "FFFH", "HFFG");
        assertThat(env.isSlippery()).isTrue();
        assertThat(env.transitions(0, FrozenLake.DOWN)).containsExactly(
                new Transition(1.0 / 3.0, 0, 0.0, false),
                new Transition(1.0 / 3.0, 4, 0.0, false),
                new Transition(1.0 / 3.0, 1, 0.0, false));
    }

    @Test
    void goalPaysOneAndHolesEndTheEpisode() {
        FrozenLake env = new FrozenLake(List.of("SH", "FG"), false);
        env.reset(0);
        StepResult r = env.step(FrozenLake.RIGHT);
        assertThat(r.discreteObservation()).isEqualTo(1);
        assertThat(r.reward()).isZero();
        assertThat(r.terminated()).isTrue();

        env.reset();
        env.step(FrozenLake.DOWN);
        r = env.step(FrozenLake.RIGHT);
        assertThat(r.discreteObservation()).isEqualTo(3);
        assertThat(r.reward()).isEqualTo(1.0);
        assertThat(r.terminated()).isTrue();
        assertThat(r.info().get("prob")).isEqualTo(1.0);
    }

    @Test
    void everyResetAndStepTakesOneDrawEvenWhenTheOutcomeIsCertain() {
        FrozenLake env = new FrozenLake("4x4", false);
        env.reset(17);
        env.step(FrozenLake.LEFT);
        env.step(FrozenLake.UP);
        Rng reference = Rng.seeded(17);
        for (int i = 0; i < 3; i++) {
            reference.random();
        }
        assertThat(env.rng().random()).isEqualTo(reference.random());
    }

    @Test
    void severalStartCellsAreEquallyLikely() {
        FrozenLake env = new FrozenLake(List.of("SFS", "FFG"), true);
        assertThat(env.initialStateDistribution()).containsExactly(0.5, 0, 0.5, 0, 0, 0);
        boolean[] seen = new boolean[6];
        for (int seed = 0; seed < 40; seed++) {
            seen[env.reset(seed).discreteObservation()] = true;
        }
        assertThat(seen).containsExactly(true, false, true, false, false, false);
    }

    @Test
    void optionsSelectTheMap() {
        assertThat(lake(Map.of("map_name", "8x8")).desc()).isEqualTo(FrozenLake.MAPS.get("8x8"));
        assertThat(lake(Map.of("is_slippery", "false")).isSlippery()).isFalse();
        // desc wins over map_name, as in Gymnasium; a comma-separated string works (command lines)
        assertThat(lake(Map.of("desc", "SFF,FHG", "map_name", "8x8")).desc()).containsExactly("SFF", "FHG");
        assertThat(lake(Map.of("desc", List.of("SF", "HG"))).desc()).containsExactly("SF", "HG");
    }

    @Test
    void withoutDescAndMapNameTheMapIsGeneratedFromMapSizeAndMapSeed() {
        Map<String, Object> options = new HashMap<>();
        options.put("map_name", null);
        assertThat(lake(options).desc()).isEqualTo(FrozenLake.generateRandomMap(8, 0.8, 0));
        options.put("map_size", 5);
        options.put("map_seed", 3);
        FrozenLake env = lake(options);
        assertThat(env.desc()).isEqualTo(FrozenLake.generateRandomMap(5, 0.8, 3));
        assertThat(env.stateCount()).isEqualTo(25);
    }

    @Test
    void badMapsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> lake(Map.of("desc", List.of("SFFF", "FH", "FFFG"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1").hasMessageContaining("equally long");
        assertThatThrownBy(() -> lake(Map.of("desc", List.of("SFX", "FFG"))))
                .hasMessageContaining("'X'").hasMessageContaining("S (start), F (frozen), H (hole), G (goal)");
        assertThatThrownBy(() -> lake(Map.of("desc", List.of("FFF", "FFG")))).hasMessageContaining("no start cell 'S'");
        assertThatThrownBy(() -> lake(Map.of("desc", List.of("SFF", "FFH")))).hasMessageContaining("no goal cell 'G'");
        assertThatThrownBy(() -> lake(Map.of("desc", List.of()))).hasMessageContaining("at least one row");
        assertThatThrownBy(() -> new FrozenLake(List.of("", ""), true)).hasMessageContaining("empty");
    }

    @Test
    void unknownMapNameAndWrongTypesAreErrors() {
        assertThatThrownBy(() -> lake(Map.of("map_name", "5x5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("map_name").hasMessageContaining("\"4x4\"").hasMessageContaining("5x5");
        assertThatThrownBy(() -> new FrozenLake("16x16", true)).hasMessageContaining("unknown map name '16x16'");
        assertThatThrownBy(() -> lake(Map.of("is_slippery", "maybe")))
                .hasMessageContaining("FrozenLake-v1").hasMessageContaining("is_slippery").hasMessageContaining("true or false");
        assertThatThrownBy(() -> lake(Map.of("desc", 42))).hasMessageContaining("desc").hasMessageContaining("list of strings");
        assertThatThrownBy(() -> lake(Map.of("map_name", 8))).hasMessageContaining("map_name").hasMessageContaining("string");
        Map<String, Object> random = new HashMap<>();
        random.put("map_name", null);
        random.put("map_seed", "abc");
        assertThatThrownBy(() -> lake(random)).hasMessageContaining("map_seed").hasMessageContaining("integer");
        random.put("map_seed", 1);
        random.put("map_size", 1.5);
        assertThatThrownBy(() -> lake(random)).hasMessageContaining("map_size").hasMessageContaining("integer");
        assertThatThrownBy(() -> Envs.make("FrozenLake-v1", Map.of("slippery", true)))
                .hasMessageContaining("slippery").hasMessageContaining("is_slippery");
    }

    @Test
    void randomMapsMatchGymnasiumsGeneratorOnNumpy() throws IOException {
        JsonNode fixture;
        try (InputStream in = FrozenLakeTest.class.getResourceAsStream("/toytext/random_maps.json")) {
            assertThat(in).as("fixture toytext/random_maps.json").isNotNull();
            fixture = new ObjectMapper().readTree(in);
        }
        assertThat(fixture.get("cases").size()).isGreaterThanOrEqualTo(5);
        for (JsonNode c : fixture.get("cases")) {
            int size = c.get("size").asInt();
            double p = c.get("p").asDouble();
            long seed = c.get("seed").asLong();
            List<String> expected = new ArrayList<>();
            c.get("desc").forEach(row -> expected.add(row.asText()));
            String what = "generate_random_map(" + size + ", " + p + ", " + seed + ")";
            assertThat(FrozenLake.generateRandomMap(size, p, seed)).as(what).isEqualTo(expected);
            // the generator then continues exactly where NumPy's does: size*size draws per attempt, no more
            Rng rng = Rng.seeded(seed);
            FrozenLake.generateRandomMap(size, p, rng);
            assertThat(rng.random()).as(what + " next draw after " + c.get("attempts").asInt() + " attempt(s)")
                    .isEqualTo(c.get("next_random").asDouble());
        }
    }

    @Test
    void randomMapArgumentsAreChecked() {
        assertThatThrownBy(() -> FrozenLake.generateRandomMap(1, 0.8, 0)).hasMessageContaining("size must be at least 2");
        assertThatThrownBy(() -> FrozenLake.generateRandomMap(8, 0.0, 0)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> FrozenLake.generateRandomMap(8, Double.NaN, 0)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> FrozenLake.generateRandomMap(8, 0.8, -1)).hasMessageContaining("non-negative");
    }

    @Test
    void reachabilityIsGymnasiumsIsValid() {
        assertThat(FrozenLake.goalReachable(grid("SFH", "HFH", "HFG"))).isTrue();
        assertThat(FrozenLake.goalReachable(grid("SFH", "HHF", "FFG"))).isFalse();
        assertThat(FrozenLake.goalReachable(grid("SF", "FG"))).isTrue();
        assertThat(FrozenLake.goalReachable(grid("SH", "HG"))).isFalse();
    }

    private static char[][] grid(String... rows) {
        char[][] g = new char[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            g[i] = rows[i].toCharArray();
        }
        return g;
    }

    @Test
    void rendersLikeGymnasiumsAnsiMode() {
        Env env = Envs.make("FrozenLake-v1", Map.of("is_slippery", false));
        assertThat(env.supportsTextRender()).isTrue();
        env.reset(0);
        assertThat(env.renderText()).isEqualTo("\n" + HIGHLIGHT + "S" + RESET + "FFF\nFHFH\nFFFH\nHFFG\n");
        env.step(FrozenLake.RIGHT);
        assertThat(env.renderText()).isEqualTo("  (Right)\nS" + HIGHLIGHT + "F" + RESET + "FF\nFHFH\nFFFH\nHFFG\n");
        env.step(FrozenLake.DOWN);
        assertThat(env.renderText()).isEqualTo("  (Down)\nSFFF\nF" + HIGHLIGHT + "H" + RESET + "FH\nFFFH\nHFFG\n");
    }
}
