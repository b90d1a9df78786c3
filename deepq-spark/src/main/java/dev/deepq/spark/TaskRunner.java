package dev.deepq.spark;

import dev.deepq.algo.Algorithm;
import dev.deepq.algo.Algorithms;
import dev.deepq.env.Envs;
import dev.deepq.train.RecordConfigs;
import dev.deepq.train.TrainingRun;

/**
 * Runs one sweep task where Spark puts it (an executor, or the driver's JVM in local mode); needs deepq-core only.
 *
 * <p>Training is deterministic, so an exception from the run itself (a config value out of range, an algorithm that
 * cannot handle the env) would happen again on a retry: it becomes a {@link TaskResult#FAILED} result and the sweep
 * goes on. Errors of the JVM ({@link Error}: out of memory, a missing class) propagate, and Spark retries the task
 * ({@code spark.task.maxFailures}), possibly on another executor.
 */
public final class TaskRunner {
    private TaskRunner() {}

    /** The function Spark runs: task JSON in, {@code {"task": ..., "result": ...}} JSON out. */
    public static String runJson(String taskJson) {
        SweepTask task = SweepTask.fromJson(taskJson);
        return TaskRecord.json(task, run(task));
    }

    /** Runs the task in this thread. */
    public static TaskResult run(SweepTask task) {
        long start = System.nanoTime();
        try {
            return TaskResult.of(trainingRun(task).run());
        } catch (RuntimeException e) {
            return TaskResult.failed(describe(e), (System.nanoTime() - start) / 1e9);
        }
    }

    /** The task as a {@link TrainingRun}: the algorithm's defaults, then {@code base}, then the overrides. */
    @SuppressWarnings("unchecked")
    public static TrainingRun trainingRun(SweepTask task) {
        Envs.spec(task.env());
        Algorithm<Record> algorithm = (Algorithm<Record>) Algorithms.get(task.algo());
        Record config = RecordConfigs.with(algorithm.defaults(), task.base());
        config = RecordConfigs.with(config, task.overrides());
        return new TrainingRun(task.env(), task.envOptions(), algorithm, config, task.seed(), task.evalEpisodes(),
                task.evalFrequency());
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        String name = e instanceof IllegalArgumentException ? "invalid setting" : e.getClass().getSimpleName();
        return message == null ? name : name + ": " + message;
    }
}
