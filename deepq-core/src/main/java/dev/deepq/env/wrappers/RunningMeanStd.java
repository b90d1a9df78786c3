package dev.deepq.env.wrappers;

import dev.deepq.state.Checkpointable;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.util.Arrays;

/**
 * Running mean and variance of a stream of vectors, exactly as Gymnasium 0.29.1's {@code RunningMeanStd}: the
 * statistics start as a pseudo-sample of weight {@code priorCount} (default 1e-4) with mean 0 and variance 1, and each
 * update merges a batch with Chan et al.'s parallel-variance formula, in Gymnasium's order of floating-point
 * operations, so the numbers match bit for bit.
 *
 * <p>{@link #state()} and {@link #restore(State)} move the statistics in and out as plain arrays (for checkpoints).
 * A frozen instance ({@link #setFrozen(boolean)}) ignores updates, for evaluation with fixed statistics.
 */
public final class RunningMeanStd implements Checkpointable {
    /** Gymnasium's initial count: the weight of the (mean 0, variance 1) prior. */
    public static final double DEFAULT_PRIOR_COUNT = 1e-4;

    private final double[] mean;
    private final double[] var;
    private double count;
    private boolean frozen;

    /** Statistics of vectors of {@code size} numbers with Gymnasium's prior count 1e-4. */
    public RunningMeanStd(int size) {
        this(size, DEFAULT_PRIOR_COUNT);
    }

    public RunningMeanStd(int size, double priorCount) {
        if (size <= 0) {
            throw new IllegalArgumentException("RunningMeanStd needs a size > 0, got " + size);
        }
        if (!(priorCount > 0) || Double.isInfinite(priorCount)) {
            throw new IllegalArgumentException("RunningMeanStd prior count must be positive and finite, got " + priorCount);
        }
        mean = new double[size];
        var = new double[size];
        Arrays.fill(var, 1.0);
        count = priorCount;
    }

    /** How many numbers one sample has. */
    public int size() {
        return mean.length;
    }

    public double mean(int i) {
        return mean[i];
    }

    public double var(int i) {
        return var[i];
    }

    /** The prior count plus the number of samples seen. */
    public double count() {
        return count;
    }

    public boolean isFrozen() {
        return frozen;
    }

    /** While frozen, updates are ignored and the statistics stay as they are (e.g. during evaluation). */
    public void setFrozen(boolean frozen) {
        this.frozen = frozen;
    }

    /** Adds one sample, the {@link #size()} numbers at {@code x[offset..]} (Gymnasium's update with a batch of one). */
    public void update(double[] x, int offset) {
        if (frozen) {
            return;
        }
        // A batch of one has mean x, variance 0 and count 1; written out with those values so the operations (and
        // their rounding) are exactly those of update_mean_var_count_from_moments.
        double batchCount = 1.0;
        double totalCount = count + batchCount;
        for (int i = 0; i < mean.length; i++) {
            double delta = x[offset + i] - mean[i];
            mean[i] = mean[i] + delta * batchCount / totalCount;
            double ma = var[i] * count;
            double mb = 0.0 * batchCount;
            double m2 = ma + mb + delta * delta * count * batchCount / totalCount;
            var[i] = m2 / totalCount;
        }
        count = totalCount;
    }

    /** Adds one sample of a one-number stream (size 1). */
    public void update(double x) {
        if (mean.length != 1) {
            throw new IllegalStateException("update(double) needs a RunningMeanStd of size 1, this one has size " + mean.length);
        }
        if (frozen) {
            return;
        }
        double batchCount = 1.0;
        double totalCount = count + batchCount;
        double delta = x - mean[0];
        mean[0] = mean[0] + delta * batchCount / totalCount;
        double ma = var[0] * count;
        double mb = 0.0 * batchCount;
        double m2 = ma + mb + delta * delta * count * batchCount / totalCount;
        var[0] = m2 / totalCount;
        count = totalCount;
    }

