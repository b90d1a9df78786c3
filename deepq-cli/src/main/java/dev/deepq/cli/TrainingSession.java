package dev.deepq.cli;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.eval.Aggregates;
import dev.deepq.eval.EpisodeStats;
import dev.deepq.io.AtomicFiles;
import dev.deepq.train.Agent;
import dev.deepq.train.Callback;
import dev.deepq.train.Checkpoint;
import dev.deepq.train.CheckpointException;
import dev.deepq.train.Checkpoints;
import dev.deepq.train.EpisodeMetricsRecorder;
import dev.deepq.train.PeriodicEvaluation;
import dev.deepq.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One training run into a run folder, for {@code deepq train} and {@code deepq resume}: builds the env, agent,
 * evaluation and trainer from the run's settings, continues from the folder's newest checkpoint when resuming,
 * writes checkpoints every {@code checkpointInterval} steps and when the process is asked to stop (Ctrl-C, SIGTERM),
 * and writes the folder's outputs when the run completes: after its last step, or at the first evaluation above its
 * {@code --stop-above} level (see {@link StopLevel}).
 *
 * <p>A resumed run ends with the same model, metrics, evaluations and summary (timing aside) as the run would have
 * had uninterrupted: the checkpoint holds everything the run's future depends on (see {@code docs/CHECKPOINTS.md}).
 */
final class TrainingSession implements AutoCloseable {
    /** How long a stop signal waits for the checkpoint and outputs to be written before the JVM exits anyway. */
    private static final long STOP_GRACE_SECONDS = 300;

    private final RunSettings run;
    private final Path dir;
    private final long totalSteps;
    private final long checkpointInterval;
    private TrainingProgress.Mode progressMode;
    /** Replaces the session's own progress display when set (a study shows one display for all its runs). */
    private Callback progressOverride;
    private final double progressInterval;
    private final PrintWriter out;
    private final PrintWriter err;
    private final VectorEnv env;
    private final Agent agent;

