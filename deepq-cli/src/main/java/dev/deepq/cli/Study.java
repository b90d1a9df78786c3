package dev.deepq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A multi-seed study folder as written by {@code deepq train --seeds}, read for {@code deepq report}:
 * <pre>
 *   study.json      {"format": "deepq.study", "version": 1, "env", "algo", "preset", "seeds",
 *                    "runs": [{"seed", "dir", "status": "complete"|"failed"|"interrupted", "error"}], "config", "eval"}
 *   seed-&lt;s&gt;/       one ordinary run folder per seed
 *   scores.csv      task,run,score       (final greedy evaluation mean of every complete seed)
 *   curves.csv      task,run,step,score  (every periodic evaluation of every seed)
 * </pre>
 * A seed that failed, was interrupted or whose folder is gone is kept as a {@link Run} with its status, so a report
 * can show it; its scores are simply absent. If {@code scores.csv} or {@code curves.csv} is missing (a study cut
 * short), the complete seeds' {@code summary.json} and {@code eval.csv} stand in for them.
 *
 * <p>The studies a sweep writes ({@code deepq sweep}, {@code "source": "sweep"}) have no seed folders: their runs
 * have no {@code "dir"}, a run is complete when study.json says so and scores.csv has its score, the curves come from
 * curves.csv and the config from study.json's {@code config}.
 *
 * @param dir the study folder
 * @param name the folder's name
 * @param env the env id (the study's only task)
 * @param algo the algorithm's name
 * @param preset the preset the seeds were trained with, or "" when none is recorded
 * @param runs every seed the study planned, in the order of study.json
 * @param finalScores final score of each run with one, by run label (the seed), in file order
 * @param curves evaluation scores: step -> (run label -> score), steps ascending
 * @param configYaml the first complete seed's config.yaml, or study.json's config as YAML, or "" when neither exists
 * @param configSource where {@code configYaml} came from (a path relative to the study folder)
 * @param trainingCommit the deepq commit recorded in that config.yaml's provenance, or "unknown"
 * @param evalEpisodes greedy episodes per evaluation (0 when not recorded)
 * @param evalFrequency env steps between evaluations (0 when not recorded)
 */
record Study(Path dir, String name, String env, String algo, String preset, List<Run> runs,
             Map<String, Double> finalScores, TreeMap<Long, Map<String, Double>> curves, String configYaml,
             String configSource, String trainingCommit, int evalEpisodes, long evalFrequency) {

    static final String STUDY_FILE = "study.json";
    static final String SCORES_FILE = "scores.csv";
    static final String CURVES_FILE = "curves.csv";
    static final String FORMAT = "deepq.study";
    static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One planned seed.
     *
     * @param seed the seed
     * @param dir its run folder, relative to the study, or "" for a run without one (a sweep's)
     * @param status "complete", "failed", "interrupted", or "missing" when a complete run's folder is gone
     * @param error what went wrong, or ""
     */
    record Run(long seed, String dir, String status, String error) {
        boolean complete() {
            return "complete".equals(status);
        }
    }

    /** Runs that are not complete (failed, interrupted, missing). */
    List<Run> incompleteRuns() {
        return runs.stream().filter(r -> !r.complete()).toList();
    }

    /** The final scores as an array, in run order. */
    double[] finalScoreArray() {
        double[] a = new double[finalScores.size()];
        int i = 0;
        for (double v : finalScores.values()) {
            a[i++] = v;
        }
        return a;
    }

    /**
     * Reads the study in {@code dir}.
     *
     * @throws Main.UserException if {@code dir} is not a study folder or one of its files is malformed
     */
    static Study load(Path dir) {
        if (!Files.exists(dir)) {
            throw new Main.UserException(dir + ": no such study folder");
        }
        if (!Files.isDirectory(dir)) {
            throw new Main.UserException(dir + ": not a study folder (a study is the folder written by "
                    + "'deepq train --seeds', holding study.json)");
        }
        Path studyFile = dir.resolve(STUDY_FILE);
        if (!Files.isRegularFile(studyFile)) {
            String hint = Files.isRegularFile(dir.resolve(RunFolder.CONFIG_FILE))
                    ? "; it looks like a single run folder: 'deepq report' needs the study folder of 'deepq train --seeds'"
                    : "; a study is the folder written by 'deepq train --seeds'";
            throw new Main.UserException(dir + ": not a study folder: no " + STUDY_FILE + hint);
        }
        JsonNode json;
        try {
            json = JSON.readTree(studyFile.toFile());
        } catch (IOException e) {
            throw new Main.UserException(studyFile + ": not valid JSON: " + e.getMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new Main.UserException(studyFile + ": expected a JSON object");
        }
        String format = json.path("format").asText("");
        if (!FORMAT.equals(format)) {
            throw new Main.UserException(studyFile + ": \"format\" is '" + format + "', expected '" + FORMAT + "'");
        }
        int version = json.path("version").asInt(-1);
        if (version < 1 || version > VERSION) {
            throw new Main.UserException(studyFile + ": \"version\" is " + json.path("version")
                    + "; this deepq reads study version " + VERSION);
        }
        String env = requireText(json, "env", studyFile);
        String algo = requireText(json, "algo", studyFile);
        String preset = json.path("preset").isTextual() ? json.path("preset").asText() : "";
        List<Run> runs = readRuns(dir, json, studyFile);

        Map<String, Double> scores = Files.isRegularFile(dir.resolve(SCORES_FILE))
                ? readScores(dir.resolve(SCORES_FILE), env) : scoresFromSeedFolders(dir, runs);
        runs = withoutFolderScoresChecked(runs, scores, studyFile);
        TreeMap<Long, Map<String, Double>> curves = Files.isRegularFile(dir.resolve(CURVES_FILE))
                ? readCurves(dir.resolve(CURVES_FILE), env) : curvesFromSeedFolders(dir, runs);

        String configYaml = "";
        String configSource = "";
        String commit = BuildInfo.UNKNOWN;
        for (Run r : runs) {
            Path config = dir.resolve(r.dir()).resolve(RunFolder.CONFIG_FILE);
            if (r.complete() && !r.dir().isEmpty() && Files.isRegularFile(config)) {
                try {
                    configYaml = Files.readString(config, StandardCharsets.UTF_8);
                    configSource = r.dir() + "/" + RunFolder.CONFIG_FILE;
                    commit = RunFolder.YAML.readTree(configYaml).path("provenance").path("git_commit").asText(BuildInfo.UNKNOWN);
                } catch (IOException e) {
                    throw new Main.UserException(config + ": cannot be read: " + e.getMessage(), e);
                }
                break;
            }
        }
        if (configYaml.isEmpty() && json.path("config").isObject()) {
            configYaml = RunFolder.yaml(json.get("config"));
            configSource = STUDY_FILE + " (config)";
        }
        JsonNode eval = json.path("eval");
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return new Study(dir, name == null ? dir.toString() : name.toString(), env, algo, preset, List.copyOf(runs),
                Collections.unmodifiableMap(scores), curves, configYaml, configSource, commit,
                eval.path("episodes").asInt(0), eval.path("frequency").asLong(0));
    }

    private static String requireText(JsonNode json, String key, Path file) {
        JsonNode v = json.get(key);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new Main.UserException(file + ": \"" + key + "\" is missing or not a string");
        }
        return v.asText();
    }

    private static List<Run> readRuns(Path dir, JsonNode json, Path studyFile) {
        JsonNode runs = json.get("runs");
        if (runs == null || !runs.isArray()) {
            throw new Main.UserException(studyFile + ": \"runs\" is missing or not an array");
        }
        List<Run> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            JsonNode r = runs.get(i);
            if (!r.path("seed").canConvertToLong()) {
                throw new Main.UserException(studyFile + ": runs[" + i + "] has no integer \"seed\"");
            }
            long seed = r.get("seed").asLong();
            // a sweep's runs have no run folder: their results are only in scores.csv and curves.csv
            String runDir = r.path("dir").isTextual() ? r.get("dir").asText() : "";
            String status = r.path("status").asText("unknown");
            String error = r.path("error").isNull() ? "" : r.path("error").asText("");
            if ("complete".equals(status) && !runDir.isEmpty() && !Files.isDirectory(dir.resolve(runDir))) {
                status = "missing";
                error = "the run folder " + runDir + " is gone";
            }
            out.add(new Run(seed, runDir, status, error));
        }
        return out;
    }

    /**
     * Runs without a run folder (a sweep's) are complete only with a score in scores.csv: without one, they are
     * reported as missing rather than counted as complete seeds.
     */
    private static List<Run> withoutFolderScoresChecked(List<Run> runs, Map<String, Double> scores, Path studyFile) {
        List<Run> out = new ArrayList<>();
        for (Run r : runs) {
            if (r.complete() && r.dir().isEmpty() && !scores.containsKey(Long.toString(r.seed()))) {
                r = new Run(r.seed(), r.dir(), "missing", "complete in " + studyFile.getFileName() + " but without a score in "
                        + SCORES_FILE);
            }
            out.add(r);
        }
        return out;
    }

    /** scores.csv: the rows of {@code env} (a study has one task), run label -> score. */
    private static Map<String, Double> readScores(Path file, String env) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String[] row : Csv.read(file, List.of("task", "run", "score"))) {
            if (!row[0].equals(env)) {
                continue;
            }
            if (scores.put(row[1], Csv.number(row[2], file, "score")) != null) {
                throw new Main.UserException(file + ": run '" + row[1] + "' appears twice");
            }
        }
        return scores;
    }

    /** curves.csv: the rows of {@code env}, step -> (run label -> score). */
    private static TreeMap<Long, Map<String, Double>> readCurves(Path file, String env) {
        TreeMap<Long, Map<String, Double>> curves = new TreeMap<>();
        for (String[] row : Csv.read(file, List.of("task", "run", "step", "score"))) {
            if (!row[0].equals(env)) {
                continue;
            }
            long step = (long) Csv.number(row[2], file, "step");
            if (curves.computeIfAbsent(step, s -> new LinkedHashMap<>()).put(row[1], Csv.number(row[3], file, "score")) != null) {
                throw new Main.UserException(file + ": run '" + row[1] + "' has step " + step + " twice");
            }
        }
        return curves;
    }

    private static Map<String, Double> scoresFromSeedFolders(Path dir, List<Run> runs) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (Run r : runs) {
            Path summary = dir.resolve(r.dir()).resolve(RunFolder.SUMMARY_FILE);
            if (r.complete() && !r.dir().isEmpty() && Files.isRegularFile(summary)) {
                try {
                    JsonNode mean = JSON.readTree(summary.toFile()).path("final_eval").path("mean");
                    if (mean.isNumber()) {
                        scores.put(Long.toString(r.seed()), mean.asDouble());
                    }
                } catch (IOException e) {
                    throw new Main.UserException(summary + ": not valid JSON: " + e.getMessage(), e);
                }
            }
        }
        return scores;
    }

    private static TreeMap<Long, Map<String, Double>> curvesFromSeedFolders(Path dir, List<Run> runs) {
        TreeMap<Long, Map<String, Double>> curves = new TreeMap<>();
        for (Run r : runs) {
            Path eval = dir.resolve(r.dir()).resolve(RunFolder.EVAL_FILE);
            if (r.complete() && !r.dir().isEmpty() && Files.isRegularFile(eval)) {
                for (String[] row : Csv.read(eval, List.of("step", "mean"))) {
                    long step = (long) Csv.number(row[0], eval, "step");
                    curves.computeIfAbsent(step, s -> new LinkedHashMap<>()).put(Long.toString(r.seed()),
                            Csv.number(row[1], eval, "mean"));
                }
            }
        }
        return curves;
    }

    /** A tiny reader of the comma-separated files deepq writes (no quoting: ids, integers and numbers only). */
    static final class Csv {
        private Csv() {}

        /** The cells of {@code columns} of every data line, in that order; the header may order them freely. */
        static List<String[]> read(Path file, List<String> columns) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new Main.UserException(file + ": cannot be read: " + e.getMessage(), e);
            }
            if (lines.isEmpty()) {
                throw new Main.UserException(file + ": empty; expected a header with the columns " + String.join(",", columns));
            }
            List<String> header = List.of(lines.get(0).strip().split(",", -1));
            int[] index = new int[columns.size()];
            for (int c = 0; c < index.length; c++) {
                index[c] = header.indexOf(columns.get(c));
                if (index[c] < 0) {
                    throw new Main.UserException(file + ":1: missing column '" + columns.get(c) + "'; the header is "
                            + lines.get(0).strip() + " and needs " + String.join(",", columns));
                }
            }
            List<String[]> rows = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                String[] cells = lines.get(i).strip().split(",", -1);
                String[] row = new String[index.length];
                for (int c = 0; c < index.length; c++) {
                    if (index[c] >= cells.length) {
                        throw new Main.UserException(file + ":" + (i + 1) + ": " + cells.length + " cells, the header has "
                                + header.size());
                    }
                    row[c] = cells[index[c]].strip();
                }
                rows.add(row);
            }
            return rows;
        }

        static double number(String cell, Path file, String column) {
            try {
                double v = Double.parseDouble(cell);
                if (Double.isFinite(v)) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new Main.UserException(file + ": column '" + column + "' must be a finite number, got '" + cell + "'");
        }
    }
}
