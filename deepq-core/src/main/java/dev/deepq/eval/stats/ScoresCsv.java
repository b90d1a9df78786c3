package dev.deepq.eval.stats;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads scores in long format: a CSV file whose header names the columns {@code task}, {@code run} and
 * {@code score} (in any order; other columns are ignored), then one line per (task, run). Tasks keep the order of
 * their first line, runs the order of their lines within the task. Run labels only need to be unique within a task:
 * the aggregates never pair runs across tasks.
 *
 * <p>Every task must have the same number of runs: rliable's aggregates are defined on a full runs x tasks matrix (IQM
 * pools all scores, so a task with more runs would weigh more), so a ragged file is refused rather than guessed at.
 * Cells are separated by commas and trimmed; one pair of surrounding double quotes is removed; a cell cannot contain
 * a comma. Blank lines are skipped. Every error names the file and line (and the column, where there is one).
 */
public final class ScoresCsv {
    /** The columns a scores file must have. */
    public static final List<String> COLUMNS = List.of("task", "run", "score");

    private ScoresCsv() {}

    /** Reads {@code file}; throws {@link IllegalArgumentException} naming the file and line on any problem. */
    public static ScoreMatrix read(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file", e);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads scores from {@code reader}; {@code source} names it in error messages. */
    public static ScoreMatrix read(BufferedReader reader, String source) throws IOException {
        String line;
        int lineNumber = 0;
        int[] column = null;
        int width = 0;
        Map<String, List<Double>> scoresByTask = new LinkedHashMap<>();
        Map<String, Set<String>> runsByTask = new LinkedHashMap<>();
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            String[] cells = split(line);
            String where = source + ":" + lineNumber;
            if (column == null) {
                column = headerColumns(cells, where);
                width = Math.max(column[0], Math.max(column[1], column[2])) + 1;
                continue;
            }
            if (cells.length < width) {
                throw new IllegalArgumentException(where + ": " + cells.length + " cells, the header needs at least "
                        + width + " (columns " + String.join(",", COLUMNS) + ")");
            }
            String task = cells[column[0]];
            String run = cells[column[1]];
            String scoreText = cells[column[2]];
            if (task.isEmpty()) {
                throw new IllegalArgumentException(where + ": column 'task' is empty");
            }
            if (run.isEmpty()) {
                throw new IllegalArgumentException(where + ": column 'run' is empty");
            }
            double score;
            try {
                score = Double.parseDouble(scoreText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": column 'score' is not a number: '" + scoreText + "'");
            }
            if (!Double.isFinite(score)) {
                throw new IllegalArgumentException(where + ": column 'score' must be finite, got '" + scoreText + "'");
            }
            if (!runsByTask.computeIfAbsent(task, t -> new HashSet<>()).add(run)) {
                throw new IllegalArgumentException(where + ": task '" + task + "' run '" + run + "' appears twice");
            }
            scoresByTask.computeIfAbsent(task, t -> new ArrayList<>()).add(score);
        }
        if (column == null) {
            throw new IllegalArgumentException(source + ": empty; expected a header with the columns "
                    + String.join(",", COLUMNS) + " and one line per task and run");
        }
        if (scoresByTask.isEmpty()) {
            throw new IllegalArgumentException(source + ": no scores after the header");
        }
        List<String> tasks = new ArrayList<>(scoresByTask.keySet());
        int runs = scoresByTask.get(tasks.get(0)).size();
        for (String task : tasks) {
            int n = scoresByTask.get(task).size();
            if (n != runs) {
                throw new IllegalArgumentException(source + ": task '" + task + "' has " + n + " runs, task '" + tasks.get(0)
                        + "' has " + runs + "; every task needs the same number of runs (a full runs x tasks matrix)");
            }
        }
        double[][] byTask = new double[tasks.size()][runs];
        for (int t = 0; t < tasks.size(); t++) {
            List<Double> scores = scoresByTask.get(tasks.get(t));
            for (int r = 0; r < runs; r++) {
                byTask[t][r] = scores.get(r);
            }
        }
        return ScoreMatrix.ofTasks(tasks, byTask);
    }

    private static int[] headerColumns(String[] cells, String where) {
        int[] column = new int[COLUMNS.size()];
        for (int c = 0; c < COLUMNS.size(); c++) {
            column[c] = -1;
            for (int i = 0; i < cells.length; i++) {
                if (cells[i].equals(COLUMNS.get(c))) {
                    if (column[c] >= 0) {
                        throw new IllegalArgumentException(where + ": column '" + COLUMNS.get(c) + "' appears twice in the header");
                    }
                    column[c] = i;
                }
            }
            if (column[c] < 0) {
                throw new IllegalArgumentException(where + ": missing column '" + COLUMNS.get(c) + "'; the header has "
                        + String.join(",", cells) + " and needs " + String.join(",", COLUMNS));
            }
        }
        return column;
    }

    private static String[] split(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i].strip();
            if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
                c = c.substring(1, c.length() - 1).strip();
            }
            cells[i] = c;
        }
        return cells;
    }
}
