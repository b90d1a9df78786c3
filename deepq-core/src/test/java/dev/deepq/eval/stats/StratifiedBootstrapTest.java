package dev.deepq.eval.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.random.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

class StratifiedBootstrapTest {
    static final List<Metric> FOUR = List.of(Metrics.MEAN, Metrics.MEDIAN, Metrics.IQM, Metrics.OPTIMALITY_GAP);

    static ScoreMatrix normalScores(Rng rng, int runs, double[] taskMeans, double sd) {
        double[][] s = new double[runs][taskMeans.length];
        for (int r = 0; r < runs; r++) {
            for (int t = 0; t < taskMeans.length; t++) {
                s[r][t] = taskMeans[t] + sd * gaussian(rng);
            }
        }
        return ScoreMatrix.of(s);
    }

    /** Box-Muller from the seeded stream (test data only). */
    static double gaussian(Rng rng) {
        double u = 1.0 - rng.random();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.random());
    }

    @Test
    void sameSeedSameIntervalsOtherSeedOtherIntervals() {
        ScoreMatrix m = normalScores(Rng.seeded(1), 10, new double[] {0.2, 0.5, 0.9}, 0.3);
        List<IntervalEstimate> a = new StratifiedBootstrap(2_000, 0.95, 42).estimate(m, FOUR);
        List<IntervalEstimate> b = new StratifiedBootstrap(2_000, 0.95, 42).estimate(m, FOUR);
        List<IntervalEstimate> c = new StratifiedBootstrap(2_000, 0.95, 43).estimate(m, FOUR);
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
        // A single metric gets the same interval as within a batch: every call starts the stream from the seed.
        assertThat(new StratifiedBootstrap(2_000, 0.95, 42).estimate(m, Metrics.MEAN)).isEqualTo(a.get(0));
        for (IntervalEstimate e : a) {
            assertThat(e.low()).isLessThan(e.point());
            assertThat(e.high()).isGreaterThan(e.point());
        }
    }

    @Test
    void resamplesWithinTasksOnly() {
        // Every task's runs are identical, so any within-task resample reproduces the matrix exactly; a bootstrap
        // that mixed tasks would not.
        ScoreMatrix m = ScoreMatrix.of(new double[][] {{0.1, 0.7, 3}, {0.1, 0.7, 3}, {0.1, 0.7, 3}});
        for (IntervalEstimate e : new StratifiedBootstrap(500, 0.95, 1).estimate(m, FOUR)) {
            assertThat(e.low()).isEqualTo(e.point());
            assertThat(e.high()).isEqualTo(e.point());
        }
        // One run per task: the only resample is the data itself.
        ScoreMatrix one = ScoreMatrix.of(new double[][] {{0.1, 0.7, 3}});
        IntervalEstimate iqm = new StratifiedBootstrap(100, 0.95, 1).estimate(one, Metrics.IQM);
        assertThat(iqm.point()).isEqualTo(Metrics.iqm(new double[] {0.1, 0.7, 3}));
        assertThat(iqm.low()).isEqualTo(iqm.point());
        assertThat(iqm.high()).isEqualTo(iqm.point());
    }

    @Test
    void resampledValuesComeFromTheirOwnTask() {
        // Task t holds only values in [t, t + 1): each replicate of "task 2's share above 2" stays 1/3.
        ScoreMatrix m = ScoreMatrix.of(new double[][] {{0.1, 1.2, 2.3}, {0.5, 1.9, 2.7}, {0.9, 1.0, 2.0}, {0.2, 1.5, 2.9}});
        double[] fractions = new StratifiedBootstrap(1_000, 0.95, 9).distribution(m, Metrics.fractionAbove(1.99));
        assertThat(fractions).containsOnly(1.0 / 3);
        double[] means = new StratifiedBootstrap(1_000, 0.95, 9).distribution(m, Metrics.MEAN);
        assertThat(means).hasSize(1_000);
        // The task means vary across replicates, but always within their task's range.
        assertThat(java.util.Arrays.stream(means).distinct().count()).isGreaterThan(50);
    }

    @Test
    void percentileIntervalOfTheReplicates() {
        ScoreMatrix m = normalScores(Rng.seeded(2), 6, new double[] {0.0, 1.0}, 1.0);
        StratifiedBootstrap bs = new StratifiedBootstrap(999, 0.9, 11);
        double[] replicates = bs.distribution(m, Metrics.MEAN);
        java.util.Arrays.sort(replicates);
        IntervalEstimate e = bs.estimate(m, Metrics.MEAN);
        // alpha = 0.05: virtual indices 998 * 0.05 = 49.9 and 998 * 0.95 = 948.1.
        assertThat(e.low()).isCloseTo(replicates[49] + 0.9 * (replicates[50] - replicates[49]),
                org.assertj.core.api.Assertions.within(1e-12));
        assertThat(e.high()).isCloseTo(replicates[948] + 0.1 * (replicates[949] - replicates[948]),
                org.assertj.core.api.Assertions.within(1e-12));
    }

    /** The 95 % interval of the mean covers the true mean in about 95 % of experiments. */
    @Test
    void coverageOfTheMeanIsNearNominal() {
        double[] taskMeans = {0.0, 0.5, 1.0, 2.0, -1.0};
        double truth = 0.5;
        int trials = 400;
        int covered = 0;
        Rng data = Rng.seeded(2021);
        StratifiedBootstrap bs = new StratifiedBootstrap(1_000, 0.95, 77);
        for (int i = 0; i < trials; i++) {
            ScoreMatrix m = normalScores(data, 40, taskMeans, 1.0);
            if (bs.estimate(m, Metrics.MEAN).contains(truth)) {
                covered++;
            }
        }
        // Percentile intervals are about sqrt((runs - 1) / runs) too narrow: with 40 runs per task they cover about
        // 94.6 % (with 20 runs, 2,000 trials measured 93.2 %); 400 trials add a standard error of 1.1 %.
        assertThat(covered / (double) trials).isBetween(0.92, 0.98);
    }

    @Test
    void probabilityOfImprovementInterval() {
        Rng rng = Rng.seeded(5);
        ScoreMatrix x = normalScores(rng, 10, new double[] {1, 1, 1}, 1.0);
        ScoreMatrix y = normalScores(rng, 8, new double[] {0, 0, 0}, 1.0);
        IntervalEstimate e = new StratifiedBootstrap(5_000, 0.95, 1).probabilityOfImprovement(x, y);
        assertThat(e.point()).isEqualTo(Metrics.probabilityOfImprovement(x, y));
        assertThat(e.low()).isLessThan(e.point()).isGreaterThan(0.5);
        assertThat(e.high()).isGreaterThan(e.point()).isLessThanOrEqualTo(1.0);
        // X against itself: 0.5, with an interval around it.
        IntervalEstimate self = new StratifiedBootstrap(5_000, 0.95, 1).probabilityOfImprovement(x, x);
        assertThat(self.point()).isEqualTo(0.5);
        assertThat(self.contains(0.5)).isTrue();
    }

    @Test
    void performanceProfilesAreNonIncreasing() {
        ScoreMatrix m = MetricsTest.THREE_BY_THREE;
        double[] taus = {0, 1, 3.5};
        PerformanceProfile p = new StratifiedBootstrap(2_000, 0.95, 3).performanceProfile(m, taus);
        assertThat(p.fraction(0)).isEqualTo(7.0 / 9);
        assertThat(p.fraction(1)).isEqualTo(4.0 / 9);
        assertThat(p.fraction(2)).isEqualTo(3.0 / 9);
        for (IntervalEstimate e : p.points()) {
            assertThat(e.low()).isBetween(0.0, e.point());
            assertThat(e.high()).isBetween(e.point(), 1.0);
        }
        PerformanceProfile avg = new StratifiedBootstrap(2_000, 0.95, 3).averageScoreProfile(m, taus);
        assertThat(avg.fraction(0)).isEqualTo(1.0);
        assertThat(avg.fraction(1)).isEqualTo(2.0 / 3);
        assertThat(avg.fraction(2)).isEqualTo(1.0 / 3);
    }

    @Test
    void sampleEfficiencyCurveHasOnePointPerEvaluation() {
        Rng rng = Rng.seeded(8);
        List<ScoreMatrix> steps = List.of(
                normalScores(rng, 5, new double[] {0.0, 0.1, 0.2}, 0.1),
                normalScores(rng, 5, new double[] {0.4, 0.5, 0.6}, 0.1),
                normalScores(rng, 5, new double[] {0.9, 1.0, 1.1}, 0.1));
        List<IntervalEstimate> curve = new StratifiedBootstrap(2_000, 0.95, 4).sampleEfficiencyCurve(steps, Metrics.IQM);
        assertThat(curve).hasSize(3);
        for (int s = 0; s < 3; s++) {
            assertThat(curve.get(s).point()).isEqualTo(Metrics.iqm(steps.get(s)));
            assertThat(curve.get(s).contains(curve.get(s).point())).isTrue();
        }
        assertThat(curve.get(0).high()).isLessThan(curve.get(1).low());
        assertThat(curve.get(1).high()).isLessThan(curve.get(2).low());
        assertThat(new StratifiedBootstrap(2_000, 0.95, 4).sampleEfficiencyCurve(steps, Metrics.IQM)).isEqualTo(curve);
        assertThatThrownBy(() -> new StratifiedBootstrap(10, 0.95, 4).sampleEfficiencyCurve(
                List.of(steps.get(0), ScoreMatrix.of(new double[][] {{1}})), Metrics.IQM))
                .hasMessageContaining("evaluation point 1");
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> new StratifiedBootstrap(0, 0.95, 1)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new StratifiedBootstrap(10, 1.0, 1)).hasMessageContaining("strictly between 0 and 1");
        assertThatThrownBy(() -> new StratifiedBootstrap(10, Double.NaN, 1)).hasMessageContaining("strictly between");
    }
}
