package dev.deepq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs the unfinished runs of a study, {@code jobs} at a time on threads of this JVM, each exactly as it would run on
 * its own (a run's results depend only on its settings and seed: every generator is the run's own, the kernels keep
 * their scratch per thread, and nothing a run computes is shared), then writes the aggregates when every run is
 * complete.
 *
 * <p>On Ctrl-C or SIGTERM every running run stops after its current step and writes a checkpoint (each
 * {@link TrainingSession} handles the signal itself); runs not yet started are not started; {@code study.json} records
 * which runs are complete, and {@code deepq resume STUDY} continues the others.
 */
final class StudyRunner {
    /** How long a stop signal waits for the study to record its state before the JVM exits anyway. */
    private static final long STOP_GRACE_SECONDS = 300;

    /** One run to do: its settings, folder, total steps, and whether it continues from a checkpoint. */
    record Job(RunSettings run, Path dir, long totalSteps, boolean fromCheckpoint, long doneSteps) {}

    private final Path studyDir;
    private final ObjectNode manifest;
    private final int jobs;
    private final SessionOptions options;
    private final PrintWriter out;
    private final PrintWriter err;
    private volatile boolean stopping;

    StudyRunner(Path studyDir, ObjectNode manifest, int jobs, SessionOptions options, PrintWriter out, PrintWriter err) {
        this.studyDir = studyDir;
        this.manifest = manifest;
        this.jobs = jobs;
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs {@code todo} (indexes into the manifest's runs, with their jobs), then, when every run of the study is
     * complete, writes and prints the aggregates. Interrupted runs are reported with how to resume; a failed run is an
     * error after the others have finished.
     */
    void run(List<Integer> runIndexes, List<Job> todo) {
        List<ObjectNode> entries = StudyFolder.runs(manifest);
        long[] done = new long[todo.size()];
        for (int i = 0; i < done.length; i++) {
            done[i] = todo.get(i).doneSteps();
        }
        String label = manifest.path("algo").asText() + " " + manifest.path("env").asText() + ", " + todo.size()
                + (todo.size() == 1 ? " run" : " runs");
        CountDownLatch over = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            stopping = true;
            try {
                over.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "deepq-study-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            runAll(runIndexes, todo, entries, done, label);
        } finally {
            // Only now may a stop signal let the JVM exit: the study's last lines (how to resume) are printed.
            over.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook waits for this study, which is over
            }
        }
    }

    private void runAll(List<Integer> runIndexes, List<Job> todo, List<ObjectNode> entries, long[] done, String label) {
        List<Throwable> failures = new ArrayList<>();
        try (StudyProgress progress = new StudyProgress(options.progressMode(), label,
                todo.isEmpty() ? 0 : todo.get(0).totalSteps(), done, err, System.err, options.progressInterval)) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(jobs, todo.size())), r -> {
                Thread t = new Thread(r, "deepq-study-run");
                t.setDaemon(true);
                return t;
            });
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < todo.size(); i++) {
                int index = i;
                ObjectNode entry = entries.get(runIndexes.get(i));
                futures.add(pool.submit(() -> runOne(todo.get(index), entry, progress, index, failures)));
            }
            pool.shutdown();
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    synchronized (failures) {
                        failures.add(e.getCause());
                    }
                }
            }
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.get(0);
            String message = failures.size() + " of " + entries.size() + " runs failed (see " + studyDir.resolve(StudyFolder.STUDY_FILE)
                    + "); first: " + first.getMessage();
            throw first instanceof Main.UserException ? new Main.UserException(message, first)
                    : new IllegalStateException(message, first);
        }
        long complete = entries.stream().filter(e -> e.path("status").asText().equals(StudyFolder.Status.COMPLETE.json())).count();
        if (complete < entries.size()) {
            out.printf(Locale.ROOT, "study stopped: %d of %d runs complete, the others have checkpoints%n", complete,
                    entries.size());
            out.println("continue with:  deepq resume " + studyDir);
            out.flush();
            return;
        }
        aggregateAndPrint();
    }

    private void runOne(Job job, ObjectNode entry, StudyProgress progress, int index, List<Throwable> failures) {
        long seed = job.run().seed();
        if (stopping) {
            record(entry, StudyFolder.Status.INTERRUPTED, null);
            return;
        }
        StudyFolder.Status status;
        String line;
        try {
            // Each run's own messages ("run folder: ...") are replaced by the study's lines.
            TrainingSession session = new TrainingSession(job.run(), job.dir(), job.totalSteps(), options,
                    new PrintWriter(new StringWriter()), err).progressThrough(progress.callbackFor(index));
            boolean finished = job.fromCheckpoint() ? session.resume() : session.run();
            if (finished) {
                status = StudyFolder.Status.COMPLETE;
                line = "seed " + seed + ": " + finalEval(job.dir());
            } else {
                status = StudyFolder.Status.INTERRUPTED;
                line = "seed " + seed + ": stopped, checkpoint written";
            }
        } catch (RuntimeException | LinkageError e) {
            if (stopping) {
                // A run starting as the JVM shuts down cannot register its stop handler; it simply did not run.
                record(entry, StudyFolder.Status.INTERRUPTED, null);
                progress.runOver("seed " + seed + ": not finished");
                return;
            }
            record(entry, StudyFolder.Status.FAILED, String.valueOf(e.getMessage()));
            synchronized (failures) {
                failures.add(e);
            }
            err.println("deepq: error: seed " + seed + " failed: " + e.getMessage());
            err.flush();
            progress.runOver("seed " + seed + ": failed");
            return;
        }
        record(entry, status, null);
        if (status == StudyFolder.Status.COMPLETE) {
            progress.runComplete(index, line);
        } else {
            progress.runOver(line);
        }
    }

    private static String finalEval(Path runDir) {
        try {
            JsonNode summary = new ObjectMapper().readTree(runDir.resolve(RunFolder.SUMMARY_FILE).toFile());
            JsonNode eval = summary.path("final_eval");
            String line = String.format(Locale.ROOT, "greedy eval %.2f ± %.2f over %d episodes", eval.path("mean").asDouble(),
                    eval.path("std").asDouble(), eval.path("episodes").asInt());
            if (summary.path("stopped_early").asBoolean(false)) {
                line += String.format(Locale.ROOT, ", stopped at step %,d of %,d (above --stop-above %s)",
                        summary.path("steps_taken").asLong(), summary.path("total_steps").asLong(),
                        TrainingSession.formatLevel(summary.path("stop_above").asDouble()));
            }
            return line;
        } catch (IOException e) {
            return "complete";
        }
    }

    /** Records a run's status in {@code study.json} (runs finish on several threads; one writes at a time). */
    private void record(ObjectNode entry, StudyFolder.Status status, String error) {
        synchronized (manifest) {
            StudyFolder.setStatus(entry, status, error);
            try {
                StudyFolder.writeManifest(studyDir, manifest);
            } catch (IOException e) {
                throw new Main.UserException("cannot write " + studyDir.resolve(StudyFolder.STUDY_FILE) + ": " + e.getMessage(), e);
            }
        }
    }

    /** Writes the aggregates of a study whose runs are all complete and prints them. */
    void aggregateAndPrint() {
        StudyFolder.Aggregate aggregate;
        try {
            aggregate = StudyFolder.aggregate(studyDir, manifest);
        } catch (IOException e) {
            throw new Main.UserException("cannot aggregate the study in " + studyDir + ": " + e.getMessage(), e);
        }
        printAggregate(out, studyDir, manifest, aggregate);
    }

    static void printAggregate(PrintWriter out, Path studyDir, ObjectNode manifest, StudyFolder.Aggregate aggregate) {
        out.printf(Locale.ROOT, "study %s: %s on %s, preset %s, %d seeds%n", studyDir, manifest.path("algo").asText(),
                aggregate.env(), manifest.path("preset").asText(), aggregate.seeds().size());
        StringBuilder scores = new StringBuilder("final greedy eval mean by seed:");
        for (int i = 0; i < aggregate.seeds().size(); i++) {
            scores.append(i == 0 ? " " : ", ").append(aggregate.seeds().get(i)).append(": ")
                    .append(String.format(Locale.ROOT, "%.2f", aggregate.finalScores()[i]));
        }
        out.println(scores);
        out.printf(Locale.ROOT, "aggregates over seeds (stratified bootstrap, %d replicates, seed %d):%n", StudyFolder.REPS,
                StudyFolder.BOOTSTRAP_SEED);
        StatsCommand.printTable(out, aggregate.estimates(), StudyFolder.CONFIDENCE);
        out.flush();
    }
}