    /**
     * Builds the env and the agent, which validates the settings (an algorithm that cannot handle the env's spaces
     * is refused here, before anything is written).
     */
    TrainingSession(RunSettings run, Path dir, long totalSteps, SessionOptions options, PrintWriter out,
                    PrintWriter err) {
        options.validate();
        this.run = run;
        this.dir = dir;
        this.totalSteps = totalSteps;
        this.checkpointInterval = options.checkpointInterval(totalSteps);
        this.progressMode = options.progressMode();
        this.progressInterval = options.progressInterval;
        int envThreads = options.envThreads;
        this.out = out;
        this.err = err;
        int numEnvs = run.numEnvs();
        this.env = VectorEnvs.make(run.envId(), run.envOptions(), numEnvs, Math.min(envThreads, numEnvs));
        try {
            this.agent = run.createAgent(env.singleObservationSpace(), env.singleActionSpace());
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
    }

    /** A fresh run; true when it ran to the end, false when it was stopped (with a checkpoint written). */
    boolean run() {
        return train(false);
    }

    /** Continues the run from the newest checkpoint in the folder; true when it ran to the end. */
    boolean resume() {
        return train(true);
    }

    /** Shows progress through {@code callback} instead of the session's own display (for studies). */
    TrainingSession progressThrough(Callback callback) {
        this.progressMode = TrainingProgress.Mode.NONE;
        this.progressOverride = callback;
        return this;
    }

    @Override
    public void close() {
        env.close();
    }

    private boolean train(boolean resume) {
        long evalSeed = run.seed() + TrainCommand.EVAL_SEED_OFFSET;
        EpisodeMetricsRecorder recorder = new EpisodeMetricsRecorder();
        Checkpoints checkpoints = new Checkpoints(dir.resolve(RunFolder.CHECKPOINTS_DIR));
        String started = OffsetDateTime.now().toString();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onSignal = null;
        try (Env evalEnv = Envs.make(run.envId(), run.envOptions(), RunSettings.evalTimeLimit(run.envId()))) {
            PeriodicEvaluation evaluation = new PeriodicEvaluation(evalEnv, run.evalFrequency(), run.evalEpisodes(),
                    evalSeed);
            StopLevel stopLevel = null;
            if (run.stopAbove() != null) {
                evaluation.stopAbove(run.stopAbove());
                stopLevel = new StopLevel(evaluation, run.stopAbove());
            }
            String label = run.algorithm().name() + " " + run.envId();
            Trainer trainer = new Trainer(env, agent, totalSteps, run.seed())
                    .callback(recorder)
                    .callback(evaluation);
            if (stopLevel != null) {
                trainer.callback(stopLevel);
            }
            trainer.callback(progressOverride != null ? progressOverride
                            : new TrainingProgress(progressMode, label, err, System.err, progressInterval, evaluation,
                                    stopLevel))
                    .checkpointEvery(checkpointInterval > 0 ? checkpointInterval : Long.MAX_VALUE, checkpoints);
            Checkpoint restored = resume ? restoreLatest(checkpoints, trainer) : null;
            // On Ctrl-C or SIGTERM: stop after the current step, let the trainer write a checkpoint, and hold the JVM
            // until this session has said how to resume.
            onSignal = new Thread(() -> {
                trainer.requestStop();
                try {
                    finished.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "deepq-stop");
            Runtime.getRuntime().addShutdownHook(onSignal);
            long start = System.nanoTime();
            trainer.run();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (trainer.stoppedEarly() && (stopLevel == null || !stopLevel.reached())) {
                out.printf(Locale.ROOT, "stopped at step %d of %d; checkpoint written to %s%n", trainer.step(),
                        totalSteps, latestCheckpoint(checkpoints));
                out.println("continue with:  deepq resume " + dir);
                out.flush();
                return false;
            }
            writeOutputs(trainer, evaluation, recorder, evalSeed, started, seconds, restored);
            return true;
        } finally {
            env.close();
            finished.countDown();
            if (onSignal != null) {
                removeHook(onSignal);
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already stopping; the hook waits for this session to finish.
        }
    }

    private Checkpoint restoreLatest(Checkpoints checkpoints, Trainer trainer) {
        try {
            Optional<Checkpoint> latest = checkpoints.restoreLatest(trainer);
            if (latest.isEmpty()) {
                throw new Main.UserException("no checkpoint in " + checkpoints.folder() + ": nothing to resume");
            }
            return latest.get();
        } catch (CheckpointException e) {
            throw new Main.UserException("cannot resume " + dir + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new Main.UserException("cannot read the checkpoints in " + checkpoints.folder() + ": " + e.getMessage(), e);
        }
    }

    private static String latestCheckpoint(Checkpoints checkpoints) {
        try {
            return checkpoints.latest().map(Path::toString).orElse("(none)");
        } catch (IOException e) {
            return checkpoints.folder() + " (cannot list: " + e.getMessage() + ")";
        }
    }

    private void writeOutputs(Trainer trainer, PeriodicEvaluation evaluation, EpisodeMetricsRecorder recorder,
                              long evalSeed, String started, double seconds, Checkpoint restored) {
        EpisodeStats finalEval = evaluation.latest().stats();
        Map<String, Object> summary = summary(trainer, evaluation, evalSeed, started, seconds, restored);
        List<String> notes = new ArrayList<>();
        try {
            RunFolder.writeEvalCsv(dir.resolve(RunFolder.EVAL_FILE), evaluation.results());
            StringWriter csv = new StringWriter();
            recorder.writeCsv(csv);
            AtomicFiles.write(dir.resolve(RunFolder.METRICS_FILE), csv.toString().getBytes(StandardCharsets.UTF_8));
            RunFolder.saveModel(agent, dir.resolve(RunFolder.MODEL_FILE));
            RunFolder.writeJson(dir.resolve(RunFolder.SUMMARY_FILE), summary);
        } catch (IOException e) {
            throw new Main.UserException("cannot write to " + dir + ": " + e.getMessage(), e);
        }
        try {
            String title = run.algorithm().name().toUpperCase(Locale.ROOT) + " on " + run.envId() + ", seed "
                    + run.seed() + " (preset " + run.presetName() + ")"
                    + (trainer.stoppedEarly() ? ", stopped above " + formatLevel(run.stopAbove()) : "");
            LearningCurvePlot.write(dir.resolve(RunFolder.PLOT_FILE), title, trainer.episodes(), evaluation.results());
        } catch (IOException | RuntimeException | LinkageError e) {
            // A missing font or graphics library must not lose a finished run: the data files are written.
            notes.add("learning_curve.png not written: " + e);
        }
        RunFolder.makeReadable(dir);
        long stepsThisSession = trainer.step() - (restored == null ? 0 : restored.step());
        out.printf(Locale.ROOT, "%s on %s, seed %d, preset %s: %d steps%s in %.1f s (%.0f steps/s); "
                        + "greedy eval over %d episodes: %.2f ± %.2f%n",
                run.algorithm().name(), run.envId(), run.seed(), run.presetName(), trainer.step(),
                restored == null ? "" : " (" + stepsThisSession + " after resuming at " + restored.step() + ")",
                seconds, stepsThisSession / seconds, run.evalEpisodes(), finalEval.mean(), finalEval.std());
        if (trainer.stoppedEarly()) {
            out.printf(Locale.ROOT, "stopped early at step %d of %d: the evaluation mean %.2f is above --stop-above %s%n",
                    trainer.step(), trainer.totalSteps(), finalEval.mean(), formatLevel(run.stopAbove()));
        }
        out.println("run folder: " + dir);
        for (String note : notes) {
            err.println("deepq: warning: " + note);
        }
        out.flush();
    }

    private Map<String, Object> summary(Trainer trainer, PeriodicEvaluation evaluation, long evalSeed, String started,
                                        double seconds, Checkpoint restored) {
        EpisodeStats eval = evaluation.latest().stats();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("env", run.envId());
        summary.put("env_options", run.envOptions());
        summary.put("algo", run.algorithm().name());
        summary.put("preset", run.presetName());
        summary.put("seed", run.seed());
        summary.put("total_steps", trainer.totalSteps());
        summary.put("steps_taken", trainer.step());
        // Outputs are only written for a run that ended by itself: a stop before the last step is --stop-above's.
        summary.put("stop_above", run.stopAbove());
        summary.put("stopped_early", trainer.stoppedEarly());
        Map<String, Object> finalEval = new LinkedHashMap<>();
        finalEval.put("episodes", run.evalEpisodes());
        finalEval.put("seed", evalSeed);
        finalEval.put("mean", eval.mean());
        finalEval.put("std", eval.std());
        finalEval.put("iqm", Aggregates.iqm(eval.returns()));
        finalEval.put("min", eval.min());
        finalEval.put("max", eval.max());
        finalEval.put("mean_length", eval.meanLength());
        finalEval.put("returns", eval.returns());
        finalEval.put("lengths", eval.lengths());
        summary.put("final_eval", finalEval);
        PeriodicEvaluation.Result best = null;
        for (PeriodicEvaluation.Result r : evaluation.results()) {
            if (best == null || r.stats().mean() > best.stats().mean()) {
                best = r;
            }
        }
        Map<String, Object> bestEval = new LinkedHashMap<>();
        bestEval.put("step", best.step());
        bestEval.put("mean", best.stats().mean());
        bestEval.put("std", best.stats().std());
        summary.put("best_eval", bestEval);
        summary.put("evaluations", evaluation.results().size());
        summary.put("train_episodes", trainer.episodes().size());
        summary.put("train_recent_mean_return", nanToNull(trainer.episodes().recentMeanReturn(100)));
        summary.put("train_episode_returns", trainer.episodes().returns());
        summary.put("train_episode_lengths", trainer.episodes().lengths());
        summary.put("config", run.configMap());
        // Timing is the only part of the summary that differs between identical runs (a resumed run included).
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("started", started);
        timing.put("wall_time_s", seconds);
        long stepsThisSession = trainer.step() - (restored == null ? 0 : restored.step());
        timing.put("steps_per_s", stepsThisSession / seconds);
        timing.put("resumed_at_step", restored == null ? null : restored.step());
        summary.put("timing", timing);
        summary.put("jvm", BuildInfo.jvm());
        summary.put("deepq_version", BuildInfo.version());
        summary.put("git_commit", BuildInfo.gitCommit());
        return summary;
    }

    /** A stop level as the user would type it: -200, not -200.0. */
    static String formatLevel(double level) {
        return level == Math.rint(level) && Math.abs(level) < 1e15 ? Long.toString((long) level) : Double.toString(level);
    }

    private static Double nanToNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
