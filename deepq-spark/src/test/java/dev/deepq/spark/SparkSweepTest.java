package dev.deepq.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.cli.Main;
import dev.deepq.io.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps on an embedded Spark ({@code local[2]}), one session for the class. */
class SparkSweepTest {
    /** Short DQN runs on CartPole with a tiny network: 2 learning rates x 3 seeds. */
    static final String SWEEP = """
            env: CartPole-v1
            algo: dqn
            preset: none
            steps: 1500
            seeds: 3
            base:
              learning_starts: 300
              hidden: [16, 16]
              buffer_size: 1500
              batch_size: 32
              train_frequency: 4
              target_network_frequency: 200
            grid:
              learning_rate: [1.0e-3, 2.5e-4]
            eval: {episodes: 3, frequency: 500}
            """;

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SweepCommand.session(SweepCommand.master("local[2]", null, 2), 2);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static SweepRunner.Report sweep(String yaml, Path out) {
        return SweepRunner.run(spark, SweepPlan.of(SweepSpec.parse(yaml, "sweep.yaml")), out, 0,
                new PrintWriter(new StringWriter()));
    }

    @Test
    void sparkRunsGiveTheSameRunsAndStudiesAsDeepqTrainSeeds(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sweep");
        SweepRunner.Report report = sweep(SWEEP, out);
        assertThat(report.executed()).isEqualTo(6);
        assertThat(report.failed()).isZero();

        java.util.Map<Object, java.util.Set<String>> runsByRate = new java.util.HashMap<>();
        java.util.Set<String> trainingRuns = new java.util.HashSet<>();
        // each configuration through 'deepq train --seeds 0-2' in this JVM: a study of ordinary run folders
        java.util.Map<Object, Path> trainStudies = new java.util.HashMap<>();
        for (Object rate : List.of(1.0e-3, 2.5e-4)) {
            Path studyDir = dir.resolve("train-lr-" + rate);
            List<String> args = new ArrayList<>(List.of("train", "CartPole-v1", "--algo", "dqn", "--preset", "none",
                    "--seeds", "0-2", "--jobs", "2", "--steps", "1500", "--eval-episodes", "3", "--eval-freq", "500",
                    "--out", studyDir.toString(), "--quiet"));
            for (String kv : List.of("learning_starts=300", "hidden=[16,16]", "buffer_size=1500", "batch_size=32",
                    "train_frequency=4", "target_network_frequency=200", "learning_rate=" + rate)) {
                args.add("--set");
                args.add(kv);
            }
            StringWriter err = new StringWriter();
            int code = Main.execute(args.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err));
            assertThat(code).as(err.toString()).isZero();
            trainStudies.put(rate, studyDir);
        }
        for (SweepTask task : report.plan().tasks()) {
            Path runDir = trainStudies.get(task.overrides().get("learning_rate")).resolve("seed-" + task.seed());
            Map<String, Object> summary = Json.parseObject(Files.readString(runDir.resolve("summary.json")));

            TaskRecord record = TaskRecord.fromJson(Files.readString(
                    out.resolve(SweepRunner.TASKS_DIR).resolve(task.id() + ".json"), StandardCharsets.UTF_8));
            TaskResult r = record.result();
            assertThat(record.task()).isEqualTo(task);
            trainingRuns.add(Json.write(r.trainReturns()));
            runsByRate.computeIfAbsent(task.overrides().get("learning_rate"), k -> new java.util.HashSet<>())
                    .add(Json.write(r.trainReturns()));
            assertThat(doubles(summary.get("train_episode_returns"))).containsExactly(r.trainReturns());
            assertThat(summary.get("train_episodes")).isEqualTo((long) r.trainReturns().length);
            Map<?, ?> finalEval = (Map<?, ?>) summary.get("final_eval");
            assertThat(finalEval.get("mean")).isEqualTo(r.finalEvaluation().mean());
            assertThat(finalEval.get("std")).isEqualTo(r.finalEvaluation().std());
            List<String> evalCsv = Files.readAllLines(runDir.resolve("eval.csv"));
            assertThat(evalCsv).hasSize(r.evaluations() + 1);
            for (int i = 0; i < r.evaluations(); i++) {
                String[] f = evalCsv.get(i + 1).split(",");
                assertThat(Long.parseLong(f[0])).isEqualTo(r.evalSteps()[i]);
                assertThat(Double.parseDouble(f[2])).isEqualTo(r.evaluation(i).mean());
                assertThat(Double.parseDouble(f[3])).isEqualTo(r.evaluation(i).std());
            }
            // and the same as the core run in this thread, evaluation episode by episode
            TaskResult local = TaskRunner.run(task);
            assertThat(local.evalSteps()).containsExactly(r.evalSteps());
            assertThat(local.evalReturns()).isDeepEqualTo(r.evalReturns());
            assertThat(local.evalLengths()).isDeepEqualTo(r.evalLengths());
            assertThat(local.trainLengths()).containsExactly(r.trainLengths());
        }
        // the runs differ: every seed trains differently, and the learning rate changes some runs (in runs this short,
        // an untrained greedy policy that always pushes one way can make two learning rates act identically)
        assertThat(runsByRate.values()).allSatisfy(runs -> assertThat(runs).hasSize(3));
        assertThat(trainingRuns).hasSizeGreaterThan(3);

