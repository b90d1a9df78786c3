package dev.deepq.eval.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** rliable's aggregates on small matrices worked out by hand. */
class MetricsTest {
    /** 3 runs x 3 tasks (n = 9, IQM drops 2 from each end), with ties. */
    static final ScoreMatrix THREE_BY_THREE = ScoreMatrix.of(new double[][] {
        {0, 1, 4},
        {2, 1, 8},
        {4, 1, 0},
    });

    @Test
    void aggregatesOfAThreeByThreeMatrix() {
        // Task means 2, 1, 4.
        assertThat(Metrics.mean(THREE_BY_THREE)).isCloseTo(7.0 / 3, within(1e-15));
        assertThat(Metrics.median(THREE_BY_THREE)).isEqualTo(2.0);
        // Pooled sorted: 0 0 | 1 1 1 2 4 | 4 8  ->  9 / 5.
        assertThat(Metrics.iqm(THREE_BY_THREE)).isEqualTo(1.8);
        // min(score, 1): 0 1 1 1 1 1 1 1 0 -> mean 7/9.
        assertThat(Metrics.optimalityGap(THREE_BY_THREE)).isCloseTo(2.0 / 9, within(1e-15));
        assertThat(Metrics.optimalityGap(2.0).compute(THREE_BY_THREE)).isCloseTo(2 - 11.0 / 9, within(1e-15));
    }

    @Test
    void meanAndMedianAreOverTaskMeansNotPooledScores() {
        // Task 0 has one large run; pooled median would be 1, the median of task means is 2.5.
        ScoreMatrix m = ScoreMatrix.ofTasks(List.of("a", "b", "c", "d"), new double[][] {
            {1, 1, 10}, {1, 1, 1}, {2, 2, 2}, {3, 3, 3}});
        // Task means 4, 1, 2, 3: median of an even count averages the middle two.
        assertThat(Metrics.median(m)).isEqualTo(2.5);
        assertThat(Metrics.mean(m)).isEqualTo(2.5);
    }

    @Test
    void iqmTrimsFloorOfAQuarterFromEachEnd() {
        // n = 7: cut 1.
        ScoreMatrix seven = ScoreMatrix.ofTasks(List.of("t"), new double[][] {{5, 1, 3, 3, 9, -2, 3}});
        assertThat(Metrics.iqm(seven)).isEqualTo(3.0);
        // n = 3: nothing cut.
        assertThat(Metrics.iqm(new double[] {1, 2, 6})).isEqualTo(3.0);
        // n = 5: cut 1, ties on the edge.
        assertThat(Metrics.iqm(new double[] {5, 5, 5, 5, 500})).isEqualTo(5.0);
        // n = 10: cut 2.
        assertThat(Metrics.iqm(new double[] {10, 1, 9, 2, 8, 3, 7, 4, 6, 5})).isEqualTo(5.5);
        assertThatThrownBy(() -> Metrics.iqm(new double[0])).hasMessageContaining("no scores");
    }

    @Test
    void optimalityGapClipsAtGamma() {
        ScoreMatrix m = ScoreMatrix.of(new double[][] {{2.0, 0.5}, {0.25, 1.0}});
        // min(.,1): 1, 0.5, 0.25, 1 -> mean 0.6875.
        assertThat(Metrics.optimalityGap(m)).isEqualTo(0.3125);
    }

    @Test
    void probabilityOfImprovementCountsPairsWithTiesAsHalf() {
        ScoreMatrix x = ScoreMatrix.of(new double[][] {{1, 5}, {2, 5}, {3, 5}});
        ScoreMatrix y = ScoreMatrix.of(new double[][] {{2, 1}, {2, 5}});
        // Task 0: 1 vs (2,2): 0; 2 vs (2,2): 0.5 + 0.5; 3 vs (2,2): 2  -> 3 / 6.
        // Task 1: each 5 beats 1 and ties 5 -> 3 * 1.5 / 6 = 0.75.
        assertThat(Metrics.probabilityOfImprovement(x, y)).isEqualTo(0.625);
        assertThat(Metrics.probabilityOfImprovement(y, x)).isEqualTo(0.375);
        assertThat(Metrics.probabilityOfImprovement(x, x)).isEqualTo(0.5);
        ScoreMatrix z = x.map((t, s) -> s + 100);
        assertThat(Metrics.probabilityOfImprovement(z, x)).isEqualTo(1.0);
        assertThat(Metrics.probabilityOfImprovement(x, z)).isEqualTo(0.0);
        assertThatThrownBy(() -> Metrics.probabilityOfImprovement(x, ScoreMatrix.of(new double[][] {{1}})))
                .hasMessageContaining("same tasks");
    }

    @Test
    void profilesCountStrictlyAbove() {
        // Scores 0 1 4 / 2 1 8 / 4 1 0, task means 2 1 4.
        assertThat(Metrics.fractionAbove(0).compute(THREE_BY_THREE)).isEqualTo(7.0 / 9);
        assertThat(Metrics.fractionAbove(1).compute(THREE_BY_THREE)).isEqualTo(4.0 / 9);
        assertThat(Metrics.fractionAbove(3.5).compute(THREE_BY_THREE)).isEqualTo(3.0 / 9);
        assertThat(Metrics.fractionOfTaskMeansAbove(0).compute(THREE_BY_THREE)).isEqualTo(1.0);
        assertThat(Metrics.fractionOfTaskMeansAbove(1).compute(THREE_BY_THREE)).isEqualTo(2.0 / 3);
        assertThat(Metrics.fractionOfTaskMeansAbove(3.5).compute(THREE_BY_THREE)).isEqualTo(1.0 / 3);
    }

    @Test
    void scoreMatrixRefusesRaggedAndNonFiniteInput() {
        assertThatThrownBy(() -> ScoreMatrix.of(new double[][] {{1, 2}, {3}}))
                .hasMessageContaining("run 1 has 1 task scores");
        assertThatThrownBy(() -> ScoreMatrix.ofTasks(List.of("a", "b"), new double[][] {{1, 2}, {3}}))
                .hasMessageContaining("task b has 1 runs, task a has 2");
        assertThatThrownBy(() -> ScoreMatrix.of(new double[][] {{Double.NaN}})).hasMessageContaining("finite");
        assertThatThrownBy(() -> ScoreMatrix.ofTasks(List.of("a", "a"), new double[][] {{1}, {2}}))
                .hasMessageContaining("distinct");
        assertThat(THREE_BY_THREE.score(1, 2)).isEqualTo(8.0);
        assertThat(THREE_BY_THREE.taskMajorValues()).containsExactly(0, 2, 4, 1, 1, 1, 4, 8, 0);
    }
}
