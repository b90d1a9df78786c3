package dev.deepq.cli;

import dev.deepq.train.Checkpoint;
import dev.deepq.train.CheckpointException;
import dev.deepq.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    @Parameters(index = "0", paramLabel = "RUN", description = "The run folder.")
    Path runDir;

    @Option(names = "--steps", paramLabel = "N",
            description = "Train to N total env steps instead of the run's own total (to extend a finished run). The "
                    + "agent's schedules (exploration) keep the run's own total.")
    Long steps;

    @Mixin
    SessionOptions session;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (!Files.isRegularFile(runDir.resolve(RunFolder.CONFIG_FILE))) {
            throw new Main.UserException("RUN: " + runDir + " is not a run folder (it has no " + RunFolder.CONFIG_FILE + ")");
        }
        session.validate();
        RunSettings run = RunSettings.resolve(null, null, runDir.toString(), null, null, List.of(), Map.of(), null, null);
        long total = steps != null ? steps : run.totalSteps();
        if (total <= 0) {
            throw new Main.UserException("--steps must be positive, got " + total);
        }
        long saved = newestCheckpointStep();
        if (saved >= total) {
            throw new Main.UserException("the run in " + runDir + " is complete at step " + saved + " of " + total
                    + "; nothing to resume (use --steps N with N > " + saved + " to extend it)");
        }
        new TrainingSession(run, runDir, total, session, spec.commandLine().getOut(), spec.commandLine().getErr())
                .resume();
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
