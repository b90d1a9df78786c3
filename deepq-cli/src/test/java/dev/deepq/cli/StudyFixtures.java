package dev.deepq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepq.eval.stats.IntervalEstimate;
import dev.deepq.eval.stats.Metrics;
import dev.deepq.eval.stats.ScoreMatrix;
import dev.deepq.eval.stats.StratifiedBootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds study folders in the format of {@code deepq train --seeds} (study.json, seed-&lt;s&gt;/, scores.csv,
 * curves.csv, aggregate.json) from real {@code deepq train} runs, one per seed, for the report tests.
 */
final class StudyFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StudyFixtures() {}

    /** A seed that did not complete: listed in study.json with its status and error, without a folder. */
    record Incomplete(long seed, String status, String error) {}

    /** Trains every seed into {@code study/seed-<s>} and writes the study files. */
    static Path train(Path study, String env, String algo, long[] seeds, long steps, long evalFreq, int evalEpisodes,
                      List<Incomplete> incomplete) throws IOException {
        for (long seed : seeds) {
            CliTest.Run r = CliTest.run("train", env, "--algo", algo, "--steps", Long.toString(steps), "--seed",
                    Long.toString(seed), "--eval-freq", Long.toString(evalFreq), "--eval-episodes",
                    Integer.toString(evalEpisodes), "--out", study.resolve("seed-" + seed).toString(), "-q");
            assertThat(r.code()).as(r.err()).isZero();
        }
        writeStudyFiles(study, env, algo, seeds, evalFreq, evalEpisodes, incomplete);
        return study;
    }

    /** study.json, scores.csv, curves.csv and aggregate.json from the seed folders, as the study writer does. */
    static void writeStudyFiles(Path study, String env, String algo, long[] seeds, long evalFreq, int evalEpisodes,
                                List<Incomplete> incomplete) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", "deepq.study");
        o.put("version", 1);
        o.put("env", env);
        o.put("algo", algo);
        String preset = "none";
        ArrayNode seedList = o.putArray("seeds");
        ArrayNode runs = JSON.createArrayNode();
        StringBuilder scores = new StringBuilder("task,run,score\n");
        StringBuilder curves = new StringBuilder("task,run,step,score\n");
        List<Double> finals = new ArrayList<>();
        JsonNode config = null;
        for (long seed : seeds) {
            seedList.add(seed);
            Path dir = study.resolve("seed-" + seed);
            JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
            preset = summary.path("preset").asText("none");
            config = summary.get("config");
            double score = summary.get("final_eval").get("mean").asDouble();
            finals.add(score);
            scores.append(env).append(',').append(seed).append(',').append(score).append('\n');
            List<String> evalLines = Files.readAllLines(dir.resolve("eval.csv"));
            for (String line : evalLines.subList(1, evalLines.size())) {
                String[] cells = line.split(",");
                curves.append(env).append(',').append(seed).append(',').append(cells[0]).append(',').append(cells[2]).append('\n');
            }
            ObjectNode run = runs.addObject();
            run.put("seed", seed);
            run.put("dir", "seed-" + seed);
            run.put("status", "complete");
            run.putNull("error");
        }
        for (Incomplete i : incomplete) {
            seedList.add(i.seed());
            ObjectNode run = runs.addObject();
            run.put("seed", i.seed());
            run.put("dir", "seed-" + i.seed());
            run.put("status", i.status());
            run.put("error", i.error());
        }
        o.put("preset", preset);
        o.set("runs", runs);
        o.set("config", config == null ? JSON.createObjectNode() : config);
        ObjectNode eval = o.putObject("eval");
        eval.put("episodes", evalEpisodes);
        eval.put("frequency", evalFreq);
        Files.createDirectories(study);
        Files.writeString(study.resolve("study.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
        Files.writeString(study.resolve("scores.csv"), scores);
        Files.writeString(study.resolve("curves.csv"), curves);
        if (!finals.isEmpty()) {
            ScoreMatrix m = ScoreMatrix.ofTasks(List.of(env), new double[][] {finals.stream().mapToDouble(d -> d).toArray()});
            List<IntervalEstimate> e = new StratifiedBootstrap(1000, 0.95, 0).estimate(m,
                    List.of(Metrics.IQM, Metrics.MEAN, Metrics.MEDIAN, Metrics.OPTIMALITY_GAP));
            ObjectNode agg = JSON.createObjectNode();
            agg.put("env", env);
            agg.put("algo", algo);
            agg.put("runs", finals.size());
            String[] keys = {"iqm", "mean", "median", "optimality_gap"};
            for (int k = 0; k < keys.length; k++) {
                ObjectNode metric = agg.putObject(keys[k]);
                metric.put("point", e.get(k).point());
                metric.putArray("ci").add(e.get(k).low()).add(e.get(k).high());
            }
            Files.writeString(study.resolve("aggregate.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(agg));
        }
    }

    /** A study written by hand (no training): study.json and scores.csv/curves.csv with the given contents. */
    static Path handWritten(Path study, String env, String algo, long[] seeds, String scoresCsv, String curvesCsv)
            throws IOException {
        Files.createDirectories(study);
        ObjectNode o = JSON.createObjectNode();
        o.put("format", "deepq.study");
        o.put("version", 1);
        o.put("env", env);
        o.put("algo", algo);
        o.putNull("preset");
        ArrayNode seedList = o.putArray("seeds");
        ArrayNode runs = o.putArray("runs");
        for (long seed : seeds) {
            seedList.add(seed);
            Files.createDirectories(study.resolve("seed-" + seed));
            ObjectNode run = runs.addObject();
            run.put("seed", seed);
            run.put("dir", "seed-" + seed);
            run.put("status", "complete");
        }
        o.putObject("config").put("learning_rate", 0.1);
        Files.writeString(study.resolve("study.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
        Files.writeString(study.resolve("scores.csv"), scoresCsv);
        Files.writeString(study.resolve("curves.csv"), curvesCsv);
        return study;
    }
}
