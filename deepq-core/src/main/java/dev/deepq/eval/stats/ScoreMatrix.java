package dev.deepq.eval.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Scores of several independent runs on several tasks: {@code rliable}'s {@code (num_runs x num_tasks)} matrix. Every
 * task has the same number of runs (a full matrix, as rliable requires); every score is finite. Immutable.
 *
 * <p>Scores are kept task by task ({@code values[task * runs + run]}), the layout {@link Metric} works on, because
 * the stratified bootstrap resamples within one task at a time.
 */
public final class ScoreMatrix {
    private final int runs;
    private final int tasks;
    private final double[] values;
    private final List<String> taskNames;

    private ScoreMatrix(int runs, int tasks, double[] values, List<String> taskNames) {
        this.runs = runs;
        this.tasks = tasks;
        this.values = values;
        this.taskNames = taskNames;
    }

    /**
     * A matrix from rliable's layout: {@code scores[run][task]}. Tasks are named by their column index ("0", "1", ...).
     *
     * @throws IllegalArgumentException if there are no runs or tasks, rows differ in length, or a score is not finite
     */
    public static ScoreMatrix of(double[][] scoresByRun) {
        Objects.requireNonNull(scoresByRun, "scores");
        if (scoresByRun.length == 0 || scoresByRun[0].length == 0) {
            throw new IllegalArgumentException("a score matrix needs at least one run and one task");
        }
        int runs = scoresByRun.length;
        int tasks = scoresByRun[0].length;
        double[] values = new double[runs * tasks];
        for (int r = 0; r < runs; r++) {
            if (scoresByRun[r].length != tasks) {
                throw new IllegalArgumentException("run " + r + " has " + scoresByRun[r].length + " task scores, run 0 has "
                        + tasks + "; every run needs a score on every task");
            }
            for (int t = 0; t < tasks; t++) {
                values[t * runs + r] = checkFinite(scoresByRun[r][t], "run " + r + ", task " + t);
            }
        }
        List<String> names = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            names.add(Integer.toString(t));
        }
        return new ScoreMatrix(runs, tasks, values, Collections.unmodifiableList(names));
    }

    /**
     * A matrix from named tasks, each with its runs' scores: {@code scoresByTask[t][run]} belongs to
     * {@code taskNames.get(t)}.
     *
     * @throws IllegalArgumentException if names are missing or repeated, tasks have different numbers of runs (rliable
     *     needs a full matrix), there are no runs, or a score is not finite
     */
    public static ScoreMatrix ofTasks(List<String> taskNames, double[][] scoresByTask) {
        Objects.requireNonNull(taskNames, "taskNames");
        Objects.requireNonNull(scoresByTask, "scores");
        if (taskNames.size() != scoresByTask.length) {
            throw new IllegalArgumentException(taskNames.size() + " task names for " + scoresByTask.length + " tasks");
        }
        if (scoresByTask.length == 0) {
            throw new IllegalArgumentException("a score matrix needs at least one task");
        }
        if (new HashSet<>(taskNames).size() != taskNames.size()) {
            throw new IllegalArgumentException("task names must be distinct, got " + taskNames);
        }
        int tasks = scoresByTask.length;
        int runs = scoresByTask[0].length;
        if (runs == 0) {
            throw new IllegalArgumentException("task " + taskNames.get(0) + " has no runs");
        }
        double[] values = new double[runs * tasks];
        for (int t = 0; t < tasks; t++) {
            if (scoresByTask[t].length != runs) {
                throw new IllegalArgumentException("task " + taskNames.get(t) + " has " + scoresByTask[t].length
                        + " runs, task " + taskNames.get(0) + " has " + runs
                        + "; every task needs the same number of runs (a full runs x tasks matrix)");
            }
            for (int r = 0; r < runs; r++) {
                values[t * runs + r] = checkFinite(scoresByTask[t][r], "task " + taskNames.get(t) + ", run " + r);
            }
        }
        return new ScoreMatrix(runs, tasks, values, List.copyOf(taskNames));
    }

    private static double checkFinite(double v, String where) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("score of " + where + " is " + v + "; scores must be finite");
        }
        return v;
    }

    public int runs() {
        return runs;
    }

    public int tasks() {
        return tasks;
    }

    /** runs x tasks. */
    public int size() {
        return values.length;
    }

    public List<String> taskNames() {
        return taskNames;
    }

    public double score(int run, int task) {
        Objects.checkIndex(run, runs);
        Objects.checkIndex(task, tasks);
        return values[task * runs + run];
    }

    /** A copy of the scores task by task: {@code [task * runs + run]}. */
    public double[] taskMajorValues() {
        return values.clone();
    }

    /** Reads without copying, for the bootstrap. */
    double[] values() {
        return values;
    }

    /** The same runs with every score mapped through {@code f} (given the task's index), e.g. a normalization. */
    public ScoreMatrix map(TaskScoreFunction f) {
        double[] out = new double[values.length];
        for (int t = 0; t < tasks; t++) {
            for (int r = 0; r < runs; r++) {
                out[t * runs + r] = checkFinite(f.apply(t, values[t * runs + r]),
                        "task " + taskNames.get(t) + ", run " + r + " after mapping");
            }
        }
        return new ScoreMatrix(runs, tasks, out, taskNames);
    }

    /** A score transformation that may depend on the task. */
    @FunctionalInterface
    public interface TaskScoreFunction {
        double apply(int task, double score);
    }

    @Override
    public String toString() {
        return "ScoreMatrix[" + runs + " runs x " + tasks + " tasks " + taskNames + "]";
    }
}
