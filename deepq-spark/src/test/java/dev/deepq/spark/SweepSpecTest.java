package dev.deepq.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SweepSpecTest {
    static final String VALID = """
            env: CartPole-v1
            algo: dqn
            preset: none
            steps: 2000
            seeds: [0, 1, 2]
            base:
              learning_starts: 500
              hidden: [16, 16]
            grid:
              learning_rate: [1e-3, 5.0e-4]
              batch_size: [32, 64]
            eval: {episodes: 3, frequency: 1000}
            output: out/lr
            """;

    @Test
    void readsEveryKey() {
        SweepSpec s = SweepSpec.parse(VALID, "sweep.yaml");
        assertThat(s.env()).isEqualTo("CartPole-v1");
        assertThat(s.algo()).isEqualTo("dqn");
        assertThat(s.preset()).isEqualTo("none");
        assertThat(s.steps()).isEqualTo(2000L);
        assertThat(s.seeds()).containsExactly(0L, 1L, 2L);
        assertThat(s.base()).containsEntry("learning_starts", 500L).containsEntry("hidden", List.of(16L, 16L));
        // 1e-3 is text to YAML 1.1; it is read as the number it means
        assertThat(s.grid().get("learning_rate")).containsExactly(1e-3, 5e-4);
        assertThat(s.grid().get("batch_size")).containsExactly(32L, 64L);
        assertThat(s.evalEpisodes()).isEqualTo(3);
        assertThat(s.evalFrequency()).isEqualTo(1000L);
        assertThat(s.output()).hasToString("out/lr");
        assertThat(s.random()).isNull();
    }

    @Test
    void seedsAsACountAreZeroToNMinusOne() {
        SweepSpec s = SweepSpec.parse("env: CartPole-v1\nseeds: 4\n", "s.yaml");
        assertThat(s.seeds()).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void readsARandomSearch() {
        SweepSpec s = SweepSpec.parse("""
                env: CartPole-v1
                random:
                  samples: 5
                  seed: 7
                  space:
                    learning_rate: {loguniform: [1e-5, 1e-2]}
                    gamma: {uniform: [0.9, 0.999]}
                    batch_size: {choice: [32, 64, 128]}
                    train_frequency: {integer: [1, 10]}
                """, "s.yaml");
        assertThat(s.random().samples()).isEqualTo(5);
        assertThat(s.random().seed()).isEqualTo(7);
        assertThat(s.random().space()).containsOnlyKeys("learning_rate", "gamma", "batch_size", "train_frequency");
        assertThat(s.random().space().get("learning_rate").kind()).isEqualTo("loguniform");
    }

    @Test
    void unknownKeyNamesFileLineAndValidKeys() {
        assertThatThrownBy(() -> SweepSpec.parse("env: CartPole-v1\nseeds: 2\nsteps: 100\ngird:\n  lr: [1]\n", "my.yaml"))
                .isInstanceOf(SweepFileException.class)
                .hasMessageContaining("my.yaml, line 4").hasMessageContaining("unknown key 'gird'")
                .hasMessageContaining("grid");
    }

    @Test
    void nestedUnknownKeyNamesItsLine() {
        assertThatThrownBy(() -> SweepSpec.parse("env: CartPole-v1\neval:\n  episodes: 3\n  every: 10\n", "my.yaml"))
                .hasMessageContaining("my.yaml, line 4").hasMessageContaining("'eval.every'");
    }

    @Test
    void malformedYamlGivesTheLine() {
        assertThatThrownBy(() -> SweepSpec.parse("env: CartPole-v1\ngrid: {learning_rate: [1, 2}\n", "bad.yaml"))
                .hasMessageContaining("bad.yaml, line 2").hasMessageContaining("malformed YAML");
    }

    @Test
    void gridValuesMustBeAList() {
        assertThatThrownBy(() -> SweepSpec.parse("env: CartPole-v1\ngrid:\n  learning_rate: 0.001\n", "g.yaml"))
                .hasMessageContaining("g.yaml, line 3").hasMessageContaining("'grid.learning_rate' must be a non-empty list");
    }

    @Test
    void badSeedsAreRefused() {
        assertThatThrownBy(() -> SweepSpec.parse("env: CartPole-v1\nseeds: [0, -1]\n", "s.yaml"))
                .hasMessageContaining("s.yaml, line 2").hasMessageContaining("non-negative");
        assertThatThrownBy(() -> SweepSpec.parse("env: CartPole-v1\nseeds: [1, 1]\n", "s.yaml"))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> SweepSpec.parse("env: CartPole-v1\nseeds: 0\n", "s.yaml"))
                .hasMessageContaining("between 1 and");
    }

    @Test
    void badDistributionsAreRefused() {
        assertThatThrownBy(() -> SweepSpec.parse("""
                env: CartPole-v1
                random:
                  samples: 2
                  space:
                    learning_rate: {normal: [0, 1]}
                """, "r.yaml")).hasMessageContaining("r.yaml, line 5").hasMessageContaining("unknown distribution 'normal'");
        assertThatThrownBy(() -> SweepSpec.parse("""
                env: CartPole-v1
                random:
                  samples: 2
                  space:
                    learning_rate: {loguniform: [0, 1]}
                """, "r.yaml")).hasMessageContaining("0 < low < high");
        assertThatThrownBy(() -> SweepSpec.parse("""
                env: CartPole-v1
                random:
                  space:
                    learning_rate: {uniform: [0.1, 1]}
                """, "r.yaml")).hasMessageContaining("'random.samples' is required");
    }

    @Test
    void aKeyCannotBeBothGridAndRandom() {
        assertThatThrownBy(() -> SweepSpec.parse("""
                env: CartPole-v1
                grid: {gamma: [0.9, 0.99]}
                random:
                  samples: 2
                  space:
                    gamma: {uniform: [0.9, 0.99]}
                """, "r.yaml")).hasMessageContaining("line 6").hasMessageContaining("both 'grid' and 'random.space'");
    }

    @Test
    void envIsRequired() {
        assertThatThrownBy(() -> SweepSpec.parse("seeds: 3\n", "e.yaml")).hasMessageContaining("'env' is required");
        assertThatThrownBy(() -> SweepSpec.parse("", "e.yaml")).hasMessageContaining("empty");
    }
}
