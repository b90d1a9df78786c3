package dev.deepq.eval.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.deepq.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against {@code stats/fixture.json}, made by {@code stats/make_fixture.py} with NumPy and SciPy following rliable's
 * definitions. Point estimates and percentiles agree to rounding; bootstrap intervals agree statistically (NumPy's
 * resampling stream is not deepq's).
 */
class StatsFixtureTest {
    static Map<String, Object> fixture;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = StatsFixtureTest.class.getResourceAsStream("/stats/fixture.json")) {
            fixture = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static final List<String> NAMES = List.of("mean", "median", "iqm", "optimality_gap");
    static final List<Metric> METRICS = List.of(Metrics.MEAN, Metrics.MEDIAN, Metrics.IQM, Metrics.OPTIMALITY_GAP);

    /**
     * How far deepq's probability-of-improvement and profile interval ends may be from NumPy's: the Monte Carlo error
     * of a 2.5 % quantile of 50,000 replicates is about 0.012 bootstrap standard deviations per stream (0.017 between
     * two streams).
     */
    static final double STD_TOLERANCE = 0.1;

    /**
     * How far the level of NumPy's interval end may be from the level it has in deepq's bootstrap distribution: the
     * empirical CDF of 50,000 replicates at 2.5 % has a standard error of 0.0007 per stream (0.001 between two).
     */
    static final double LEVEL_TOLERANCE = 0.004;

    @Test
    @SuppressWarnings("unchecked")
    void aggregatesMatchNumpyAndIntervalsMatchInDistribution() {
        int reps = ((Number) fixture.get("reps")).intValue();
        double confidence = num(fixture.get("confidence"));
        StratifiedBootstrap bootstrap = new StratifiedBootstrap(reps, confidence, 7);
        double alpha = (1 - confidence) / 2;
        for (Object o : (List<Object>) fixture.get("matrices")) {
            Map<String, Object> c = (Map<String, Object>) o;
            ScoreMatrix scores = ScoreMatrix.of(matrix(c.get("scores")));
            Map<String, Object> point = (Map<String, Object>) c.get("point");
            Map<String, Object> ci = (Map<String, Object>) c.get("ci");
            Map<String, Object> std = (Map<String, Object>) c.get("bootstrap_std");
            List<IntervalEstimate> estimates = bootstrap.estimate(scores, METRICS);
            for (int m = 0; m < NAMES.size(); m++) {
                String what = c.get("name") + " " + NAMES.get(m);
                assertThat(estimates.get(m).point()).as(what).isCloseTo(num(point.get(NAMES.get(m))), within(1e-12));
                double[] interval = vector(ci.get(NAMES.get(m)));
                // NumPy's interval ends sit at levels alpha and 1 - alpha of deepq's bootstrap distribution too.
                double[] replicates = bootstrap.distribution(scores, METRICS.get(m));
                assertLevel(replicates, interval[0], alpha, what + " low");
                assertLevel(replicates, interval[1], 1 - alpha, what + " high");
                // And the two bootstrap distributions have the same spread.
                assertThat(sd(replicates)).as(what + " sd").isCloseTo(num(std.get(NAMES.get(m))),
                        within(0.03 * num(std.get(NAMES.get(m)))));
            }
        }
    }

    /** {@code level} lies between the fractions of replicates below and at-or-below {@code x}, within tolerance. */
    static void assertLevel(double[] replicates, double x, double level, String what) {
        int below = 0;
        int atOrBelow = 0;
        for (double r : replicates) {
            if (r < x) {
                below++;
            }
            if (r <= x) {
                atOrBelow++;
            }
        }
        double n = replicates.length;
        assertThat(level).as(what + " (NumPy's end " + x + ")")
                .isBetween(below / n - LEVEL_TOLERANCE, atOrBelow / n + LEVEL_TOLERANCE);
    }

    static double sd(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / v.length);
    }

    @Test
    @SuppressWarnings("unchecked")
    void probabilityOfImprovementMatchesScipy() {
        Map<String, Object> c = (Map<String, Object>) fixture.get("probability_of_improvement");
        ScoreMatrix x = ScoreMatrix.of(matrix(c.get("x")));
        ScoreMatrix y = ScoreMatrix.of(matrix(c.get("y")));
        IntervalEstimate e = new StratifiedBootstrap(50_000, 0.95, 3).probabilityOfImprovement(x, y);
        assertThat(e.point()).isCloseTo(num(c.get("point")), within(1e-12));
        List<Object> ci = (List<Object>) c.get("ci");
        double tol = STD_TOLERANCE * num(c.get("bootstrap_std"));
        assertThat(e.low()).isCloseTo(num(ci.get(0)), within(tol));
        assertThat(e.high()).isCloseTo(num(ci.get(1)), within(tol));
    }

    @Test
    @SuppressWarnings("unchecked")
    void performanceProfileMatchesNumpy() {
        Map<String, Object> c = (Map<String, Object>) fixture.get("performance_profile");
        Map<String, Object> first = (Map<String, Object>) ((List<Object>) fixture.get("matrices")).get(0);
        ScoreMatrix scores = ScoreMatrix.of(matrix(first.get("scores")));
        double[] taus = vector(c.get("taus"));
        PerformanceProfile profile = new StratifiedBootstrap(50_000, 0.95, 5).performanceProfile(scores, taus);
        double[] point = vector(c.get("point"));
        double[] std = vector(c.get("bootstrap_std"));
        List<Object> ci = (List<Object>) c.get("ci");
        for (int k = 0; k < taus.length; k++) {
            IntervalEstimate e = profile.points().get(k);
            assertThat(e.point()).as("tau " + taus[k]).isEqualTo(point[k]);
            double[] interval = vector(ci.get(k));
            // Fractions of 50 scores move in steps of 0.02: allow one step besides the Monte Carlo error.
            double tol = STD_TOLERANCE * std[k] + 0.02 + 1e-12;
            assertThat(e.low()).as("tau " + taus[k] + " low").isCloseTo(interval[0], within(tol));
            assertThat(e.high()).as("tau " + taus[k] + " high").isCloseTo(interval[1], within(tol));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void percentilesAreNumpysBitForBit() {
        for (Object o : (List<Object>) fixture.get("percentiles")) {
            Map<String, Object> c = (Map<String, Object>) o;
            double[] sorted = vector(c.get("sorted"));
            double[] q = vector(c.get("q"));
            double[] value = vector(c.get("value"));
            for (int i = 0; i < q.length; i++) {
                assertThat(Percentiles.ofSorted(sorted, sorted.length, q[i]))
                        .as("n=" + sorted.length + " q=" + q[i]).isEqualTo(value[i]);
            }
        }
    }

    static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    @SuppressWarnings("unchecked")
    static double[] vector(Object o) {
        List<Object> list = (List<Object>) o;
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = num(list.get(i));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static double[][] matrix(Object o) {
        List<Object> rows = (List<Object>) o;
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = vector(rows.get(i));
        }
        return out;
    }
}
