package dev.deepq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepq.eval.stats.IntervalEstimate;
import dev.deepq.eval.stats.ScoreMatrix;
import dev.deepq.eval.stats.StratifiedBootstrap;
import dev.deepq.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A study: the runs of one configuration with several seeds, and their aggregates.
 * <pre>
 *   study.json       what the study is (env, algo, preset, seeds, config, evaluation) and each run's status
 *   seed-&lt;s&gt;/        a normal run folder for seed s (see {@link RunFolder})
 *   scores.csv       task,run,score: each seed's final greedy evaluation mean (the input of 'deepq stats')
 *   curves.csv       task,run,step,score: every periodic evaluation of every seed
 *   aggregate.json   IQM, mean, median and optimality gap of the final scores with stratified bootstrap intervals
 * </pre>
 * The aggregates are written once every run is complete; they are a function of the run folders alone, so a study
 * finished by {@code deepq resume} has the same aggregates as one that ran uninterrupted.
 */
public final class StudyFolder {
    public static final String STUDY_FILE = "study.json";
    public static final String SCORES_FILE = "scores.csv";
    public static final String CURVES_FILE = "curves.csv";
    public static final String AGGREGATE_FILE = "aggregate.json";
    public static final String FORMAT = "deepq.study";
    public static final int VERSION = 1;
    /** The bootstrap behind {@code aggregate.json}: rliable's defaults, seed 0 (as {@code deepq stats}). */
    static final int REPS = StratifiedBootstrap.DEFAULT_REPS;
    static final double CONFIDENCE = StratifiedBootstrap.DEFAULT_CONFIDENCE;
    static final long BOOTSTRAP_SEED = 0;

    /** A run's state in {@code study.json}. */
    enum Status {
        /** The run finished and its outputs are written. */
        COMPLETE,
        /** The run threw; {@code error} says why. */
        FAILED,
        /** The run has not finished: stopped with a checkpoint, or not started ('deepq resume STUDY' continues it). */
        INTERRUPTED;

        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StudyFolder() {}

    /** {@code runsDir/<env>__<algo>__study__<yyyyMMdd-HHmmss>}, with a numeric suffix if that folder exists. */
    static Path newStudyPath(Path runsDir, String env, String algo, LocalDateTime now) {
        String base = env + "__" + algo + "__study__" + now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        Path dir = runsDir.resolve(base);
        for (int i = 2; Files.exists(dir); i++) {
            dir = runsDir.resolve(base + "-" + i);
        }
        return dir;
    }

    static String seedDir(long seed) {
        return "seed-" + seed;
    }

    static boolean isStudy(Path dir) {
        return Files.isRegularFile(dir.resolve(STUDY_FILE));
    }

    /** A new {@code study.json} tree: every run {@link Status#INTERRUPTED} until it completes. */
    static ObjectNode newManifest(RunSettings run, List<Long> seeds, String command, String created) {
        ObjectNode m = MAPPER.createObjectNode();
        m.put("format", FORMAT);
        m.put("version", VERSION);
        m.put("env", run.envId());
        m.put("algo", run.algorithm().name());
        m.put("preset", run.presetName());
        ArrayNode seedArray = m.putArray("seeds");
        seeds.forEach(seedArray::add);
        ArrayNode runs = m.putArray("runs");
        for (long s : seeds) {
            ObjectNode r = runs.addObject();
            r.put("seed", s);
            r.put("dir", seedDir(s));
            r.put("status", Status.INTERRUPTED.json());
            r.putNull("error");
        }
        m.set("env_options", MAPPER.valueToTree(run.envOptions()));
        m.set("config", MAPPER.valueToTree(run.configMap()));
        ObjectNode eval = m.putObject("eval");
        eval.put("episodes", run.evalEpisodes());
        eval.put("frequency", run.evalFrequency());
        if (run.stopAbove() != null) {
            eval.put("stop_above", run.stopAbove());
        }
        m.put("command", command);
        m.put("created", created);
        return m;
    }

