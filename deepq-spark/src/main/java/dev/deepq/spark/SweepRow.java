package dev.deepq.spark;

import dev.deepq.eval.EpisodeStats;
import dev.deepq.io.Json;

/**
 * One line of {@code runs.csv} / {@code runs.parquet}: a task's settings and its scores. Numbers of a failed task are
 * null (empty in the CSV).
 */
public record SweepRow(String taskId, String configId, String env, String algo, String preset, String config,
                       String overrides, long seed, long totalSteps, String status, String error, Double finalEvalMean,
                       Double finalEvalStd, Double finalEvalIqm, long[] evalSteps, double[] evalMeans,
                       Integer trainEpisodes, double wallTimeS) {

    /** Column names, in order. */
    public static final String[] COLUMNS = {"task_id", "config_id", "env", "algo", "preset", "config", "overrides",
        "seed", "total_steps", "status", "error", "final_eval_mean", "final_eval_std", "final_eval_iqm", "eval_steps",
        "eval_means", "train_episodes", "wall_time_s"};

    public static SweepRow of(SweepTask task, TaskResult r) {
        Double mean = null;
        Double std = null;
        Double iqm = null;
        if (r.ok()) {
            EpisodeStats last = r.finalEvaluation();
            mean = last.mean();
            std = last.std();
            iqm = r.finalIqm();
        }
        long total = r.ok() ? r.steps() : totalSteps(task);
        return new SweepRow(task.id(), task.configId(), task.env(), task.algo(), task.preset(), Json.write(task.base()),
                Json.write(task.overrides()), task.seed(), total, r.status(), r.error(), mean, std, iqm,
                r.evalSteps(), r.evalMeans(), r.ok() ? r.trainReturns().length : null, r.wallSeconds());
    }

    private static long totalSteps(SweepTask task) {
        Object v = task.overrides().containsKey("total_steps") ? task.overrides().get("total_steps")
                : task.base().get("total_steps");
        return v instanceof Number n ? n.longValue() : 0;
    }

    public boolean ok() {
        return TaskResult.OK.equals(status);
    }

    /** The row as CSV fields (arrays and maps as JSON, nulls empty). */
    public Object[] values() {
        return new Object[] {taskId, configId, env, algo, preset, config, overrides, seed, totalSteps, status, error,
            finalEvalMean, finalEvalStd, finalEvalIqm, Json.write(evalSteps), Json.write(evalMeans), trainEpisodes,
            wallTimeS};
    }

    /** {@code runs.csv}: a header and one line per row (RFC 4180 quoting). */
    public static String csv(Iterable<SweepRow> rows) {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (SweepRow row : rows) {
            Object[] v = row.values();
            for (int i = 0; i < v.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(field(v[i]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String field(Object v) {
        if (v == null) {
            return "";
        }
        String s = String.valueOf(v);
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
