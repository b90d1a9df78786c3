package dev.deepq.train;

import dev.deepq.io.Json;
import dev.deepq.state.Checkpointable;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Records one row per finished training episode: episode index, env index, env step, return, length, and the
 * agent's training metrics at that moment. Writes them as CSV ({@link #writeCsv}). Growable primitive storage.
 */
public final class EpisodeMetricsRecorder implements Callback, Checkpointable {
    private long[] steps = new long[64];
    private int[] envIndices = new int[64];
    private double[] returns = new double[64];
    private int[] lengths = new int[64];
    private double[][] metricValues;
    private String[] metricNames;
    private int size;

    @Override
    public void onStart(Trainer trainer) {
        TrainingMetrics m = trainer.agent().metrics();
        metricNames = new String[m.size()];
        for (int i = 0; i < m.size(); i++) {
            metricNames[i] = m.name(i);
        }
        metricValues = new double[m.size()][64];
    }

    /** Its rows were restored with the trainer; a recorder that was not restored starts empty. */
    @Override
    public void onResume(Trainer trainer) {
        if (metricNames == null) {
            onStart(trainer);
        }
    }

    @Override
    public void onEpisodeEnd(Trainer trainer, int envIndex, double episodeReturn, int episodeLength) {
        if (size == steps.length) {
            int n = size * 2;
            steps = Arrays.copyOf(steps, n);
            envIndices = Arrays.copyOf(envIndices, n);
            returns = Arrays.copyOf(returns, n);
            lengths = Arrays.copyOf(lengths, n);
            for (int i = 0; i < metricValues.length; i++) {
                metricValues[i] = Arrays.copyOf(metricValues[i], n);
            }
        }
        steps[size] = trainer.step();
        envIndices[size] = envIndex;
        returns[size] = episodeReturn;
        lengths[size] = episodeLength;
        TrainingMetrics m = trainer.agent().metrics();
        for (int i = 0; i < metricValues.length; i++) {
            metricValues[i][size] = m.value(i);
        }
        size++;
    }

    public int size() {
        return size;
    }

    /** Header {@code episode,env,step,return,length,<metrics...>}; numbers in Java's shortest round-trip form. */
    public void writeCsv(Writer out) throws IOException {
        out.write("episode,env,step,return,length");
        for (String name : metricNames) {
            out.write(',');
            out.write(name);
        }
        out.write('\n');
        for (int r = 0; r < size; r++) {
            out.write(r + "," + envIndices[r] + "," + steps[r] + "," + number(returns[r]) + "," + lengths[r]);
            for (double[] column : metricValues) {
                out.write(',');
                out.write(number(column[r]));
            }
            out.write('\n');
        }
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return Double.toString(v);
    }

    /** Saves the rows recorded so far and the metric names. */
    @Override
    public void saveState(StateWriter out) {
        if (metricNames == null) {
            throw new IllegalStateException("EpisodeMetricsRecorder: nothing to save before the run started");
        }
        out.putString("metric_names", Json.write(List.of(metricNames)));
        out.putLongs("steps", steps, size);
        out.putInts("envs", envIndices, size);
        out.putDoubles("returns", returns, size);
        out.putInts("lengths", lengths, size);
        for (int i = 0; i < metricValues.length; i++) {
            out.putDoubles("metric_" + i, metricValues[i], size);
        }
    }

    @Override
    public void restoreState(StateReader in) {
        Object names = Json.parse(in.getString("metric_names"));
        List<String> restoredNames = new ArrayList<>();
        if (names instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s) {
                    restoredNames.add(s);
                }
            }
        }
        if (!(names instanceof List<?> list) || list.size() != restoredNames.size()) {
            throw in.error("metric_names", "must be a JSON list of strings");
        }
        long[] s = in.longs("steps");
        int n = s.length;
        int[] e = in.ints("envs");
        double[] r = in.doubles("returns");
        int[] l = in.ints("lengths");
        in.checkLength("envs", e.length, n);
        in.checkLength("returns", r.length, n);
        in.checkLength("lengths", l.length, n);
        int capacity = Math.max(64, n);
        double[][] values = new double[restoredNames.size()][];
        for (int i = 0; i < values.length; i++) {
            double[] column = in.doubles("metric_" + i);
            in.checkLength("metric_" + i, column.length, n);
            values[i] = Arrays.copyOf(column, capacity);
        }
        metricNames = restoredNames.toArray(new String[0]);
        metricValues = values;
        steps = Arrays.copyOf(s, capacity);
        envIndices = Arrays.copyOf(e, capacity);
        returns = Arrays.copyOf(r, capacity);
        lengths = Arrays.copyOf(l, capacity);
        size = n;
    }
}
