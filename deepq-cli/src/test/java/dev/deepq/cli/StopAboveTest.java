package dev.deepq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deepq train --stop-above RETURN}: training stops at the first evaluation whose mean is above RETURN, the run
 * folder is complete at that step and says so; a level never reached changes nothing; {@code deepq resume} keeps the
 * level; studies stop each seed on its own; bad levels are user errors.
 */
class StopAboveTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A short DQN run: evaluations at steps 1000, 2000, 3000, 4000, checkpoints every 500 steps. */
    private static final String[] DQN = {"CartPole-v1", "--preset", "dqn-CartPole-v1-cleanrl", "--steps", "4000",
            "--set", "learning_starts=500", "--set", "hidden=[16]", "--eval-freq", "1000", "--eval-episodes", "2",
            "--checkpoint-every", "500"};
    /** Any mean return is above this: training stops at the first evaluation. */
    private static final String ALWAYS = "-1e9";
    private static final String[] OUTPUTS = {"model.safetensors", "metrics.csv", "eval.csv", "learning_curve.png",
            "summary.json"};

    private static String[] train(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(List.of(DQN));
        a.addAll(List.of(more));
        a.addAll(List.of("--out", out.toString()));
        return a.toArray(String[]::new);
    }

    private static JsonNode summary(Path run) throws IOException {
        return JSON.readTree(run.resolve("summary.json").toFile());
    }

    private static JsonNode withoutTiming(JsonNode summary) {
        ObjectNode s = summary.deepCopy();
        s.remove("timing");
        return s;
    }

    private static List<String> evalRows(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("eval.csv"));
        return lines.subList(1, lines.size());
    }

    @Test
    void stopsAtTheFirstEvaluationAboveTheLevelWithACompleteRunFolder(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("run");
        CliTest.Run r = CliTest.run(train(run, "--stop-above", ALWAYS, "--progress", "plain"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("dqn on CartPole-v1, seed 0, preset dqn-CartPole-v1-cleanrl: 1000 steps",
                "stopped early at step 1000 of 4000: the evaluation mean ", " is above --stop-above -1000000000");
        // The last progress line shows the run as stopped at its level, not as a run with time left.
        assertThat(r.err().lines().filter(l -> l.startsWith("dqn CartPole-v1: ")).reduce((a, b) -> b).orElseThrow())
                .contains("1,000/4,000 steps (25%)", "stopped: eval above -1000000000").doesNotContain("ETA");

        JsonNode s = summary(run);
        assertThat(s.get("stop_above").asDouble()).isEqualTo(-1e9);
        assertThat(s.get("stopped_early").asBoolean()).isTrue();
        assertThat(s.get("steps_taken").asLong()).isEqualTo(1000);
        assertThat(s.get("total_steps").asLong()).isEqualTo(4000);
        // The evaluation that stopped the run is its final one: no second evaluation at the same step.
        assertThat(s.get("evaluations").asInt()).isEqualTo(1);
        assertThat(evalRows(run)).hasSize(1).allSatisfy(row -> assertThat(row).startsWith("1000,2,"));
        assertThat(evalRows(run).get(0).split(",")[2]).isEqualTo(Double.toString(s.get("final_eval").get("mean").asDouble()));
        assertThat(s.get("best_eval").get("step").asLong()).isEqualTo(1000);
        for (String f : OUTPUTS) {
            assertThat(run.resolve(f)).as(f).isNotEmptyFile();
        }
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertThat(Long.parseLong(metrics.get(metrics.size() - 1).split(",")[2])).isLessThanOrEqualTo(1000);
        assertThat(s.get("train_episode_returns").size()).isEqualTo(metrics.size() - 1);

        // The level is part of the run's settings: config.yaml repeats it.
        assertThat(RunFolder.YAML.readTree(run.resolve("config.yaml").toFile()).get("eval").get("stop_above").asDouble())
                .isEqualTo(-1e9);
        Path repeat = dir.resolve("repeat");
        CliTest.Run again = CliTest.run("train", "--preset", run.resolve("config.yaml").toString(), "-q", "--out",
                repeat.toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(withoutTiming(summary(repeat))).isEqualTo(withoutTiming(s));
    }

    @Test
    void aLevelNeverReachedRunsToTheEndAndChangesNothing(@TempDir Path dir) throws IOException {
        // FrozenLake's returns are 0 or 1: no mean is above 1.
        String[] run = {"train", "FrozenLake-v1", "--algo", "qlearning", "--steps", "3000", "--eval-freq", "1000",
                "--eval-episodes", "5", "-q", "--out"};
        Path capped = dir.resolve("capped");
        Path plain = dir.resolve("plain");
        List<String> withLevel = new ArrayList<>(List.of(run));
        withLevel.addAll(List.of(capped.toString(), "--stop-above", "1"));
        List<String> without = new ArrayList<>(List.of(run));
        without.add(plain.toString());
        CliTest.Run r = CliTest.run(withLevel.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("stopped early");
        assertThat(CliTest.run(without.toArray(String[]::new)).code()).isZero();

        JsonNode s = summary(capped);
        assertThat(s.get("stop_above").asDouble()).isEqualTo(1.0);
        assertThat(s.get("stopped_early").asBoolean()).isFalse();
        assertThat(s.get("steps_taken").asLong()).isEqualTo(3000);
        assertThat(s.get("evaluations").asInt()).isEqualTo(3);
        JsonNode reference = summary(plain);
        assertThat(reference.get("stop_above").isNull()).isTrue();
        ObjectNode same = (ObjectNode) withoutTiming(s);
        same.putNull("stop_above");
        assertThat(same).isEqualTo(withoutTiming(reference));
        assertThat(Files.readString(capped.resolve("eval.csv"))).isEqualTo(Files.readString(plain.resolve("eval.csv")));
        assertThat(Files.readString(plain.resolve("config.yaml"))).doesNotContain("stop_above");
    }

    @Test
    void resumeKeepsTheLevel(@TempDir Path dir) throws IOException {
        Path reference = dir.resolve("reference");
        assertThat(CliTest.run(train(reference, "--stop-above", ALWAYS, "-q")).code()).isZero();
        Path checkpoints = reference.resolve(RunFolder.CHECKPOINTS_DIR);
        assertThat(names(checkpoints)).containsExactly("step-000000000500", "step-000000001000");

        // Killed after the checkpoint at step 500: the resumed run, with the level from config.yaml, stops at 1000.
        Path killed = copy(reference, dir.resolve("killed"));
        deleteOutputs(killed);
        deleteTree(killed.resolve(RunFolder.CHECKPOINTS_DIR).resolve("step-000000001000"));
        CliTest.Run resumed = CliTest.run("resume", killed.toString(), "-q");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("1000 steps (500 after resuming at 500)", "stopped early at step 1000 of 4000");
        assertSameRun(killed, reference);

        // Killed after the checkpoint at the stop but before the outputs: resuming only writes them.
        Path almost = copy(reference, dir.resolve("almost"));
        deleteOutputs(almost);
        CliTest.Run finished = CliTest.run("resume", almost.toString(), "-q");
        assertThat(finished.code()).as(finished.err()).isZero();
        assertThat(finished.out()).contains("1000 steps (0 after resuming at 1000)");
        assertSameRun(almost, reference);

        // A run that stopped at its level is complete, even for --steps.
        for (String[] args : List.of(new String[] {"resume", reference.toString()},
                new String[] {"resume", reference.toString(), "--steps", "8000"})) {
            CliTest.Run again = UserErrorsTest.userError(args);
            assertThat(again.err()).contains("the run in " + reference + " is complete: it stopped at step 1000 of 4000, "
                    + "its evaluation being above --stop-above -1000000000; nothing to resume");
        }
    }

    @Test
    void eachSeedOfAStudyStopsAtItsFirstEvaluationAboveTheLevel(@TempDir Path dir) throws IOException {
        Path study = dir.resolve("study");
        CliTest.Run r = CliTest.run("train", "FrozenLake-v1", "--algo", "qlearning", "--steps", "3000", "--eval-freq",
                "1000", "--eval-episodes", "5", "--stop-above", "-1", "--seeds", "2", "--jobs", "2", "--progress", "plain",
                "--out", study.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("seed 0: greedy eval ", "seed 1: greedy eval ",
                "stopped at step 1,000 of 3,000 (above --stop-above -1)");
        JsonNode manifest = JSON.readTree(study.resolve("study.json").toFile());
        assertThat(manifest.get("eval").get("stop_above").asDouble()).isEqualTo(-1.0);
        for (int seed = 0; seed < 2; seed++) {
            Path run = study.resolve("seed-" + seed);
            JsonNode s = summary(run);
            assertThat(s.get("stopped_early").asBoolean()).isTrue();
            assertThat(s.get("steps_taken").asLong()).isEqualTo(1000);
            assertThat(evalRows(run)).hasSize(1);
            // ... exactly as the seed's own run would
            Path single = dir.resolve("single-" + seed);
            assertThat(CliTest.run("train", "FrozenLake-v1", "--algo", "qlearning", "--steps", "3000", "--eval-freq",
                    "1000", "--eval-episodes", "5", "--stop-above", "-1", "--seed", Integer.toString(seed), "-q", "--out",
                    single.toString()).code()).isZero();
            assertThat(withoutTiming(s)).isEqualTo(withoutTiming(summary(single)));
        }
        assertThat(Files.readAllLines(study.resolve("curves.csv"))).hasSize(3);
        assertThat(study.resolve("aggregate.json")).isNotEmptyFile();
        // The study is complete: nothing to resume.
        assertThat(UserErrorsTest.userError("resume", study.toString()).err()).contains("is complete");
    }

    @Test
    void badLevelsAreUserErrors(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        assertThat(UserErrorsTest.userError("train", "--stop-above", "NaN", "--out", out.toString()).err())
                .contains("--stop-above must be a finite number (a mean evaluation return), got NaN");
        assertThat(UserErrorsTest.userError("train", "--stop-above", "Infinity", "--out", out.toString()).err())
                .contains("--stop-above must be a finite number (a mean evaluation return), got Infinity");
        assertThat(UserErrorsTest.userError("train", "--stop-above", "high", "--out", out.toString()).err())
                .contains("--stop-above", "'high'");
        assertThat(UserErrorsTest.userError("train", "--seeds", "2", "--stop-above", "NaN", "--out", out.toString()).err())
                .contains("--stop-above must be a finite number");
        assertThat(out).doesNotExist();

        Path preset = dir.resolve("preset.yaml");
        Files.writeString(preset, "env: CartPole-v1\nalgo: dqn\neval:\n  episodes: 2\n  stop_above: high\n");
        assertThat(UserErrorsTest.userError("train", "--preset", preset.toString(), "--out", out.toString()).err())
                .contains(preset + ", line 5: eval.stop_above must be a finite number (a mean evaluation return), got "
                        + "\"high\"");
        assertThat(out).doesNotExist();
    }

    @Test
    void helpDescribesTheOption() {
        CliTest.Run r = CliTest.run("train", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--stop-above=RETURN", "Stop training at the first evaluation whose mean");
    }

    private static void assertSameRun(Path actual, Path expected) throws IOException {
        for (String f : new String[] {"model.safetensors", "metrics.csv", "eval.csv"}) {
            assertThat(Files.readAllBytes(actual.resolve(f))).as(f).isEqualTo(Files.readAllBytes(expected.resolve(f)));
        }
        ObjectNode a = (ObjectNode) withoutTiming(summary(actual));
        assertThat(a).isEqualTo(withoutTiming(summary(expected)));
    }

    private static void deleteOutputs(Path run) throws IOException {
        for (String f : OUTPUTS) {
            Files.delete(run.resolve(f));
        }
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
