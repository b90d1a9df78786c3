package dev.deepq.train;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.Locale;

/**
 * Records one row per finished training episode: episode index, env index, env step, return, length, and the
 * agent's training metrics at that moment. Writes them as CSV ({@link #writeCsv}). Growable primitive storage.
 */
public final class EpisodeMetricsRecorder implements Callback {
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
}
