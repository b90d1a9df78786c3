package dev.deepq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepq.eval.stats.Metrics;
import dev.deepq.eval.stats.ScoreMatrix;
import dev.deepq.eval.stats.ScoresCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deepq train --seeds}: each run of a study is the run {@code --seed S} would make on its own, whatever the
 * number of parallel jobs; the study folder's files have the documented shape; {@code deepq resume STUDY} finishes
 * interrupted runs identically; {@code deepq compare} tables, probability of improvement and errors.
 */
class StudyTest {
    /** A short DQN run (threads matter for DQN's kernels, so the identity checks use it). */
    private static final String[] DQN = {"CartPole-v1", "--preset", "dqn-CartPole-v1-cleanrl", "--steps", "2000",
            "--set", "learning_starts=500", "--set", "hidden=[16]", "--eval-freq", "1000", "--eval-episodes", "2",
            "--checkpoint-every", "500", "-q"};
    private static final String[] OUTPUTS = {"model.safetensors", "metrics.csv", "eval.csv"};
    private static final List<Long> SEEDS = List.of(0L, 1L, 2L);

    @TempDir
    static Path dir;
    static Path study;
    static CliTest.Run studyRun;
    static Path qlearning;
    static Path sarsa;

    @BeforeAll
    static void studiesAndSingleRuns() {
        study = dir.resolve("jobs2");
        studyRun = CliTest.run(args("--seeds", "0-2", "--jobs", "2", "--out", study.toString()));
        assertThat(studyRun.code()).as(studyRun.err()).isZero();
        for (long s : SEEDS) {
            CliTest.Run single = CliTest.run(args("--seed", Long.toString(s), "--out", dir.resolve("single-" + s).toString()));
            assertThat(single.code()).as(single.err()).isZero();
        }
        qlearning = dir.resolve("qlearning");
        sarsa = dir.resolve("sarsa");
        for (Path p : List.of(qlearning, sarsa)) {
            CliTest.Run r = CliTest.run("train", "FrozenLake-v1", "--algo", p.getFileName().toString(), "--steps", "3000",
                    "--eval-freq", "1000", "--eval-episodes", "20", "--seeds", "4", "-q", "--out", p.toString());
            assertThat(r.code()).as(r.err()).isZero();
        }
    }

    private static String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(List.of(DQN));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void eachSeedFolderIsTheRunThatSeedMakesAlone() throws IOException {
        for (long s : SEEDS) {
            assertSameRun(study.resolve("seed-" + s), dir.resolve("single-" + s));
        }
        // and the seeds really differ
        assertThat(Files.readAllBytes(study.resolve("seed-0/model.safetensors")))
                .isNotEqualTo(Files.readAllBytes(study.resolve("seed-1/model.safetensors")));
    }