    /** Reads and checks {@code dir/study.json}; a user error naming the file for anything else than a study. */
    static ObjectNode readManifest(Path dir) {
        Path file = dir.resolve(STUDY_FILE);
        JsonNode node;
        try {
            node = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new Main.UserException(file + ": cannot be read as JSON: " + e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode m) || !FORMAT.equals(m.path("format").asText())) {
            throw new Main.UserException(file + ": not a deepq study (expected \"format\": \"" + FORMAT + "\")");
        }
        if (m.path("version").asInt(-1) != VERSION) {
            throw new Main.UserException(file + ": study format version " + m.path("version") + " is not supported (expected "
                    + VERSION + ")");
        }
        for (String key : List.of("env", "algo", "preset")) {
            if (!m.path(key).isTextual()) {
                throw new Main.UserException(file + ": \"" + key + "\" is missing or not a string");
            }
        }
        if (!m.path("runs").isArray() || m.path("runs").isEmpty()) {
            throw new Main.UserException(file + ": \"runs\" is missing or empty");
        }
        boolean sweep = isSweep(m);
        for (JsonNode r : m.path("runs")) {
            // a sweep's runs have no run folder
            if (!r.path("seed").canConvertToLong() || (!sweep && !r.path("dir").isTextual())) {
                throw new Main.UserException(file + ": every entry of \"runs\" needs a \"seed\" and a \"dir\", got " + r);
            }
        }
        return m;
    }

    /** Whether a study was written by {@code deepq sweep} (its runs have no seed folders). */
    static boolean isSweep(ObjectNode manifest) {
        return "sweep".equals(manifest.path("source").asText());
    }

    /** The run entries of a manifest, in order. */
    static List<ObjectNode> runs(ObjectNode manifest) {
        List<ObjectNode> runs = new ArrayList<>();
        manifest.path("runs").forEach(r -> runs.add((ObjectNode) r));
        return runs;
    }

    static void setStatus(ObjectNode runEntry, Status status, String error) {
        runEntry.put("status", status.json());
        if (error == null) {
            runEntry.putNull("error");
        } else {
            runEntry.put("error", error);
        }
    }

    static void writeManifest(Path dir, ObjectNode manifest) throws IOException {
        RunFolder.writeJson(dir.resolve(STUDY_FILE), manifest);
        RunFolder.makeFileReadable(dir.resolve(STUDY_FILE));
    }

    /**
     * The final scores and aggregates of a finished study.
     *
     * @param env the study's env id (its only task)
     * @param seeds the seeds with a final score, in run order
     * @param finalScores their final scores
     * @param estimates IQM, mean, median and optimality gap with their bootstrap intervals
     */
    public record Aggregate(String env, List<Long> seeds, double[] finalScores, List<IntervalEstimate> estimates) {}

    /**
     * One complete run's scores, as the study files record them.
     *
     * @param seed the run's seed (its label in {@code scores.csv} and {@code curves.csv})
     * @param finalScore its final greedy evaluation mean
     * @param steps the env step of every periodic evaluation
     * @param scores the greedy evaluation mean at each of those steps
     */
    public record RunScores(long seed, double finalScore, long[] steps, double[] scores) {
        public RunScores {
            if (steps.length != scores.length) {
                throw new IllegalArgumentException("seed " + seed + ": " + steps.length + " evaluation steps but "
                        + scores.length + " scores");
            }
        }
    }

    /**
     * Writes {@code scores.csv}, {@code curves.csv} and {@code aggregate.json} from the seed folders (each must hold a
     * finished run: {@code summary.json} and {@code eval.csv}).
     */
    static Aggregate aggregate(Path dir, ObjectNode manifest) throws IOException {
        List<RunScores> runs = new ArrayList<>();
        for (ObjectNode run : runs(manifest)) {
            Path runDir = dir.resolve(run.path("dir").asText());
            List<String[]> rows = evalRows(runDir.resolve(RunFolder.EVAL_FILE));
            long[] steps = new long[rows.size()];
            double[] scores = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                steps[i] = Long.parseLong(rows.get(i)[0]);
                scores[i] = Double.parseDouble(rows.get(i)[1]);
            }
            runs.add(new RunScores(run.path("seed").asLong(), finalScore(runDir), steps, scores));
        }
        return writeResults(dir, manifest.path("env").asText(), manifest.path("algo").asText(),
                manifest.path("preset").asText(), runs);
    }

