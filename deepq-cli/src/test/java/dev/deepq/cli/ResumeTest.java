package dev.deepq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped by SIGTERM (as Ctrl-C) or killed outright (SIGKILL, so only the periodic checkpoints exist) and then
 * continued with {@code deepq resume} ends with the same model, metrics, evaluations and summary (timing aside) as the
 * same run uninterrupted. The interrupted runs are child JVMs, signalled once their first checkpoint exists.
 */
class ResumeTest {
    private static final String[] RUN = {"CartPole-v1", "--preset", "dqn-CartPole-v1-cleanrl", "--steps", "40000",
            "--set", "learning_starts=1000", "--set", "buffer_size=5000", "--eval-freq", "5000", "--eval-episodes", "3",
            "--checkpoint-every", "2000", "-q"};
    private static final String[] OUTPUTS = {"model.safetensors", "metrics.csv", "eval.csv"};

    @TempDir
    static Path dir;
    static Path reference;

    @BeforeAll
    static void uninterruptedRun() {
        reference = dir.resolve("reference");
        CliTest.Run r = CliTest.run(args("train", reference));
        assertThat(r.code()).as(r.err()).isZero();
    }

    @Test
    void stoppedBySigtermThenResumedEndsIdentically() throws Exception {
        Path run = dir.resolve("sigterm");
        Process child = startAndWaitForCheckpoint(run);
        child.destroy();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(run.resolveSibling(run.getFileName() + ".out"));
        assertThat(out).contains("continue with:  deepq resume " + run);
        assertThat(run.resolve("summary.json")).doesNotExist();

        CliTest.Run resumed = CliTest.run("resume", run.toString(), "-q");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("after resuming at");
        assertSameOutputs(run);
    }

    @Test
    void killedThenResumedFromThePeriodicCheckpointEndsIdentically() throws Exception {
        Path run = dir.resolve("sigkill");
        Process child = startAndWaitForCheckpoint(run);
        child.destroyForcibly();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.resolve("summary.json")).doesNotExist();

        CliTest.Run resumed = CliTest.run("resume", run.toString(), "-q");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertSameOutputs(run);
    }

    @Test
    void aFinishedRunCanBeExtendedAndIsNotResumedTwice() throws IOException {
        Path run = dir.resolve("extend");
        CliTest.Run first = CliTest.run("train", "CartPole-v1", "--preset", "dqn-CartPole-v1-cleanrl", "--steps", "3000",
                "--set", "learning_starts=500", "--eval-freq", "1000", "--eval-episodes", "2", "--out", run.toString(), "-q");
        assertThat(first.code()).as(first.err()).isZero();
        CliTest.Run again = CliTest.run("resume", run.toString());
        assertThat(again.code()).isEqualTo(Main.USER_ERROR);
        assertThat(again.err()).contains("is complete at step 3000 of 3000").contains("--steps");
        CliTest.Run longer = CliTest.run("resume", run.toString(), "--steps", "4000", "-q");
        assertThat(longer.code()).as(longer.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertThat(summary.get("steps_taken").asLong()).isEqualTo(4000);
        assertThat(summary.get("total_steps").asLong()).isEqualTo(4000);
    }

    @Test
    void resumingWhatIsNotAResumableRunIsAUserError() throws IOException {
        CliTest.Run notRun = CliTest.run("resume", dir.resolve("nowhere").toString());
        assertThat(notRun.code()).isEqualTo(Main.USER_ERROR);
        assertThat(notRun.err()).contains("is not a run folder");

        Path noCheckpoints = dir.resolve("no-checkpoints");
        Files.createDirectories(noCheckpoints.resolve("checkpoints"));
        Files.copy(reference.resolve("config.yaml"), noCheckpoints.resolve("config.yaml"));
        CliTest.Run none = CliTest.run("resume", noCheckpoints.toString());
        assertThat(none.code()).isEqualTo(Main.USER_ERROR);
        assertThat(none.err()).contains("no checkpoint in").contains("nothing to resume");

        CliTest.Run overwrite = CliTest.run(args("train", reference));
        assertThat(overwrite.code()).isEqualTo(Main.USER_ERROR);
        assertThat(overwrite.err()).contains("already holds a run").contains("deepq resume");
    }

    private static String[] args(String command, Path out) {
        List<String> a = new ArrayList<>(List.of(command));
        a.addAll(List.of(RUN));
        a.add("--out");
        a.add(out.toString());
        return a.toArray(String[]::new);
    }

    /** Starts the run in a child JVM and returns once its first periodic checkpoint is complete. */
    private static Process startAndWaitForCheckpoint(Path run) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args("train", run)));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(run.resolveSibling(run.getFileName() + ".out").toFile()).start();
        Path checkpoints = run.resolve("checkpoints");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(checkpoints)) {
                try (Stream<Path> s = Files.list(checkpoints)) {
                    if (s.anyMatch(p -> p.getFileName().toString().startsWith("step-"))) {
                        return child;
                    }
                }
            }
            assertThat(child.isAlive()).as("the run ended before its first checkpoint").isTrue();
            Thread.sleep(5);
        }
        child.destroyForcibly();
        throw new AssertionError("no checkpoint within 120 s in " + checkpoints);
    }

    private static void assertSameOutputs(Path run) throws IOException {
        for (String file : OUTPUTS) {
            assertThat(Files.readAllBytes(run.resolve(file))).as(file).isEqualTo(Files.readAllBytes(reference.resolve(file)));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode resumed = (ObjectNode) json.readTree(run.resolve("summary.json").toFile());
        ObjectNode uninterrupted = (ObjectNode) json.readTree(reference.resolve("summary.json").toFile());
        resumed.remove("timing");
        uninterrupted.remove("timing");
        assertThat(resumed).isEqualTo(uninterrupted);
    }
}