        // the outputs: CSV, Parquet (read back through Spark) and the summary
        List<String> csv = Files.readAllLines(out.resolve(SweepRunner.CSV_FILE));
        assertThat(csv).hasSize(7);
        assertThat(csv.get(0)).startsWith("task_id,config_id,env,algo,preset,config,overrides,seed");
        Dataset<Row> parquet = spark.read().parquet(out.resolve(SweepRunner.PARQUET_DIR).toUri().toString());
        assertThat(parquet.count()).isEqualTo(6);
        Row first = parquet.filter("task_id = '" + report.rows().get(0).taskId() + "'").first();
        assertThat(first.<Double>getAs("final_eval_mean")).isEqualTo(report.rows().get(0).finalEvalMean());
        assertThat(first.<Long>getAs("seed")).isZero();
        assertThat(first.getList(first.fieldIndex("eval_means"))).hasSize(report.rows().get(0).evalMeans().length);
        assertThat(Files.readString(out.resolve(SweepRunner.SUMMARY_FILE))).isEqualTo(report.summary())
                .contains("learning_rate=0.001", "learning_rate=2.5E-4", "3/3", "all runs completed")
                .endsWith("report: " + out.resolve("report").resolve("index.html") + "\n");

        // one study per configuration, named by its overrides, with the files 'deepq train --seeds' writes for it
        assertThat(report.studies()).containsExactly(out.resolve("studies/learning_rate=0.001"),
                out.resolve("studies/learning_rate=2.5E-4"));
        for (Path study : report.studies()) {
            Object rate = ((Map<?, ?>) Json.parseObject(Files.readString(study.resolve("study.json"))).get("overrides"))
                    .get("learning_rate");
            Path trained = trainStudies.get(rate);
            for (String f : List.of("scores.csv", "curves.csv", "aggregate.json")) {
                assertThat(Files.readString(study.resolve(f))).as(study + "/" + f).isEqualTo(Files.readString(trained.resolve(f)));
            }
            Map<String, Object> manifest = Json.parseObject(Files.readString(study.resolve("study.json")));
            Map<String, Object> trainedManifest = Json.parseObject(Files.readString(trained.resolve("study.json")));
            for (String key : List.of("format", "version", "env", "algo", "preset", "seeds", "env_options", "config", "eval")) {
                assertThat(manifest.get(key)).as(key).isEqualTo(trainedManifest.get(key));
            }
            assertThat(manifest.get("source")).isEqualTo("sweep");
            assertThat(manifest.get("overrides")).isEqualTo(Map.of("learning_rate", rate));
            List<SweepTask> tasks = report.plan().tasks().stream()
                    .filter(t -> t.overrides().get("learning_rate").equals(rate)).toList();
            assertThat(manifest.get("config_id")).isEqualTo(tasks.get(0).configId());
            List<?> runs = (List<?>) manifest.get("runs");
            assertThat(runs).hasSize(3);
            for (int i = 0; i < 3; i++) {
                Map<?, ?> run = (Map<?, ?>) runs.get(i);
                assertThat(run.get("seed")).isEqualTo((long) i);
                assertThat(run.get("task_id")).isEqualTo(tasks.get(i).id());
                assertThat(run.get("status")).isEqualTo("complete");
                assertThat(run.get("error")).isNull();
            }
            // scores: each task's final evaluation mean; curves: every evaluation's mean
            List<String> scores = Files.readAllLines(study.resolve("scores.csv"));
            List<String> curves = Files.readAllLines(study.resolve("curves.csv"));
            int line = 1;
            for (int i = 0; i < 3; i++) {
                TaskResult r = TaskRecord.fromJson(Files.readString(out.resolve(SweepRunner.TASKS_DIR)
                        .resolve(tasks.get(i).id() + ".json"))).result();
                assertThat(scores.get(i + 1)).isEqualTo("CartPole-v1," + i + "," + r.finalEvaluation().mean());
                for (int e = 0; e < r.evaluations(); e++) {
                    assertThat(curves.get(line++)).isEqualTo("CartPole-v1," + i + "," + r.evalSteps()[e] + ","
                            + r.evaluation(e).mean());
                }
            }
            assertThat(curves).hasSize(line);
        }