    @Test
    void oneJobAndTwoJobsMakeTheSameStudy() throws IOException {
        Path sequential = dir.resolve("jobs1");
        CliTest.Run r = CliTest.run(args("--seeds", "3", "--jobs", "1", "--out", sequential.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        for (long s : SEEDS) {
            assertSameRun(sequential.resolve("seed-" + s), study.resolve("seed-" + s));
        }
        for (String f : List.of("scores.csv", "curves.csv", "aggregate.json")) {
            assertThat(Files.readString(sequential.resolve(f))).as(f).isEqualTo(Files.readString(study.resolve(f)));
        }
    }

    @Test
    void studyJsonDescribesTheStudyAndEachRun() throws IOException {
        JsonNode m = new ObjectMapper().readTree(study.resolve("study.json").toFile());
        assertThat(m.get("format").asText()).isEqualTo("deepq.study");
        assertThat(m.get("version").asInt()).isEqualTo(1);
        assertThat(m.get("env").asText()).isEqualTo("CartPole-v1");
        assertThat(m.get("algo").asText()).isEqualTo("dqn");
        assertThat(m.get("preset").asText()).isEqualTo("dqn-CartPole-v1-cleanrl");
        assertThat(m.get("seeds").toString()).isEqualTo("[0,1,2]");
        assertThat(m.get("runs")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode r = m.get("runs").get(i);
            assertThat(r.get("seed").asLong()).isEqualTo(i);
            assertThat(r.get("dir").asText()).isEqualTo("seed-" + i);
            assertThat(r.get("status").asText()).isEqualTo("complete");
            assertThat(r.get("error").isNull()).isTrue();
        }
        assertThat(m.get("config").get("total_steps").asLong()).isEqualTo(2000);
        assertThat(m.get("config").get("hidden").toString()).isEqualTo("[16]");
        assertThat(m.get("config").get("learning_rate").isNumber()).isTrue();
        assertThat(m.get("eval").get("episodes").asInt()).isEqualTo(2);
        assertThat(m.get("eval").get("frequency").asLong()).isEqualTo(1000);
        // Each run folder is a normal run folder of its seed.
        assertThat(Files.readString(study.resolve("seed-2/config.yaml"))).contains("seed: 2");
    }

    @Test
    void scoresCurvesAndAggregateComeFromTheSeedFolders() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> scores = Files.readAllLines(study.resolve("scores.csv"));
        assertThat(scores.get(0)).isEqualTo("task,run,score");
        assertThat(scores).hasSize(4);
        List<String> curves = Files.readAllLines(study.resolve("curves.csv"));
        assertThat(curves.get(0)).isEqualTo("task,run,step,score");
        List<String> expectedCurves = new ArrayList<>();
        double[] finals = new double[3];
        for (int s = 0; s < 3; s++) {
            Path run = study.resolve("seed-" + s);
            finals[s] = json.readTree(run.resolve("summary.json").toFile()).get("final_eval").get("mean").asDouble();
            assertThat(scores.get(s + 1)).isEqualTo("CartPole-v1," + s + "," + finals[s]);
            List<String> eval = Files.readAllLines(run.resolve("eval.csv"));
            for (String row : eval.subList(1, eval.size())) {
                String[] c = row.split(",");
                expectedCurves.add("CartPole-v1," + s + "," + c[0] + "," + c[2]);
            }
        }
        assertThat(expectedCurves).hasSize(6); // two evaluations per run: steps 1000 and 2000
        assertThat(curves.subList(1, curves.size())).isEqualTo(expectedCurves);

        JsonNode a = json.readTree(study.resolve("aggregate.json").toFile());
        assertThat(a.get("env").asText()).isEqualTo("CartPole-v1");
        assertThat(a.get("algo").asText()).isEqualTo("dqn");
        assertThat(a.get("runs").asInt()).isEqualTo(3);
        ScoreMatrix m = ScoreMatrix.ofTasks(List.of("CartPole-v1"), new double[][] {finals});
        assertThat(a.get("iqm").get("point").asDouble()).isEqualTo(Metrics.iqm(m));
        assertThat(a.get("mean").get("point").asDouble()).isEqualTo(Metrics.mean(m));
        assertThat(a.get("median").get("point").asDouble()).isEqualTo(Metrics.median(m));
        assertThat(a.get("optimality_gap").get("point").asDouble()).isEqualTo(Metrics.optimalityGap(m));
        // The same numbers as 'deepq stats scores.csv' (50,000 replicates, seed 0).
        JsonNode stats = json.readTree(CliTest.run("stats", study.resolve("scores.csv").toString(), "--json").out());
        for (String key : List.of("iqm", "mean", "median", "optimality_gap")) {
            assertThat(a.get(key)).as(key).isEqualTo(stats.get(key));
        }
        assertThat(studyRun.out()).contains("study " + study, "IQM", "Optimality gap", "95% CI");
        assertThat(studyRun.err()).as("-q").isEmpty();
    }

    @Test
    void progressShowsOneLinePerRunAndOverallLines() {
        Path p = dir.resolve("progress");
        CliTest.Run r = CliTest.run("train", "FrozenLake-v1", "--steps", "2000", "--eval-freq", "1000", "--seeds", "2",
                "--jobs", "2", "--progress", "plain", "--progress-interval", "0", "--out", p.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.err().lines().toList();
        assertThat(lines).filteredOn(l -> l.startsWith("seed 0: greedy eval")).hasSize(1);
        assertThat(lines).filteredOn(l -> l.startsWith("seed 1: greedy eval")).hasSize(1);
        assertThat(lines).allMatch(l -> l.startsWith("seed ") || l.startsWith("qlearning FrozenLake-v1, 2 runs: "), "plain lines");
        assertThat(r.out()).doesNotContain("run folder:");
    }

    @Test
    void resumingAStudyFinishesEveryUnfinishedRunIdentically() throws IOException {
        Path copy = dir.resolve("interrupted");
        copyTree(dir.resolve("jobs2"), copy);
        // seed 1 as if stopped at step 1500 (its newest checkpoint removed); seed 2 as if never started.
        unfinish(copy.resolve("seed-1"));
        deleteTree(copy.resolve("seed-1/checkpoints/step-000000002000"));
        unfinish(copy.resolve("seed-2"));
        deleteTree(copy.resolve("seed-2/checkpoints"));
        for (String f : List.of("scores.csv", "curves.csv", "aggregate.json")) {
            Files.delete(copy.resolve(f));
        }
        ObjectNode manifest = (ObjectNode) new ObjectMapper().readTree(copy.resolve("study.json").toFile());
        ((ObjectNode) manifest.get("runs").get(1)).put("status", "interrupted");
        ((ObjectNode) manifest.get("runs").get(2)).put("status", "interrupted");
        Files.writeString(copy.resolve("study.json"), manifest.toString());
        assertThat(CliTest.run("compare", copy.toString()).err()).contains("is not finished (seed 1 interrupted, seed 2 interrupted)");

        CliTest.Run r = CliTest.run("resume", copy.toString(), "-q", "--jobs", "2");
        assertThat(r.code()).as(r.err()).isZero();
        for (long s : SEEDS) {
            assertSameRun(copy.resolve("seed-" + s), dir.resolve("single-" + s));
        }
        for (String f : List.of("scores.csv", "curves.csv", "aggregate.json")) {
            assertThat(Files.readString(copy.resolve(f))).as(f).isEqualTo(Files.readString(study.resolve(f)));
        }
        JsonNode after = new ObjectMapper().readTree(copy.resolve("study.json").toFile());
        assertThat(after.get("runs").findValuesAsText("status")).containsOnly("complete");
        CliTest.Run again = UserErrorsTest.userError("resume", copy.toString());
        assertThat(again.err()).contains("is complete", "nothing to resume");
    }

    @Test
    void compareShowsEachStudyAndTheProbabilityOfImprovement() {
        CliTest.Run r = CliTest.run("compare", qlearning.toString(), sarsa.toString(), "--reps", "2000");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("qlearning@qlearning-FrozenLake-v1: 1 env x 4 seeds",
                "sarsa@sarsa-FrozenLake-v1: 1 env x 4 seeds", "IQM", "Optimality gap", "P(X > Y)",
                "qlearning@qlearning-FrozenLake-v1 > sarsa@sarsa-FrozenLake-v1",
                "sarsa@sarsa-FrozenLake-v1         > qlearning@qlearning-FrozenLake-v1");
    }

    @Test
    void compareJsonHasEachStudysAggregatesAndEveryOrderedPair() throws IOException {
        CliTest.Run r = CliTest.run("compare", qlearning.toString(), sarsa.toString(), "--json", "--reps", "2000", "--seed", "3");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.fieldNames()).toIterable().containsExactly("normalized", "bootstrap", "studies", "probability_of_improvement");
        assertThat(o.get("bootstrap").get("reps").asInt()).isEqualTo(2000);
        assertThat(o.get("bootstrap").get("seed").asLong()).isEqualTo(3);
        ScoreMatrix q = ScoresCsv.read(qlearning.resolve("scores.csv"));
        ScoreMatrix s = ScoresCsv.read(sarsa.resolve("scores.csv"));
        JsonNode first = o.get("studies").get(0);
        assertThat(first.get("label").asText()).isEqualTo("qlearning@qlearning-FrozenLake-v1");
        assertThat(first.get("tasks").toString()).isEqualTo("[\"FrozenLake-v1\"]");
        assertThat(first.get("runs").asInt()).isEqualTo(4);
        assertThat(first.get("iqm").get("point").asDouble()).isEqualTo(Metrics.iqm(q));
        assertThat(first.get("mean").get("ci")).hasSize(2);
        JsonNode pairs = o.get("probability_of_improvement");
        assertThat(pairs).hasSize(2);
        assertThat(pairs.get(0).get("x").asText()).isEqualTo("qlearning@qlearning-FrozenLake-v1");
        assertThat(pairs.get(0).get("y").asText()).isEqualTo("sarsa@sarsa-FrozenLake-v1");
        double p = pairs.get(0).get("point").asDouble();
        assertThat(p).isEqualTo(Metrics.probabilityOfImprovement(q, s));
        assertThat(pairs.get(1).get("point").asDouble()).isEqualTo(1 - p);
        assertThat(pairs.get(0).get("ci").get(0).asDouble()).isLessThanOrEqualTo(p);
        assertThat(pairs.get(0).get("ci").get(1).asDouble()).isGreaterThanOrEqualTo(p);
    }

    @Test
    void studiesWithTheSameLabelAreNamedByFolderAndTieAtOneHalf() throws IOException {
        Path twin = dir.resolve("twin");
        copyTree(qlearning, twin);
        JsonNode o = new ObjectMapper().readTree(CliTest.run("compare", qlearning.toString(), twin.toString(), "--json",
                "--reps", "500").out());
        assertThat(o.get("studies").findValuesAsText("label")).containsExactly("qlearning", "twin");
        assertThat(o.get("probability_of_improvement").get(0).get("point").asDouble()).isEqualTo(0.5);
    }

    @Test
    void compareAcrossEnvsNeedsNormalizationAndTheSameEnvsPerAlgorithm() throws IOException {
        assertThat(UserErrorsTest.userError("compare", qlearning.toString(), study.toString()).err())
                .contains("different envs", "--normalize");
        assertThat(UserErrorsTest.userError("compare", qlearning.toString(), study.toString(), "--normalize").err())
                .contains("mismatched tasks: qlearning has studies on [FrozenLake-v1], dqn on [CartPole-v1]");
        Path again = dir.resolve("qlearning-again");
        copyTree(qlearning, again);
        assertThat(UserErrorsTest.userError("compare", qlearning.toString(), again.toString(), study.toString(), "--normalize").err())
                .contains("two qlearning studies on FrozenLake-v1");
    }

    @Test
    void badStudyCommandsAreOneLineUserErrors() throws IOException {
        String out = dir.resolve("never").toString();
        for (String bad : List.of("0", "a", "3-1", "1,1", "1,", "-2", "0-")) {
            assertThat(UserErrorsTest.userError("train", "FrozenLake-v1", "--seeds", bad, "--out", out).err())
                    .contains("--seeds '" + bad + "'");
        }
        assertThat(UserErrorsTest.userError("train", "FrozenLake-v1", "--seeds", "3", "--seed", "1", "--out", out).err())
                .contains("--seed and --seeds are mutually exclusive");
        assertThat(UserErrorsTest.userError("train", "FrozenLake-v1", "--jobs", "2", "--out", out).err())
                .contains("--jobs", "needs --seeds");
        assertThat(UserErrorsTest.userError("train", "FrozenLake-v1", "--seeds", "2", "--jobs", "0", "--out", out).err())
                .contains("--jobs must be positive");
        assertThat(UserErrorsTest.userError(args("--seeds", "2", "--out", study.toString())).err())
                .contains("already holds a study", "deepq resume");
        assertThat(Path.of(out)).doesNotExist();

        assertThat(UserErrorsTest.userError("compare", dir.resolve("single-0").toString()).err())
                .contains("is a single run, not a study");
        assertThat(UserErrorsTest.userError("compare", dir.toString()).err()).contains("not a study folder");
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("study.json"), "{\"format\": \"something\"}");
        assertThat(UserErrorsTest.userError("compare", broken.toString()).err()).contains("not a deepq study");
        assertThat(UserErrorsTest.userError("resume", study.toString(), "--steps", "5000").err()).contains("--steps extends one run");
    }

