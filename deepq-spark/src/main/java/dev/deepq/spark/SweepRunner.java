package dev.deepq.spark;

import dev.deepq.io.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Runs a sweep's tasks on Spark and writes the output folder: {@code tasks/ID.json} per completed task,
 * {@code runs.csv}, {@code runs.parquet}, a study folder per configuration ({@code studies/}, see
 * {@link SweepStudies}), the HTML report of those ({@code report/index.html}) and {@code summary.txt}.
 *
 * <p>Each task is its own Spark job of one partition, submitted asynchronously: Spark runs as many at once as it has
 * cores, retries a task whose executor fails ({@code spark.task.maxFailures}), and a task that still fails ends only
 * its own job, so the rest of the sweep completes. The driver writes each task's record as soon as it arrives, so an
 * interrupted sweep keeps its finished runs and a re-run skips them (a task whose {@code tasks/ID.json} holds that task
 * and a successful result is not run again; failed tasks are).
 */
public final class SweepRunner {
    public static final String TASKS_DIR = "tasks";
    public static final String CSV_FILE = "runs.csv";
    public static final String PARQUET_DIR = "runs.parquet";
    public static final String SUMMARY_FILE = "summary.txt";

    /**
     * What a sweep did.
     *
     * @param rows one per task, in plan order
     * @param executed tasks run by this invocation
     * @param skipped tasks already complete in the output folder
     * @param studies the study folder of each configuration, in plan order
     * @param reportIndex the report's index.html, or null when it could not be written (the summary says why)
     */
    public record Report(SweepPlan plan, Path output, List<SweepRow> rows, int executed, int skipped, String summary,
                         List<Path> studies, Path reportIndex) {
        public long failed() {
            return rows.stream().filter(r -> !r.ok()).count();
        }
    }

    private SweepRunner() {}

    /**
     * Runs the plan's tasks that are not complete in {@code output} and writes the output folder.
     *
     * @param parallelism at most this many tasks submitted at once; 0 leaves it to Spark's scheduler (all at once)
     * @param log progress lines (one per finished task)
     */
    public static Report run(SparkSession spark, SweepPlan plan, Path output, int parallelism, PrintWriter log) {
        Path tasksDir = output.resolve(TASKS_DIR);
        try {
            Files.createDirectories(tasksDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output folder " + tasksDir + ": " + e.getMessage(), e);
        }
        List<SweepTask> tasks = plan.tasks();
        Map<String, TaskResult> results = new LinkedHashMap<>();
        List<SweepTask> pending = new ArrayList<>();
        for (SweepTask task : tasks) {
            TaskResult done = completed(tasksDir, task);
            if (done != null) {
                results.put(task.id(), done);
            } else if (!results.containsKey(task.id()) && !pending.contains(task)) {
                pending.add(task);
            }
        }
        int skipped = results.size();
        if (skipped > 0) {
            log.printf(Locale.ROOT, "%d of %d tasks already complete in %s; running %d%n", skipped, tasks.size(),
                    output, pending.size());
            log.flush();
        }

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int window = parallelism > 0 ? parallelism : Integer.MAX_VALUE;
        Deque<SweepTask> queue = new ArrayDeque<>(pending);
        Map<SweepTask, JavaFutureAction<List<String>>> running = new LinkedHashMap<>();
        int finished = 0;
        while (!queue.isEmpty() || !running.isEmpty()) {
            while (!queue.isEmpty() && running.size() < window) {
                SweepTask task = queue.poll();
                jsc.setJobGroup("deepq-sweep", "deepq task " + task.id() + " (" + task.label() + ", seed "
                        + task.seed() + ")", false);
                running.put(task, jsc.parallelize(List.of(task.toJson()), 1).map(TaskRunner::runJson).collectAsync());
            }
            SweepTask done = awaitAny(running);
            TaskResult result = outcome(running.remove(done));
            results.put(done.id(), result);
            if (result.ok()) {
                write(tasksDir.resolve(done.id() + ".json"), TaskRecord.json(done, result));
            }
            finished++;
            log.printf(Locale.ROOT, "[%d/%d] %s seed %d: %s%n", finished, pending.size(), done.label(), done.seed(),
                    result.ok() ? String.format(Locale.ROOT, "final eval %.2f (%.1f s)", result.finalEvaluation().mean(),
                            result.wallSeconds()) : "FAILED: " + result.error());
            log.flush();
        }

        List<SweepRow> rows = new ArrayList<>();
        for (SweepTask task : tasks) {
            rows.add(SweepRow.of(task, results.get(task.id())));
        }
        write(output.resolve(CSV_FILE), SweepRow.csv(rows));
        writeParquet(spark, rows, output.resolve(PARQUET_DIR));
        List<Path> studies = SweepStudies.write(plan, results, output);
        Path reportIndex = null;
        String reportLine;
        try {
            reportIndex = SweepStudies.report(studies, output);
            reportLine = "report: " + reportIndex + "\n";
        } catch (RuntimeException e) {
            // the results are written; a report that cannot be made must not lose them
            reportLine = "report: not written: " + e.getMessage() + "\n";
        }
        String summary = SweepSummary.table(plan, rows) + reportLine;
        write(output.resolve(SUMMARY_FILE), summary);
        return new Report(plan, output, List.copyOf(rows), pending.size(), skipped, summary, List.copyOf(studies),
                reportIndex);
    }

    /** The successful result recorded for {@code task} in {@code tasksDir}, or null when it must run. */
    static TaskResult completed(Path tasksDir, SweepTask task) {
        Path file = tasksDir.resolve(task.id() + ".json");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            TaskRecord record = TaskRecord.fromJson(Files.readString(file, StandardCharsets.UTF_8));
            return record.task().equals(task) && record.result().ok() ? record.result() : null;
        } catch (IOException | IllegalArgumentException | ClassCastException | NullPointerException invalid) {
            return null; // unreadable or partial: run it again (the new record replaces it)
        }
    }

