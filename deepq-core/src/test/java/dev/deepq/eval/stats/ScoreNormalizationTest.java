package dev.deepq.eval.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.env.EnvSpec;
import dev.deepq.env.Envs;
import dev.deepq.eval.RandomPolicy;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoreNormalizationTest {

    @Test
    void normalizesBetweenRandomAndReference() {
        ScoreNormalization.Baseline b = new ScoreNormalization.Baseline(-200, -110);
        assertThat(b.normalize(-200)).isEqualTo(0.0);
        assertThat(b.normalize(-110)).isEqualTo(1.0);
        assertThat(b.normalize(-155)).isEqualTo(0.5);
        assertThat(b.normalize(-90)).isEqualTo(110.0 / 90.0);
        assertThatThrownBy(() -> new ScoreNormalization.Baseline(1, 1)).hasMessageContaining("must differ");
    }

    @Test
    void normalizesAMatrixByTaskName() {
        ScoreNormalization table = new ScoreNormalization(Map.of(
                "a", new ScoreNormalization.Baseline(0, 10), "b", new ScoreNormalization.Baseline(100, 200)));
        ScoreMatrix m = ScoreMatrix.ofTasks(List.of("b", "a"), new double[][] {{150, 300}, {5, 20}});
        ScoreMatrix n = table.normalize(m);
        assertThat(n.taskMajorValues()).containsExactly(0.5, 2.0, 0.5, 2.0);
        assertThatThrownBy(() -> table.normalize(ScoreMatrix.ofTasks(List.of("c"), new double[][] {{1}})))
                .hasMessageContaining("no normalization baseline for task c");
    }

    /** The shipped table is what the code says it is: deepq's random policy and Gymnasium's reward thresholds. */
    @Test
    void builtInTableMatchesRandomPolicyAndRewardThresholds() {
        Map<String, ScoreNormalization.Baseline> table = ScoreNormalization.builtIn().baselines();
        int withThreshold = 0;
        for (String id : Envs.ids()) {
            EnvSpec spec = Envs.spec(id);
            if (spec.rewardThreshold() == null) {
                assertThat(table).doesNotContainKey(id);
                continue;
            }
            withThreshold++;
            assertThat(table).containsKey(id);
            double random = RandomPolicy.evaluate(Envs.make(id), 100, 0, 1_000_000).mean();
            assertThat(table.get(id).random()).as(id + " random").isEqualTo(random);
            assertThat(table.get(id).reference()).as(id + " reference").isEqualTo(spec.rewardThreshold());
        }
        assertThat(table).hasSize(withThreshold);
    }

    @Test
    void readReportsSourceAndLine() {
        assertThatThrownBy(() -> ScoreNormalization.read(new BufferedReader(new StringReader(
                "task,random,reference\nx,1,oops\n")), "t.csv"))
                .hasMessageContaining("t.csv:2");
        assertThatThrownBy(() -> ScoreNormalization.read(new BufferedReader(new StringReader("")), "t.csv"))
                .hasMessageContaining("empty");
    }
}