    @Test
    void seedListsParseCountsListsAndRanges() {
        assertThat(SeedList.parse("3")).containsExactly(0L, 1L, 2L);
        assertThat(SeedList.parse("1,2,5")).containsExactly(1L, 2L, 5L);
        assertThat(SeedList.parse("4-6")).containsExactly(4L, 5L, 6L);
        assertThat(SeedList.parse("7-7")).containsExactly(7L);
        assertThat(SeedList.parse("0-1, 10")).containsExactly(0L, 1L, 10L);
    }

    private static void assertSameRun(Path run, Path reference) throws IOException {
        for (String file : OUTPUTS) {
            assertThat(Files.readAllBytes(run.resolve(file))).as(run + "/" + file)
                    .isEqualTo(Files.readAllBytes(reference.resolve(file)));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode a = (ObjectNode) json.readTree(run.resolve("summary.json").toFile());
        ObjectNode b = (ObjectNode) json.readTree(reference.resolve("summary.json").toFile());
        a.remove("timing");
        b.remove("timing");
        assertThat(a).as(run + "/summary.json").isEqualTo(b);
    }

    /** Removes a run's outputs, as if it had not finished. */
    private static void unfinish(Path run) throws IOException {
        for (String f : List.of("summary.json", "model.safetensors", "metrics.csv", "eval.csv", "learning_curve.png")) {
            Files.deleteIfExists(run.resolve(f));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        assertThat(root).exists();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