    private static SweepTask awaitAny(Map<SweepTask, JavaFutureAction<List<String>>> running) {
        while (true) {
            for (Map.Entry<SweepTask, JavaFutureAction<List<String>>> e : running.entrySet()) {
                if (e.getValue().isDone()) {
                    return e.getKey();
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                for (JavaFutureAction<List<String>> f : running.values()) {
                    f.cancel(true);
                }
                Thread.currentThread().interrupt();
                throw new IllegalStateException("sweep interrupted; completed tasks are kept and skipped on a re-run", e);
            }
        }
    }

    /** The task's result; a job Spark gave up on (after its retries) is a failed result naming Spark's error. */
    private static TaskResult outcome(JavaFutureAction<List<String>> future) {
        try {
            return TaskRecord.fromJson(future.get().get(0)).result();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return TaskResult.failed("Spark gave up on the task: " + firstLine(String.valueOf(cause.getMessage())), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void write(Path file, String text) {
        try {
            AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The Parquet table's schema (the columns of {@link SweepRow#COLUMNS}). */
    public static StructType schema() {
        DataType s = DataTypes.StringType;
        DataType l = DataTypes.LongType;
        DataType d = DataTypes.DoubleType;
        return new StructType(new StructField[] {
            field("task_id", s, false), field("config_id", s, false), field("env", s, false), field("algo", s, false),
            field("preset", s, false), field("config", s, false), field("overrides", s, false), field("seed", l, false),
            field("total_steps", l, false), field("status", s, false), field("error", s, true),
            field("final_eval_mean", d, true), field("final_eval_std", d, true), field("final_eval_iqm", d, true),
            field("eval_steps", DataTypes.createArrayType(l, false), false),
            field("eval_means", DataTypes.createArrayType(d, false), false),
            field("train_episodes", DataTypes.IntegerType, true), field("wall_time_s", d, false)});
    }

    private static StructField field(String name, DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }

    private static void writeParquet(SparkSession spark, List<SweepRow> rows, Path dir) {
        List<Row> data = new ArrayList<>();
        for (SweepRow r : rows) {
            List<Long> steps = new ArrayList<>();
            for (long x : r.evalSteps()) {
                steps.add(x);
            }
            List<Double> means = new ArrayList<>();
            for (double x : r.evalMeans()) {
                means.add(x);
            }
            data.add(RowFactory.create(r.taskId(), r.configId(), r.env(), r.algo(), r.preset(), r.config(),
                    r.overrides(), r.seed(), r.totalSteps(), r.status(), r.error(), r.finalEvalMean(), r.finalEvalStd(),
                    r.finalEvalIqm(), steps, means, r.trainEpisodes(), r.wallTimeS()));
        }
        spark.createDataFrame(data, schema()).coalesce(1).write().mode(SaveMode.Overwrite)
                .parquet(dir.toAbsolutePath().toUri().toString());
    }
}
