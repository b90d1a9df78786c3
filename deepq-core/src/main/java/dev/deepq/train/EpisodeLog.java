package dev.deepq.train;

import dev.deepq.state.Checkpointable;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.util.Arrays;

/** Every finished training episode: its return, length and the env step at which it ended (growable primitive arrays). */
public final class EpisodeLog implements Checkpointable {
    private double[] returns = new double[64];
    private int[] lengths = new int[64];
    private long[] endSteps = new long[64];
    private int size;

    void add(double episodeReturn, int length, long endStep) {
        if (size == returns.length) {
            returns = Arrays.copyOf(returns, size * 2);
            lengths = Arrays.copyOf(lengths, size * 2);
            endSteps = Arrays.copyOf(endSteps, size * 2);
        }
        returns[size] = episodeReturn;
        lengths[size] = length;
        endSteps[size] = endStep;
        size++;
    }

    public int size() {
        return size;
    }

    public double returnOf(int i) {
        return returns[i];
    }

    public int lengthOf(int i) {
        return lengths[i];
    }

    public long endStepOf(int i) {
        return endSteps[i];
    }

    public double[] returns() {
        return Arrays.copyOf(returns, size);
    }

    public int[] lengths() {
        return Arrays.copyOf(lengths, size);
    }

    public long[] endSteps() {
        return Arrays.copyOf(endSteps, size);
    }

    /** Mean return of the last {@code n} episodes (fewer if fewer finished); NaN before the first. */
    public double recentMeanReturn(int n) {
        int from = Math.max(0, size - n);
        if (from == size) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = from; i < size; i++) {
            sum += returns[i];
        }
        return sum / (size - from);
    }

    @Override
    public void saveState(StateWriter out) {
        out.putDoubles("returns", returns, size);
        out.putInts("lengths", lengths, size);
        out.putLongs("end_steps", endSteps, size);
    }

    @Override
    public void restoreState(StateReader in) {
        double[] r = in.doubles("returns");
        int[] l = in.ints("lengths");
        long[] e = in.longs("end_steps");
        in.checkLength("lengths", l.length, r.length);
        in.checkLength("end_steps", e.length, r.length);
        int capacity = Math.max(64, r.length);
        returns = Arrays.copyOf(r, capacity);
        lengths = Arrays.copyOf(l, capacity);
        endSteps = Arrays.copyOf(e, capacity);
        size = r.length;
    }
}
