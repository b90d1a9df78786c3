package dev.deepq.train;

import java.util.Arrays;

/** Every finished training episode: its return, length and the env step at which it ended (growable primitive arrays). */
public final class EpisodeLog {
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
}
