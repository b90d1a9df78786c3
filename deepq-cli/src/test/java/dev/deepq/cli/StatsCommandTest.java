package dev.deepq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepq.eval.stats.Metrics;
import dev.deepq.eval.stats.ScoreMatrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsCommandTest {
    @TempDir
    Path dir;

    /** 3 tasks x 3 runs, columns in a non-standard order with an extra column; task means 2, 1, 4. */
    static final String SCORES = """
            score,seed,task,run
            0,11,a,1
            2,12,a,2
            4,13,a,3
            1,11,b,1
            1,12,b,2
            1,13,b,3
            4,11,c,1
            8,12,c,2
            0,13,c,3
            """;

    Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void printsATableOfTheFourAggregates() throws IOException {
        Path f = write("scores.csv", SCORES);
        CliTest.Run r = CliTest.run("stats", f.toString(), "--reps", "2000", "--seed", "3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(f + ": 3 tasks x 3 runs; 2000 bootstrap replicates, seed 3", "95% CI");
        assertThat(r.out()).containsPattern("IQM +1\\.8000 +\\[")
                .containsPattern("Mean +2\\.3333 +\\[")
                .containsPattern("Median +2\\.0000 +\\[")
                .containsPattern("Optimality gap +0\\.2222 +\\[");
        assertThat(CliTest.run("stats", f.toString(), "--reps", "500", "--confidence", "0.9").out()).contains("90% CI");
    }

    @Test
    void jsonHasExactlyTheFourAggregates() throws Exception {
        Path f = write("scores.csv", SCORES);
        CliTest.Run r = CliTest.run("stats", f.toString(), "--json", "--reps", "2000");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.fieldNames()).toIterable().containsExactly("iqm", "mean", "median", "optimality_gap");
        ScoreMatrix m = ScoreMatrix.ofTasks(List.of("a", "b", "c"), new double[][] {{0, 2, 4}, {1, 1, 1}, {4, 8, 0}});
        assertThat(o.get("iqm").get("point").asDouble()).isEqualTo(Metrics.iqm(m));
        assertThat(o.get("mean").get("point").asDouble()).isEqualTo(Metrics.mean(m));
        assertThat(o.get("median").get("point").asDouble()).isEqualTo(Metrics.median(m));
        assertThat(o.get("optimality_gap").get("point").asDouble()).isCloseTo(2.0 / 9, within(1e-15));
        for (JsonNode metric : o) {
            assertThat(metric.fieldNames()).toIterable().containsExactly("point", "ci");
            assertThat(metric.get("ci").size()).isEqualTo(2);
            assertThat(metric.get("ci").get(0).asDouble()).isLessThanOrEqualTo(metric.get("point").asDouble());
            assertThat(metric.get("ci").get(1).asDouble()).isGreaterThanOrEqualTo(metric.get("point").asDouble());
        }
        // Deterministic under the seed; another seed gives other intervals.
        assertThat(CliTest.run("stats", f.toString(), "--json", "--reps", "2000").out()).isEqualTo(r.out());
        assertThat(CliTest.run("stats", f.toString(), "--json", "--reps", "2000", "--seed", "1").out()).isNotEqualTo(r.out());
    }

    @Test
    void normalizesWithTheBuiltInTable() throws Exception {
        Path f = write("cartpole.csv", "task,run,score\nCartPole-v1,0,475\nCartPole-v1,1,21.61\nMountainCar-v0,0,-110\nMountainCar-v0,1,-110\n");
        JsonNode o = new ObjectMapper().readTree(CliTest.run("stats", f.toString(), "--json", "--reps", "100", "--normalize").out());
        // Normalized: CartPole 1 and 0, MountainCar 1 and 1 -> task means 0.5 and 1.
        assertThat(o.get("mean").get("point").asDouble()).isEqualTo(0.75);
        assertThat(o.get("optimality_gap").get("point").asDouble()).isEqualTo(0.25);
        Path g = write("pendulum.csv", "task,run,score\nPendulum-v1,0,-150\n");
        assertThat(UserErrorsTest.userError("stats", g.toString(), "--normalize").err())
                .contains("no normalization baseline for task Pendulum-v1");
    }

    @Test
    void eachInputErrorIsOneLineNamingFileLineAndColumn() throws IOException {
        Path missingColumn = write("a.csv", "task,seed,value\nx,1,2\n");
        assertThat(UserErrorsTest.userError("stats", missingColumn.toString()).err())
                .contains(missingColumn + ":1: missing column 'run'; the header has task,seed,value and needs task,run,score");
        Path notANumber = write("b.csv", "task,run,score\nx,1,2\nx,2,abc\n");
        assertThat(UserErrorsTest.userError("stats", notANumber.toString()).err())
                .contains(notANumber + ":3: column 'score' is not a number: 'abc'");
        Path infinite = write("b2.csv", "task,run,score\nx,1,Infinity\n");
        assertThat(UserErrorsTest.userError("stats", infinite.toString()).err())
                .contains(infinite + ":2: column 'score' must be finite");
        Path empty = write("c.csv", "");
        assertThat(UserErrorsTest.userError("stats", empty.toString()).err())
                .contains(empty + ": empty; expected a header with the columns task,run,score");
        Path headerOnly = write("d.csv", "task,run,score\n");
        assertThat(UserErrorsTest.userError("stats", headerOnly.toString()).err())
                .contains(headerOnly + ": no scores after the header");
        Path ragged = write("e.csv", "task,run,score\nx,1,1\nx,2,2\ny,1,3\n");
        assertThat(UserErrorsTest.userError("stats", ragged.toString()).err())
                .contains(ragged + ": task 'y' has 1 runs, task 'x' has 2; every task needs the same number of runs");
        Path duplicate = write("f.csv", "task,run,score\nx,1,1\nx,1,2\n");
        assertThat(UserErrorsTest.userError("stats", duplicate.toString()).err())
                .contains(duplicate + ":3: task 'x' run '1' appears twice");
        Path shortLine = write("g.csv", "task,run,score\nx,1\n");
        assertThat(UserErrorsTest.userError("stats", shortLine.toString()).err())
                .contains(shortLine + ":2: 2 cells, the header needs at least 3");
        assertThat(UserErrorsTest.userError("stats", dir.resolve("nope.csv").toString()).err())
                .contains("nope.csv: no such file");
    }

    @Test
    void badOptionsAreUserErrors() throws IOException {
        Path f = write("scores.csv", SCORES);
        assertThat(UserErrorsTest.userError("stats", f.toString(), "--reps", "0").err())
                .contains("--reps must be a positive integer, got 0");
        assertThat(UserErrorsTest.userError("stats", f.toString(), "--confidence", "1.5").err())
                .contains("--confidence must be strictly between 0 and 1, got 1.5");
        assertThat(UserErrorsTest.userError("stats", f.toString(), "--reps", "many").err()).contains("'many'", "--reps");
    }
}
