package dev.deepq.spark;

import dev.deepq.eval.Aggregates;
import dev.deepq.eval.EpisodeStats;
import dev.deepq.io.Json;
import dev.deepq.train.PeriodicEvaluation;
import dev.deepq.train.TrainingRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one sweep task produced: every evaluation (step and greedy episode returns), the training episodes, the wall
 * time; or, for a failed task, the error. Travels from executors to the driver as JSON.
 *
 * @param status {@link #OK} or {@link #FAILED}
 * @param error the failure ({@code ExceptionClass: message}), null when ok
 * @param evalSteps the env step of each evaluation
 * @param evalReturns each evaluation's greedy episode returns
 * @param evalLengths each evaluation's episode lengths
 * @param trainReturns the training episodes' returns, in the order they ended
 * @param trainLengths their lengths
 * @param steps env steps taken
 * @param wallSeconds the task's wall time (the one field that differs between identical runs)
 */
public record TaskResult(String status, String error, long[] evalSteps, double[][] evalReturns, int[][] evalLengths,
                         double[] trainReturns, int[] trainLengths, long steps, double wallSeconds) {
    public static final String OK = "ok";
    public static final String FAILED = "failed";

    public static TaskResult of(TrainingRun.Result r) {
        int n = r.evaluations().size();
        long[] steps = new long[n];
        double[][] returns = new double[n][];
        int[][] lengths = new int[n][];
        for (int i = 0; i < n; i++) {
            PeriodicEvaluation.Result e = r.evaluations().get(i);
            steps[i] = e.step();
            returns[i] = e.stats().returns();
            lengths[i] = e.stats().lengths();
        }
        return new TaskResult(OK, null, steps, returns, lengths, r.trainReturns(), r.trainLengths(), r.steps(),
                r.wallSeconds());
    }

    public static TaskResult failed(String error, double wallSeconds) {
        return new TaskResult(FAILED, error, new long[0], new double[0][], new int[0][], new double[0], new int[0], 0,
                wallSeconds);
    }

    public boolean ok() {
        return OK.equals(status);
    }

    public int evaluations() {
        return evalSteps.length;
    }

    /** Statistics of evaluation {@code i}. */
    public EpisodeStats evaluation(int i) {
        return new EpisodeStats(evalReturns[i], evalLengths[i]);
    }

    public EpisodeStats finalEvaluation() {
        return evaluation(evalSteps.length - 1);
    }

    public double finalIqm() {
        return Aggregates.iqm(evalReturns[evalReturns.length - 1]);
    }

    public double[] evalMeans() {
        double[] means = new double[evalSteps.length];
        for (int i = 0; i < means.length; i++) {
            means[i] = evaluation(i).mean();
        }
        return means;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("error", error);
        List<Object> evals = new ArrayList<>();
        for (int i = 0; i < evalSteps.length; i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("step", evalSteps[i]);
            e.put("returns", evalReturns[i]);
            e.put("lengths", evalLengths[i]);
            evals.add(e);
        }
        m.put("evaluations", evals);
        m.put("train_returns", trainReturns);
        m.put("train_lengths", trainLengths);
        m.put("steps", steps);
        m.put("wall_time_s", wallSeconds);
        return m;
    }

    public String toJson() {
        return Json.write(toMap());
    }

    public static TaskResult fromJson(String json) {
        return fromMap(Json.parseObject(json));
    }

    @SuppressWarnings("unchecked")
    public static TaskResult fromMap(Map<String, Object> m) {
        List<Object> evals = (List<Object>) m.get("evaluations");
        long[] steps = new long[evals.size()];
        double[][] returns = new double[evals.size()][];
        int[][] lengths = new int[evals.size()][];
        for (int i = 0; i < steps.length; i++) {
            Map<String, Object> e = (Map<String, Object>) evals.get(i);
            steps[i] = ((Number) e.get("step")).longValue();
            returns[i] = doubles((List<Object>) e.get("returns"));
            lengths[i] = ints((List<Object>) e.get("lengths"));
        }
        return new TaskResult((String) m.get("status"), (String) m.get("error"), steps, returns, lengths,
                doubles((List<Object>) m.get("train_returns")), ints((List<Object>) m.get("train_lengths")),
                ((Number) m.get("steps")).longValue(), ((Number) m.get("wall_time_s")).doubleValue());
    }

    private static double[] doubles(List<Object> list) {
        double[] a = new double[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = ((Number) list.get(i)).doubleValue();
        }
        return a;
    }

    private static int[] ints(List<Object> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = ((Number) list.get(i)).intValue();
        }
        return a;
    }
}
