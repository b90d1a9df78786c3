package dev.deepq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.deepq.algo.Dqn;
import dev.deepq.algo.Sac;
import dev.deepq.algo.TabularAgent;
import dev.deepq.algo.Td3;
import dev.deepq.eval.Aggregates;
import dev.deepq.eval.EpisodeStats;
import dev.deepq.io.AtomicFiles;
import dev.deepq.io.SafeTensors;
import dev.deepq.train.Agent;
import dev.deepq.train.PeriodicEvaluation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files of one training run:
 * <pre>
 *   config.yaml          every setting (a preset file: 'deepq train --preset config.yaml' repeats the run)
 *   metrics.csv          one row per training episode with the agent's training statistics
 *   eval.csv             one row per periodic evaluation
 *   checkpoints/         training checkpoints
 *   model.safetensors    the trained agent
 *   learning_curve.png   training returns, their moving average, evaluations with ± std
 *   summary.json         final evaluation, training returns, timing, config
 * </pre>
 */
final class RunFolder {
    static final String CONFIG_FILE = "config.yaml";
    static final String METRICS_FILE = "metrics.csv";
    static final String EVAL_FILE = "eval.csv";
    static final String CHECKPOINTS_DIR = "checkpoints";
    static final String MODEL_FILE = "model.safetensors";
    static final String PLOT_FILE = "learning_curve.png";
    static final String SUMMARY_FILE = "summary.json";

    static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build());
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunFolder() {}

    /** {@code runsDir/<env>__<algo>__<seed>__<yyyyMMdd-HHmmss>}, with a numeric suffix if that folder exists. */
    static Path newRunPath(Path runsDir, String env, String algo, long seed, LocalDateTime now) {
        String base = env + "__" + algo + "__" + seed + "__" + now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        Path dir = runsDir.resolve(base);
        for (int i = 2; Files.exists(dir); i++) {
            dir = runsDir.resolve(base + "-" + i);
        }
        return dir;
    }

    /** Creates {@code dir} and its {@code checkpoints/} folder; a user error if that is impossible. */
    static void create(Path dir) {
        try {
            Files.createDirectories(dir.resolve(CHECKPOINTS_DIR));
        } catch (IOException e) {
            throw new Main.UserException("--out: cannot create the run folder " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new Main.UserException("--out: the run folder " + dir + " is not writable");
        }
    }

    static void writeYaml(Path file, String headerComment, Map<String, Object> content) throws IOException {
        String body = YAML.writeValueAsString(content);
        AtomicFiles.write(file, (headerComment + body).getBytes(StandardCharsets.UTF_8));
    }

    static void writeJson(Path file, Object content) throws IOException {
        AtomicFiles.write(file, (JSON.writeValueAsString(content) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static String yaml(Object content) {
        try {
            return YAML.writeValueAsString(content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Gives the run's files the usual rw-r--r-- (atomic writes go through temporary files, which are created
     * owner-only); on file systems without POSIX permissions nothing changes.
     */
    static void makeReadable(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    makeFileReadable(f);
                }
            }
        } catch (IOException e) {
            // permissions are a convenience; the files are written
        }
    }

    static void makeFileReadable(Path file) {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException | UnsupportedOperationException e) {
            // permissions are a convenience; the file is written
        }
    }

    /** {@code eval.csv}: one row per evaluation. */
    static void writeEvalCsv(Path file, List<PeriodicEvaluation.Result> results) throws IOException {
        StringBuilder sb = new StringBuilder("step,episodes,mean,std,iqm,min,max,mean_length\n");
        for (PeriodicEvaluation.Result r : results) {
            EpisodeStats s = r.stats();
            sb.append(r.step()).append(',').append(s.episodes()).append(',').append(s.mean()).append(',').append(s.std())
                    .append(',').append(Aggregates.iqm(s.returns())).append(',').append(s.min()).append(',')
                    .append(s.max()).append(',').append(s.meanLength()).append('\n');
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Saves a trained agent as {@code model.safetensors}; false for agents that have no model file. */
    static boolean saveModel(Agent agent, Path file) throws IOException {
        if (agent instanceof Dqn dqn) {
            dqn.save(file);
            return true;
        }
        if (agent instanceof Sac sac) {
            sac.save(file);
            return true;
        }
        if (agent instanceof Td3 td3) {
            td3.save(file);
            return true;
        }
        if (agent instanceof TabularAgent tabular) {
            tabular.save(file);
            return true;
        }
        return false;
    }

    /** Loads a model file written by {@link #saveModel}, whichever algorithm wrote it. */
    static Agent loadModel(Path file) throws IOException {
        String format = SafeTensors.read(file).metadata().get("format");
        if (Dqn.MODEL_FORMAT.equals(format)) {
            return Dqn.load(file);
        }
        if (TabularAgent.MODEL_FORMAT.equals(format)) {
            return TabularAgent.load(file);
        }
        if (Sac.MODEL_FORMAT.equals(format)) {
            return Sac.load(file);
        }
        if (Td3.MODEL_FORMAT.equals(format)) {
            return Td3.load(file);
        }
        throw new IOException(file + ": not a deepq model (format " + format + "; expected " + Dqn.MODEL_FORMAT + ", "
                + Sac.MODEL_FORMAT + ", " + Td3.MODEL_FORMAT + " or " + TabularAgent.MODEL_FORMAT + ")");
    }
}