    /**
     * Writes a study's {@code scores.csv} and {@code curves.csv} from its complete runs, and its {@code aggregate.json}
     * (stratified bootstrap as {@code deepq stats}) when there is at least one; used by {@code deepq train --seeds}
     * and by sweeps, whose runs have no seed folders.
     */
    public static Aggregate writeResults(Path dir, String env, String algo, String preset, List<RunScores> runs)
            throws IOException {
        List<Long> seeds = new ArrayList<>();
        double[] finalScores = new double[runs.size()];
        StringBuilder scores = new StringBuilder("task,run,score\n");
        StringBuilder curves = new StringBuilder("task,run,step,score\n");
        for (int i = 0; i < runs.size(); i++) {
            RunScores run = runs.get(i);
            seeds.add(run.seed());
            finalScores[i] = run.finalScore();
            scores.append(env).append(',').append(run.seed()).append(',').append(finalScores[i]).append('\n');
            for (int j = 0; j < run.steps().length; j++) {
                curves.append(env).append(',').append(run.seed()).append(',').append(run.steps()[j]).append(',')
                        .append(run.scores()[j]).append('\n');
            }
        }
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(SCORES_FILE), scores.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve(CURVES_FILE), curves.toString().getBytes(StandardCharsets.UTF_8));
        List<IntervalEstimate> estimates = List.of();
        if (!runs.isEmpty()) {
            ScoreMatrix matrix = ScoreMatrix.ofTasks(List.of(env), new double[][] {finalScores});
            estimates = new StratifiedBootstrap(REPS, CONFIDENCE, BOOTSTRAP_SEED).estimate(matrix, StatsCommand.METRICS);
            ObjectNode a = MAPPER.createObjectNode();
            a.put("env", env);
            a.put("algo", algo);
            a.put("preset", preset);
            a.put("runs", runs.size());
            StatsCommand.putEstimates(a, estimates);
            ObjectNode bootstrap = a.putObject("bootstrap");
            bootstrap.put("reps", REPS);
            bootstrap.put("confidence", CONFIDENCE);
            bootstrap.put("seed", BOOTSTRAP_SEED);
            RunFolder.writeJson(dir.resolve(AGGREGATE_FILE), a);
        } else {
            Files.deleteIfExists(dir.resolve(AGGREGATE_FILE)); // an earlier write's aggregate no longer holds
        }
        RunFolder.makeReadable(dir);
        return new Aggregate(env, seeds, finalScores, estimates);
    }

    /** The run's final greedy evaluation mean, from its {@code summary.json}. */
    static double finalScore(Path runDir) throws IOException {
        Path file = runDir.resolve(RunFolder.SUMMARY_FILE);
        JsonNode mean;
        try {
            mean = MAPPER.readTree(file.toFile()).path("final_eval").path("mean");
        } catch (NoSuchFileException e) {
            throw new IOException(file + " is missing: the run is not finished", e);
        }
        if (!mean.isNumber()) {
            throw new IOException(file + ": final_eval.mean is missing or not a number");
        }
        return mean.doubleValue();
    }

    /** The (step, mean) cells of every row of an {@code eval.csv}, as written. */
    private static List<String[]> evalRows(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(file + ": empty (expected a header with the columns step and mean)");
        }
        List<String> header = List.of(lines.get(0).split(","));
        int step = header.indexOf("step");
        int mean = header.indexOf("mean");
        if (step < 0 || mean < 0) {
            throw new IOException(file + ": the header has no step or mean column: " + lines.get(0));
        }
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != header.size()) {
                throw new IOException(file + ":" + (i + 1) + ": " + cells.length + " cells, the header has " + header.size());
            }
            rows.add(new String[] {cells[step], cells[mean]});
        }
        return rows;
    }
}
