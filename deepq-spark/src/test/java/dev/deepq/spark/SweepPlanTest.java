package dev.deepq.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.random.Rng;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepPlanTest {
    @Test
    void gridIsTheProductFirstKeySlowestSeedsInnermost() {
        SweepPlan plan = SweepPlan.of(SweepSpec.parse(SweepSpecTest.VALID, "sweep.yaml"));
        assertThat(plan.tasks()).hasSize(2 * 2 * 3);
        assertThat(plan.configurationCount()).isEqualTo(4);
        List<String> labels = plan.tasks().stream().map(t -> t.label() + "/" + t.seed()).toList();
        assertThat(labels).startsWith("learning_rate=0.001, batch_size=32/0", "learning_rate=0.001, batch_size=32/1",
                "learning_rate=0.001, batch_size=32/2", "learning_rate=0.001, batch_size=64/0");
        assertThat(labels.get(6)).isEqualTo("learning_rate=5.0E-4, batch_size=32/0");
        SweepTask first = plan.tasks().get(0);
        assertThat(first.preset()).isEqualTo("none");
        assertThat(first.base()).containsEntry("total_steps", 2000L).containsEntry("learning_starts", 500L);
        assertThat(first.evalEpisodes()).isEqualTo(3);
        assertThat(first.evalFrequency()).isEqualTo(1000L);
        assertThat(first.envOptions()).isEmpty(); // CartPole takes no options
        // ids: distinct per task, shared per configuration, stable across plans
        assertThat(new HashSet<>(plan.tasks().stream().map(SweepTask::id).toList())).hasSize(12);
        assertThat(plan.tasks().get(1).configId()).isEqualTo(first.configId());
        assertThat(plan.tasks().get(3).configId()).isNotEqualTo(first.configId());
        SweepPlan again = SweepPlan.of(SweepSpec.parse(SweepSpecTest.VALID, "sweep.yaml"));
        assertThat(again.tasks().get(5).id()).isEqualTo(plan.tasks().get(5).id());
    }

    @Test
    void taskJsonRoundTrips() {
        SweepTask t = SweepPlan.of(SweepSpec.parse(SweepSpecTest.VALID, "sweep.yaml")).tasks().get(4);
        SweepTask back = SweepTask.fromJson(t.toJson());
        assertThat(back).isEqualTo(t);
        assertThat(back.id()).isEqualTo(t.id());
    }

    @Test
    void noGridIsOneConfiguration() {
        SweepPlan plan = SweepPlan.of(SweepSpec.parse("env: CartPole-v1\nseeds: 2\n", "s.yaml"));
        assertThat(plan.tasks()).hasSize(2);
        assertThat(plan.tasks().get(0).overrides()).isEmpty();
        // like deepq train: the shipped tuned preset for the env and algorithm when none is named
        assertThat(plan.presetName()).isEqualTo("dqn-CartPole-v1");
        assertThat(plan.tasks().get(0).base()).containsEntry("learning_rate", 0.0023);
    }

    @Test
    void randomSearchIsSeededAndDeterministic() {
        String yaml = """
                env: CartPole-v1
                random:
                  samples: 20
                  seed: 3
                  space:
                    learning_rate: {loguniform: [1.0e-5, 1.0e-2]}
                    gamma: {uniform: [0.9, 0.999]}
                    batch_size: {choice: [32, 64, 128]}
                    train_frequency: {integer: [1, 4]}
                """;
        SweepSpec spec = SweepSpec.parse(yaml, "r.yaml");
        List<Map<String, Object>> a = SweepPlan.randomSamples(spec.random());
        List<Map<String, Object>> b = SweepPlan.randomSamples(SweepSpec.parse(yaml, "r.yaml").random());
        assertThat(a).hasSize(20).isEqualTo(b);
        // the draws are NumPy's: default_rng(3), keys in file order
        Rng rng = Rng.seeded(3);
        double lr = Math.exp(rng.uniform(Math.log(1e-5), Math.log(1e-2)));
        double gamma = rng.uniform(0.9, 0.999);
        Object batch = List.of(32L, 64L, 128L).get((int) rng.integers(3));
        long freq = rng.integers(1, 5);
        assertThat(a.get(0)).containsExactly(Map.entry("learning_rate", lr), Map.entry("gamma", gamma),
                Map.entry("batch_size", batch), Map.entry("train_frequency", freq));
        for (Map<String, Object> s : a) {
            assertThat((Double) s.get("learning_rate")).isBetween(1e-5, 1e-2);
            assertThat((Double) s.get("gamma")).isBetween(0.9, 0.999);
            assertThat(s.get("batch_size")).isIn(32L, 64L, 128L);
            assertThat((Long) s.get("train_frequency")).isBetween(1L, 4L);
        }
        assertThat(a.stream().map(s -> s.get("train_frequency")).distinct()).hasSize(4);
        List<Map<String, Object>> other = SweepPlan.randomSamples(
                SweepSpec.parse(yaml.replace("seed: 3", "seed: 4"), "r.yaml").random());
        assertThat(other).isNotEqualTo(a);
    }

    @Test
    void gridTimesRandomSamples() {
        SweepPlan plan = SweepPlan.of(SweepSpec.parse("""
                env: CartPole-v1
                seeds: [5]
                grid: {double_q: [true, false]}
                random:
                  samples: 3
                  space:
                    gamma: {uniform: [0.9, 0.99]}
                """, "r.yaml"));
        assertThat(plan.tasks()).hasSize(6);
        assertThat(plan.tasks().get(0).overrides()).containsOnlyKeys("double_q", "gamma");
        assertThat(plan.tasks().get(0).overrides().get("gamma")).isEqualTo(plan.tasks().get(3).overrides().get("gamma"));
    }

    @Test
    void registryErrorsNameTheLine() {
        assertThatThrownBy(() -> SweepPlan.of(SweepSpec.parse("env: CartPole-v1\ngrid:\n  learnin_rate: [1]\n", "k.yaml")))
                .isInstanceOf(SweepFileException.class).hasMessageContaining("k.yaml, line 3")
                .hasMessageContaining("unknown config key 'grid.learnin_rate'").hasMessageContaining("learning_rate");
        assertThatThrownBy(() -> SweepPlan.of(SweepSpec.parse("seeds: 1\nenv: CartPol-v1\n", "k.yaml")))
                .hasMessageContaining("k.yaml, line 2").hasMessageContaining("CartPol-v1");
        assertThatThrownBy(() -> SweepPlan.of(SweepSpec.parse("env: CartPole-v1\nalgo: ppo\n", "k.yaml")))
                .hasMessageContaining("k.yaml, line 2").hasMessageContaining("unknown algorithm 'ppo'");
        assertThatThrownBy(() -> SweepPlan.of(SweepSpec.parse("env: CartPole-v1\npreset: nope\n", "k.yaml")))
                .hasMessageContaining("k.yaml, line 2").hasMessageContaining("unknown preset 'nope'");
        assertThatThrownBy(() -> SweepPlan.of(SweepSpec.parse("env: CartPole-v1\npreset: qlearning-Taxi-v3\n", "k.yaml")))
                .hasMessageContaining("is for Taxi-v3");
        assertThatThrownBy(() -> SweepPlan.of(SweepSpec.parse("env: CartPole-v1\nbase:\n  gamma: 2\n", "k.yaml")))
                .hasMessageContaining("k.yaml, line 2").hasMessageContaining("gamma");
        assertThatThrownBy(() -> SweepPlan.of(SweepSpec.parse("env: CartPole-v1\nenv_options: {slippery: true}\n", "k.yaml")))
                .hasMessageContaining("does not take option 'slippery'");
    }
}
