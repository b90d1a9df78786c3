package dev.deepq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepq.train.Checkpoint;
import dev.deepq.train.CheckpointException;
import dev.deepq.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code deepq resume RUN [--steps N]}: continues a run from the newest checkpoint in {@code RUN/checkpoints}, with
 * the settings in {@code RUN/config.yaml}. Uninterrupted and resumed runs end with identical files (timing aside).
 */
@Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Continue an interrupted run from its newest checkpoint (RUN/checkpoints), with its own "
                + "settings (RUN/config.yaml).",
                "The resumed run ends exactly as it would have without the interruption."})
final class ResumeCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "RUN", description = "The run folder, or a study folder (every unfinished run "
            + "of the study continues, then the study's aggregates are written).")
    Path runDir;

    @Option(names = "--steps", paramLabel = "N",
            description = "Train to N total env steps instead of the run's own total (to extend a finished run). The "
                    + "agent's schedules (exploration) keep the run's own total.")
    Long steps;

    @Option(names = "--jobs", paramLabel = "N",
            description = "For a study: runs resumed at once (default: the available processors).")
    Integer jobs;

    @Mixin
    SessionOptions session;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (StudyFolder.isStudy(runDir)) {
            resumeStudy();
            return;
        }
        if (jobs != null) {
            throw new Main.UserException("--jobs applies to study folders; " + runDir + " is a single run");
        }
        if (!Files.isRegularFile(runDir.resolve(RunFolder.CONFIG_FILE))) {
            throw new Main.UserException("RUN: " + runDir + " is not a run folder (it has no " + RunFolder.CONFIG_FILE + ")");
        }
        session.validate();
        RunSettings run = RunSettings.resolve(null, null, runDir.toString(), null, null, List.of(), Map.of(), null, null,
                null);
        long total = steps != null ? steps : run.totalSteps();
        if (total <= 0) {
            throw new Main.UserException("--steps must be positive, got " + total);
        }
        refuseRunStoppedAtItsLevel();
        long saved = newestCheckpointStep();
        if (saved >= total) {
            throw new Main.UserException("the run in " + runDir + " is complete at step " + saved + " of " + total
                    + "; nothing to resume (use --steps N with N > " + saved + " to extend it)");
        }
        new TrainingSession(run, runDir, total, session, spec.commandLine().getOut(), spec.commandLine().getErr())
                .resume();
    }

    /**
     * Every run of the study that is not complete continues from its newest checkpoint, or starts over when it has
     * none (it was never started, or was killed before its first checkpoint): either way it ends as it would have
     * uninterrupted. Then the aggregates are written.
     */
    private void resumeStudy() {
        if (steps != null) {
            throw new Main.UserException("--steps extends one run; resume the study without it (or extend a single run "
                    + "with 'deepq resume " + runDir.resolve("seed-S") + " --steps N')");
        }
        session.validate();
        int parallel = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        if (parallel <= 0) {
            throw new Main.UserException("--jobs must be positive, got " + parallel);
        }
        ObjectNode manifest = StudyFolder.readManifest(runDir);
        if (StudyFolder.isSweep(manifest)) {
            throw new Main.UserException(runDir + " is a study written by 'deepq sweep' (no seed folders to resume); "
                    + "run the sweep again to complete its failed runs");
        }
        List<ObjectNode> entries = StudyFolder.runs(manifest);
        List<Integer> indexes = new ArrayList<>();
        List<StudyRunner.Job> todo = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Path dir = runDir.resolve(entries.get(i).path("dir").asText());
            if (Files.isRegularFile(dir.resolve(RunFolder.SUMMARY_FILE))) {
                StudyFolder.setStatus(entries.get(i), StudyFolder.Status.COMPLETE, null);
                continue;
            }
            if (!Files.isRegularFile(dir.resolve(RunFolder.CONFIG_FILE))) {
                throw new Main.UserException("the study in " + runDir + " lists " + dir.getFileName() + ", which is not a run "
                        + "folder (it has no " + RunFolder.CONFIG_FILE + ")");
            }
            RunSettings run = RunSettings.resolve(null, null, dir.toString(), null, null, List.of(), Map.of(), null, null,
                null);
            Optional<Long> saved = checkpointStep(dir);
            indexes.add(i);
            todo.add(new StudyRunner.Job(run, dir, run.totalSteps(), saved.isPresent(), saved.orElse(0L)));
        }
        StudyRunner runner = new StudyRunner(runDir, manifest, parallel, session, spec.commandLine().getOut(),
                spec.commandLine().getErr());
        if (todo.isEmpty()) {
            if (Files.isRegularFile(runDir.resolve(StudyFolder.AGGREGATE_FILE))) {
                throw new Main.UserException("the study in " + runDir + " is complete (all " + entries.size()
                        + " runs and its aggregates); nothing to resume");
            }
            runner.aggregateAndPrint();
            return;
        }
        runner.run(indexes, todo);
    }

    /**
     * A run that stopped at its {@code --stop-above} level is over: resuming it (even with {@code --steps}) would stop
     * again at once, as its last evaluation is above the level.
     */
    private void refuseRunStoppedAtItsLevel() {
        Path file = runDir.resolve(RunFolder.SUMMARY_FILE);
        if (!Files.isRegularFile(file)) {
            return;
        }
        JsonNode summary;
        try {
            summary = RunFolder.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new Main.UserException(file + ": cannot be read as JSON: " + e.getMessage(), e);
        }
        if (summary.path("stopped_early").asBoolean(false)) {
            throw new Main.UserException("the run in " + runDir + " is complete: it stopped at step "
                    + summary.path("steps_taken").asLong() + " of " + summary.path("total_steps").asLong()
                    + ", its evaluation being above --stop-above "
                    + TrainingSession.formatLevel(summary.path("stop_above").asDouble())
                    + "; nothing to resume (to train further, start a new run with a higher --stop-above)");
        }
    }

    /** The step of a study run's newest checkpoint, if it has one. */
    private static Optional<Long> checkpointStep(Path dir) {
        Checkpoints checkpoints = new Checkpoints(dir.resolve(RunFolder.CHECKPOINTS_DIR));
        try {
            Optional<Path> latest = Files.isDirectory(checkpoints.folder()) ? checkpoints.latest() : Optional.empty();
            return latest.isEmpty() ? Optional.empty() : Optional.of(Checkpoint.read(latest.get()).step());
        } catch (CheckpointException e) {
            throw new Main.UserException("cannot resume " + dir + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new Main.UserException("cannot read the checkpoints in " + checkpoints.folder() + ": " + e.getMessage(), e);
        }
    }

    /** The step of the newest checkpoint, read and validated (a damaged one is refused with the file and problem). */
    private long newestCheckpointStep() {
        Checkpoints checkpoints = new Checkpoints(runDir.resolve(RunFolder.CHECKPOINTS_DIR));
        try {
            Optional<Path> latest = checkpoints.latest();
            if (latest.isEmpty()) {
                throw new Main.UserException("no checkpoint in " + checkpoints.folder() + ": nothing to resume");
            }
            return Checkpoint.read(latest.get()).step();
        } catch (CheckpointException e) {
            throw new Main.UserException("cannot resume " + runDir + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new Main.UserException("cannot read the checkpoints in " + checkpoints.folder() + ": " + e.getMessage(), e);
        }
    }
}
