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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study stopped by SIGTERM (as Ctrl-C) in a child JVM: every running run writes a checkpoint, {@code study.json}
 * records them as interrupted, and {@code deepq resume STUDY} finishes them as the runs would have ended alone.
 */
class StudyInterruptTest {
    private static final String[] RUN = {"train", "CartPole-v1", "--preset", "dqn-CartPole-v1-cleanrl", "--steps", "8000",
            "--set", "learning_starts=500", "--set", "hidden=[16]", "--eval-freq", "2000", "--eval-episodes", "2",
            "--checkpoint-every", "1000", "-q"};

    @TempDir
    Path dir;

    @Test
    void sigtermStopsEveryRunWithACheckpointAndResumeFinishesThem() throws Exception {
        Path study = dir.resolve("study");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(RUN));
        command.addAll(List.of("--seeds", "0-1", "--jobs", "2", "--out", study.toString()));
        Path outFile = dir.resolve("study.out");
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(outFile.toFile()).start();
        waitForCheckpoints(child, study.resolve("seed-0"), study.resolve("seed-1"));
        child.destroy();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(Files.readString(outFile)).contains("study stopped: 0 of 2 runs complete",
                "continue with:  deepq resume " + study);
        JsonNode manifest = new ObjectMapper().readTree(study.resolve("study.json").toFile());
        assertThat(manifest.get("runs").findValuesAsText("status")).containsExactly("interrupted", "interrupted");
        assertThat(study.resolve("aggregate.json")).doesNotExist();

        CliTest.Run resumed = CliTest.run("resume", study.toString(), "-q");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("IQM");
        for (long seed : List.of(0L, 1L)) {
            Path alone = dir.resolve("alone-" + seed);
            List<String> args = new ArrayList<>(List.of(RUN));
            args.addAll(List.of("--seed", Long.toString(seed), "--out", alone.toString()));
            CliTest.Run r = CliTest.run(args.toArray(String[]::new));
            assertThat(r.code()).as(r.err()).isZero();
            Path run = study.resolve("seed-" + seed);
            for (String file : List.of("model.safetensors", "metrics.csv", "eval.csv")) {
                assertThat(Files.readAllBytes(run.resolve(file))).as(run + "/" + file)
                        .isEqualTo(Files.readAllBytes(alone.resolve(file)));
            }
            ObjectMapper json = new ObjectMapper();
            ObjectNode a = (ObjectNode) json.readTree(run.resolve("summary.json").toFile());
            ObjectNode b = (ObjectNode) json.readTree(alone.resolve("summary.json").toFile());
            assertThat(a.get("timing").get("resumed_at_step").isNull()).as("seed %d was resumed", seed).isFalse();
            a.remove("timing");
            b.remove("timing");
            assertThat(a).isEqualTo(b);
        }
        JsonNode after = new ObjectMapper().readTree(study.resolve("study.json").toFile());
        assertThat(after.get("runs").findValuesAsText("status")).containsExactly("complete", "complete");
        assertThat(study.resolve("aggregate.json")).exists();
    }

    /** Returns once every run folder has a complete checkpoint. */
    private static void waitForCheckpoints(Process child, Path... runs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Path run : runs) {
                all &= hasCheckpoint(run.resolve("checkpoints"));
            }
            if (all) {
                return;
            }
            assertThat(child.isAlive()).as("the study ended before every run had a checkpoint").isTrue();
            Thread.sleep(5);
        }
        child.destroyForcibly();
        throw new AssertionError("no checkpoints within 120 s");
    }

    private static boolean hasCheckpoint(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return false;
        }
        try (Stream<Path> s = Files.list(checkpoints)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("step-"));
        }
    }
}