        // the report of the studies: every section, one final-scores row per configuration, labelled by its overrides
        assertThat(report.reportIndex()).isEqualTo(out.resolve("report/index.html"));
        String html = Files.readString(report.reportIndex());
        for (String id : List.of("summary", "learning-curves", "final-scores", "aggregates",
                "performance-profile", "probability-of-improvement", "configs", "provenance")) {
            assertThat(html).contains("<section id=\"" + id + "\">");
        }
        for (String name : List.of("learning_rate=0.001", "learning_rate=2.5E-4")) {
            assertThat(html).containsOnlyOnce("<tr data-study=\"" + name + "\">")
                    .contains("dqn (" + name + ")", "studies/" + name);
        }
        assertThat(html.split("<tr data-study=", -1)).hasSize(3);
        assertThat(html).contains("From study.json (config)").contains("learning_rate: 0.001");
        assertThat(out.resolve("report/learning-curves-CartPole-v1.png")).isRegularFile();
        assertThat(out.resolve("report/final-scores-CartPole-v1.png")).isRegularFile();
    }

    @Test
    void reRunSkipsCompletedTasksAndRunsMissingOrBrokenOnes(@TempDir Path dir) throws Exception {
        String yaml = SWEEP.replace("seeds: 3", "seeds: [7]").replace("steps: 1500", "steps: 600")
                .replace("learning_starts: 300", "learning_starts: 200");
        Path out = dir.resolve("sweep");
        SweepRunner.Report first = sweep(yaml, out);
        assertThat(first.executed()).isEqualTo(2);
        assertThat(first.skipped()).isZero();

        SweepRunner.Report second = sweep(yaml, out);
        assertThat(second.executed()).isZero();
        assertThat(second.skipped()).isEqualTo(2);
        assertThat(values(second.rows())).isEqualTo(values(first.rows()));

        // a missing record and a truncated one: both run again
        Path tasks = out.resolve(SweepRunner.TASKS_DIR);
        Files.delete(tasks.resolve(first.rows().get(0).taskId() + ".json"));
        Path other = tasks.resolve(first.rows().get(1).taskId() + ".json");
        Files.writeString(other, Files.readString(other).substring(0, 40));
        SweepRunner.Report third = sweep(yaml, out);
        assertThat(third.executed()).isEqualTo(2);
        assertThat(third.rows().get(0).evalMeans()).containsExactly(first.rows().get(0).evalMeans());

        // another seed added to the sweep: only its runs execute
        SweepRunner.Report fourth = sweep(yaml.replace("seeds: [7]", "seeds: [7, 8]"), out);
        assertThat(fourth.skipped()).isEqualTo(2);
        assertThat(fourth.executed()).isEqualTo(2);
        assertThat(Files.readAllLines(out.resolve(SweepRunner.CSV_FILE))).hasSize(5);
    }

    @Test
    void aFailingGridPointIsRecordedAndTheOthersComplete(@TempDir Path dir) throws Exception {
        String yaml = SWEEP.replace("seeds: 3", "seeds: [0]").replace("steps: 1500", "steps: 400")
                .replace("learning_starts: 300", "learning_starts: 100")
                .replace("learning_rate: [1.0e-3, 2.5e-4]", "learning_rate: [1.0e-3, -1, abc]");
        Path out = dir.resolve("sweep");
        SweepRunner.Report report = sweep(yaml, out);
        assertThat(report.rows()).hasSize(3);
        assertThat(report.rows().get(0).ok()).isTrue();
        assertThat(report.rows().get(0).finalEvalMean()).isNotNull();
        assertThat(report.failed()).isEqualTo(2);
        assertThat(report.rows().get(1).status()).isEqualTo(TaskResult.FAILED);
        assertThat(report.rows().get(1).error()).contains("learning_rate");
        assertThat(report.rows().get(2).error()).contains("learning_rate").contains("abc");
        assertThat(report.summary()).contains("2 failed runs:").contains(report.rows().get(1).error());
        // failed runs have no record, so a re-run tries them again
        assertThat(Files.list(out.resolve(SweepRunner.TASKS_DIR))).hasSize(1);
        String csv = Files.readString(out.resolve(SweepRunner.CSV_FILE));
        assertThat(csv).contains(",failed,");
        // the failed configurations' studies record the failures and have no scores; the report still covers them
        Path failedStudy = out.resolve("studies/learning_rate=abc");
        assertThat(report.studies()).containsExactly(out.resolve("studies/learning_rate=0.001"),
                out.resolve("studies/learning_rate=-1"), failedStudy);
        Map<?, ?> run = (Map<?, ?>) ((List<?>) Json.parseObject(Files.readString(failedStudy.resolve("study.json")))
                .get("runs")).get(0);
        assertThat(run.get("status")).isEqualTo("failed");
        assertThat(run.get("error")).isEqualTo(report.rows().get(2).error());
        assertThat(Files.readString(failedStudy.resolve("scores.csv"))).isEqualTo("task,run,score\n");
        assertThat(failedStudy.resolve("aggregate.json")).doesNotExist();
        assertThat(out.resolve("studies/learning_rate=0.001/aggregate.json")).isRegularFile();
        assertThat(report.reportIndex()).isNotNull();
        assertThat(Files.readString(report.reportIndex())).contains("learning_rate=abc").contains("failed");
        SweepRunner.Report again = sweep(yaml, out);
        assertThat(again.skipped()).isEqualTo(1);
        assertThat(again.executed()).isEqualTo(2);
    }

    private static List<List<Object>> values(List<SweepRow> rows) {
        return rows.stream().map(r -> java.util.Arrays.asList(r.values())).toList();
    }

    private static double[] doubles(Object list) {
        return ((List<?>) list).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
    }
}
