package dev.deepq.eval.stats;

/**
 * An aggregate of a runs x tasks score matrix (a point estimate), in the form the bootstrap can evaluate on each
 * resample without allocating. {@link Metrics} has rliable's aggregates.
 */
@FunctionalInterface
public interface Metric {
    /**
     * Computes the aggregate.
     *
     * @param values the scores task by task: {@code values[task * runs + run]}, {@code runs * tasks} of them
     * @param runs runs per task
     * @param tasks number of tasks
     * @param scratch working space of at least {@link #scratchLength(int, int)} doubles, which the metric may
     *     overwrite (never {@code values})
     */
    double compute(double[] values, int runs, int tasks, double[] scratch);

    /** The scratch space {@link #compute} needs: room for every score and every task mean. */
    static int scratchLength(int runs, int tasks) {
        return runs * tasks + tasks;
    }

    /** Computes the aggregate of a score matrix. */
    default double compute(ScoreMatrix scores) {
        return compute(scores.values(), scores.runs(), scores.tasks(),
                new double[scratchLength(scores.runs(), scores.tasks())]);
    }
}
