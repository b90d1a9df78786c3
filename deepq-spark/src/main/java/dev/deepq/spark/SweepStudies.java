package dev.deepq.spark;

import dev.deepq.algo.Algorithm;
import dev.deepq.algo.Algorithms;
import dev.deepq.cli.ReportCommand;
import dev.deepq.cli.StudyFolder;
import dev.deepq.io.AtomicFiles;
import dev.deepq.io.Json;
import dev.deepq.train.RecordConfigs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep's results in the study format of {@code deepq train --seeds}, so {@code deepq report} (and
 * {@code deepq stats}/{@code compare} on the CSV files) read them: one study folder per configuration under
 * {@code OUTPUT/studies/}, named by its overrides ({@code learning_rate=0.001__gamma=0.99}), holding
 * {@code study.json} ({@code "source": "sweep"}, the resolved config and the overrides, each seed's status),
 * {@code scores.csv}, {@code curves.csv} and {@code aggregate.json}. Sweep runs have no seed folders: their
 * evaluations are in {@code tasks/ID.json}. Then the report of all of them goes to {@code OUTPUT/report/}.
 */
public final class SweepStudies {
    public static final String STUDIES_DIR = "studies";
    public static final String REPORT_DIR = "report";
    /** Folder names longer than this fall back to the configuration id. */
    static final int MAX_NAME = 100;

    private SweepStudies() {}

    /**
     * Writes one study folder per configuration of the plan (in plan order) from the tasks' results (every task of
     * the plan has one; failed ones are recorded as failed seeds).
     *
     * @return the study folders, in plan order
     */
    public static List<Path> write(SweepPlan plan, Map<String, TaskResult> results, Path output) {
        Map<String, List<SweepTask>> configurations = new LinkedHashMap<>();
        for (SweepTask task : plan.tasks()) {
            configurations.computeIfAbsent(task.configId(), k -> new ArrayList<>()).add(task);
        }
        List<Path> dirs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (List<SweepTask> tasks : configurations.values()) {
            SweepTask first = tasks.get(0);
            String name = folderName(first);
            if (!names.add(name)) {
                name = name.length() + first.configId().length() + 2 <= MAX_NAME ? name + "__" + first.configId()
                        : first.configId();
                names.add(name);
            }
            Path dir = output.resolve(STUDIES_DIR).resolve(name);
            dirs.add(dir);
            writeStudy(dir, tasks, results);
        }
        return dirs;
    }

    /**
     * Writes the report of the studies into {@code output/report} as {@code deepq report} does.
     *
     * @return the report's index.html
     */
    public static Path report(List<Path> studies, Path output) {
        List<String> labels = new ArrayList<>();
        for (Path s : studies) {
            labels.add(STUDIES_DIR + "/" + s.getFileName());
        }
        return ReportCommand.write(studies, labels, output.resolve(REPORT_DIR)).index();
    }

    /**
     * The configuration's folder name: its overrides as {@code key=value} joined by {@code __} (lists as
     * {@code 64x64}), characters other than letters, digits and {@code . _ = + -} as {@code -}; {@code base} without
     * overrides; the configuration id when that is longer than {@value #MAX_NAME} characters. The report labels a
     * configuration by this name, so it tells the configurations apart.
     */
    static String folderName(SweepTask task) {
        if (task.overrides().isEmpty()) {
            return "base";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : task.overrides().entrySet()) {
            if (!sb.isEmpty()) {
                sb.append("__");
            }
            sb.append(e.getKey()).append('=').append(valueText(e.getValue()));
        }
        String name = sb.toString().replaceAll("[^A-Za-z0-9._=+-]", "-");
        return name.length() > MAX_NAME ? task.configId() : name;
    }

    private static String valueText(Object v) {
        if (v instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object x : list) {
                parts.add(valueText(x));
            }
            return String.join("x", parts);
        }
        return v instanceof Map<?, ?> ? Json.write(v) : String.valueOf(v);
    }

    private static void writeStudy(Path dir, List<SweepTask> tasks, Map<String, TaskResult> results) {
        SweepTask first = tasks.get(0);
        List<Long> seeds = new ArrayList<>();
        List<Object> runs = new ArrayList<>();
        List<StudyFolder.RunScores> scores = new ArrayList<>();
        for (SweepTask task : tasks) {
            TaskResult r = results.get(task.id());
            seeds.add(task.seed());
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("seed", task.seed());
            run.put("task_id", task.id());
            run.put("status", r.ok() ? "complete" : "failed");
            run.put("error", r.error());
            runs.add(run);
            if (r.ok()) {
                scores.add(new StudyFolder.RunScores(task.seed(), r.finalEvaluation().mean(), r.evalSteps(),
                        r.evalMeans()));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", StudyFolder.FORMAT);
        m.put("version", StudyFolder.VERSION);
        m.put("source", "sweep");
        m.put("env", first.env());
        m.put("algo", first.algo());
        m.put("preset", first.preset());
        m.put("config_id", first.configId());
        m.put("seeds", seeds);
        m.put("runs", runs);
        m.put("env_options", first.envOptions());
        m.put("overrides", first.overrides());
        m.put("config", resolvedConfig(first));
        Map<String, Object> eval = new LinkedHashMap<>();
        eval.put("episodes", first.evalEpisodes());
        eval.put("frequency", first.evalFrequency());
        m.put("eval", eval);
        try {
            java.nio.file.Files.createDirectories(dir);
            AtomicFiles.write(dir.resolve(StudyFolder.STUDY_FILE), Json.write(m).getBytes(StandardCharsets.UTF_8));
            StudyFolder.writeResults(dir, first.env(), first.algo(), first.preset(), scores);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the study " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The configuration's full config (the algorithm's defaults, the base, the overrides), as {@code config.yaml} of a
     * run records it; when the overrides are invalid (the runs failed for it), the base keys with the overrides.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> resolvedConfig(SweepTask task) {
        Algorithm<Record> algorithm = (Algorithm<Record>) Algorithms.get(task.algo());
        Record base = RecordConfigs.with(algorithm.defaults(), task.base());
        try {
            return RecordConfigs.toMap(RecordConfigs.with(base, task.overrides()));
        } catch (IllegalArgumentException invalid) {
            Map<String, Object> m = new LinkedHashMap<>(RecordConfigs.toMap(base));
            m.putAll(task.overrides());
            return m;
        }
    }
}
