package dev.deepq.eval.stats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-task score normalization, as in Agarwal et al. 2021 (and human-normalized Atari scores):
 * {@code normalized = (score - random) / (reference - random)}, so the random policy scores 0 and the reference 1.
 * A table from task (env id) to its {@link Baseline}.
 */
public final class ScoreNormalization {
    /** The resource holding the built-in envs' baselines (see {@link #builtIn()}). */
    public static final String BUILT_IN_RESOURCE = "/dev/deepq/eval/stats/baselines.csv";

    /**
     * The two scores a task is normalized against.
     *
     * @param random the uniformly random policy's mean return
     * @param reference the score that normalizes to 1
     */
    public record Baseline(double random, double reference) {
        public Baseline {
            if (!Double.isFinite(random) || !Double.isFinite(reference)) {
                throw new IllegalArgumentException("baseline scores must be finite, got random=" + random
                        + ", reference=" + reference);
            }
            if (reference == random) {
                throw new IllegalArgumentException("reference score must differ from the random score (both " + random
                        + "), or every normalized score would divide by zero");
            }
        }

        /** {@code (score - random) / (reference - random)}. */
        public double normalize(double score) {
            return (score - random) / (reference - random);
        }
    }

    private final Map<String, Baseline> baselines;

    /** A table of the given baselines, by task. */
    public ScoreNormalization(Map<String, Baseline> baselines) {
        this.baselines = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(baselines, "baselines")));
    }

    /**
     * The built-in envs that have a well-defined reference: their Gymnasium reward threshold (the return at which the
     * task counts as solved), with the random score the mean return of {@code deepq random ENV} (100 episodes,
     * seed 0). CliffWalking-v0 and Pendulum-v1 have no reward threshold and so are not in the table.
     */
    public static ScoreNormalization builtIn() {
        try (InputStream in = ScoreNormalization.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + BUILT_IN_RESOURCE + " is missing from the classpath");
            }
            return read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), BUILT_IN_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BUILT_IN_RESOURCE, e);
        }
    }

    /**
     * Reads a table from CSV: a header {@code task,random,reference}, then one line per task ({@code #} starts a
     * comment line). Errors name the source and line.
     */
    public static ScoreNormalization read(BufferedReader reader, String source) throws IOException {
        Map<String, Baseline> table = new LinkedHashMap<>();
        String line;
        int lineNumber = 0;
        boolean header = true;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] cells = trimmed.split(",", -1);
            String where = source + ":" + lineNumber;
            if (header) {
                if (cells.length != 3 || !cells[0].strip().equals("task") || !cells[1].strip().equals("random")
                        || !cells[2].strip().equals("reference")) {
                    throw new IllegalArgumentException(where + ": expected the header task,random,reference, got " + trimmed);
                }
                header = false;
                continue;
            }
            if (cells.length != 3) {
                throw new IllegalArgumentException(where + ": expected 3 cells (task,random,reference), got " + cells.length);
            }
            String task = cells[0].strip();
            try {
                Baseline b = new Baseline(Double.parseDouble(cells[1].strip()), Double.parseDouble(cells[2].strip()));
                if (table.putIfAbsent(task, b) != null) {
                    throw new IllegalArgumentException("task " + task + " appears twice");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": random and reference must be numbers, got " + trimmed, e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        if (header) {
            throw new IllegalArgumentException(source + ": empty; expected the header task,random,reference");
        }
        return new ScoreNormalization(table);
    }

    public Map<String, Baseline> baselines() {
        return baselines;
    }

    public Optional<Baseline> baseline(String task) {
        return Optional.ofNullable(baselines.get(task));
    }

    /** The normalized score of {@code task}; throws if the table has no baseline for it. */
    public double normalize(String task, double score) {
        return require(task).normalize(score);
    }

    /** Every score of the matrix normalized by its task's baseline (tasks are looked up by name). */
    public ScoreMatrix normalize(ScoreMatrix scores) {
        Baseline[] byTask = new Baseline[scores.tasks()];
        for (int t = 0; t < byTask.length; t++) {
            byTask[t] = require(scores.taskNames().get(t));
        }
        return scores.map((task, score) -> byTask[task].normalize(score));
    }

    private Baseline require(String task) {
        Baseline b = baselines.get(task);
        if (b == null) {
            throw new IllegalArgumentException("no normalization baseline for task " + task + "; known: " + baselines.keySet());
        }
        return b;
    }
}