    /**
     * Merges a batch given by its moments (Gymnasium's {@code update_from_moments}): per-element mean and
     * (population) variance of {@code batchCount} samples.
     */
    public void updateFromMoments(double[] batchMean, double[] batchVar, double batchCount) {
        if (batchMean.length != mean.length || batchVar.length != mean.length) {
            throw new IllegalArgumentException("batch moments must have " + mean.length + " elements, got mean "
                    + batchMean.length + " and var " + batchVar.length);
        }
        if (!(batchCount > 0)) {
            throw new IllegalArgumentException("batch count must be positive, got " + batchCount);
        }
        if (frozen) {
            return;
        }
        double totalCount = count + batchCount;
        for (int i = 0; i < mean.length; i++) {
            double delta = batchMean[i] - mean[i];
            mean[i] = mean[i] + delta * batchCount / totalCount;
            double ma = var[i] * count;
            double mb = batchVar[i] * batchCount;
            double m2 = ma + mb + delta * delta * count * batchCount / totalCount;
            var[i] = m2 / totalCount;
        }
        count = totalCount;
    }

    /**
     * Writes {@code (x - mean) / sqrt(var + epsilon)} for the sample at {@code x[offset..]} into
     * {@code out[outOffset..]} (the arrays may be the same).
     */
    public void normalize(double[] x, int offset, double[] out, int outOffset, double epsilon) {
        for (int i = 0; i < mean.length; i++) {
            out[outOffset + i] = (x[offset + i] - mean[i]) / Math.sqrt(var[i] + epsilon);
        }
    }

    /** A copy of the statistics, for checkpoints. */
    public State state() {
        return new State(mean, var, count);
    }

    /** Replaces the statistics with {@code state} (which must have this instance's size); the frozen flag is kept. */
    public void restore(State state) {
        if (state.mean().length != mean.length) {
            throw new IllegalArgumentException("cannot restore RunningMeanStd of size " + mean.length
                    + " from a state of size " + state.mean().length);
        }
        System.arraycopy(state.mean(), 0, mean, 0, mean.length);
        System.arraycopy(state.var(), 0, var, 0, var.length);
        count = state.count();
    }

    @Override
    public String toString() {
        return "RunningMeanStd[mean=" + Arrays.toString(mean) + ", var=" + Arrays.toString(var) + ", count=" + count
                + (frozen ? ", frozen" : "") + "]";
    }

    /**
     * The statistics as plain data: per-element mean and variance, and the count (prior count plus samples).
     * The arrays are copied in and out, so a state never aliases a live instance.
     */
    public record State(double[] mean, double[] var, double count) {
        public State {
            if (mean.length != var.length) {
                throw new IllegalArgumentException("RunningMeanStd state needs mean and var of equal length, got "
                        + mean.length + " and " + var.length);
            }
            if (mean.length == 0) {
                throw new IllegalArgumentException("RunningMeanStd state must not be empty");
            }
            if (!(count > 0) || Double.isInfinite(count)) {
                throw new IllegalArgumentException("RunningMeanStd state count must be positive and finite, got " + count);
            }
            for (int i = 0; i < var.length; i++) {
                if (!(var[i] >= 0)) {
                    throw new IllegalArgumentException("RunningMeanStd state variance must be >= 0, got var[" + i + "]="
                            + var[i]);
                }
            }
            mean = mean.clone();
            var = var.clone();
        }

        @Override
        public double[] mean() {
            return mean.clone();
        }

        @Override
        public double[] var() {
            return var.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && Arrays.equals(s.mean, mean) && Arrays.equals(s.var, var)
                    && Double.compare(s.count, count) == 0;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(mean) * 31 + Arrays.hashCode(var) + Double.hashCode(count);
        }

        @Override
        public String toString() {
            return "State[mean=" + Arrays.toString(mean) + ", var=" + Arrays.toString(var) + ", count=" + count + "]";
        }
    }

    /** Saves mean, variance, count and the frozen flag. */
    @Override
    public void saveState(StateWriter out) {
        out.putDoubles("mean", mean);
        out.putDoubles("var", var);
        out.putDouble("count", count);
        out.putBoolean("frozen", frozen);
    }

    @Override
    public void restoreState(StateReader in) {
        double[] savedMean = new double[mean.length];
        double[] savedVar = new double[var.length];
        in.readDoubles("mean", savedMean);
        in.readDoubles("var", savedVar);
        try {
            restore(new State(savedMean, savedVar, in.getDouble("count")));
        } catch (IllegalArgumentException e) {
            throw in.error("count", e.getMessage());
        }
        frozen = in.getBoolean("frozen");
    }
}
