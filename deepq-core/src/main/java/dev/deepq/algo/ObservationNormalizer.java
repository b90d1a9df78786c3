package dev.deepq.algo;

import dev.deepq.env.wrappers.RunningMeanStd;
import dev.deepq.io.SafeTensors;
import dev.deepq.state.Checkpointable;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;

/**
 * An off-policy agent's observation normalization, as Stable-Baselines3's {@code VecNormalize(norm_obs=True,
 * clip_obs=10, epsilon=1e-8)} with an off-policy algorithm:
 * <pre>
 *   statistics: running mean and variance ({@link RunningMeanStd}, prior count 1e-4), updated with every batch of
 *               observations the agent acts on (the env's observations after each step, reset ones included)
 *   obs'      = clip((obs - mean) / sqrt(var + 1e-8), -10, 10)   when acting, predicting and in sampled batches
 * </pre>
 * The replay keeps the raw observations and a sampled batch is normalized with the current statistics (SB3's replay
 * buffer does the same through {@code VecNormalize.normalize_obs}). Batch moments are computed in double precision.
 * A disabled normalizer only converts observations to float, so an agent reads the same either way.
 */
final class ObservationNormalizer implements Checkpointable {
    /** SB3's {@code clip_obs}. */
    static final double CLIP = 10;
    /** SB3's {@code epsilon} under the square root. */
    static final double EPSILON = 1e-8;

    private final int size;
    /** Null when normalization is off. */
    private final RunningMeanStd stats;
    private final double[] batchMean;
    private final double[] batchVar;

    ObservationNormalizer(int size, boolean enabled) {
        this.size = size;
        stats = enabled ? new RunningMeanStd(size) : null;
        batchMean = new double[size];
        batchVar = new double[size];
    }

    boolean enabled() {
        return stats != null;
    }

    /** Merges {@code rows} observations (batch-major) into the statistics; nothing when disabled. */
    void update(double[] observations, int rows) {
        if (stats == null) {
            return;
        }
        for (int i = 0; i < size; i++) {
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                sum += observations[r * size + i];
            }
            double mean = sum / rows;
            double squares = 0;
            for (int r = 0; r < rows; r++) {
                double d = observations[r * size + i] - mean;
                squares += d * d;
            }
            batchMean[i] = mean;
            batchVar[i] = squares / rows;
        }
        stats.updateFromMoments(batchMean, batchVar, rows);
    }

    /** Writes {@code rows} normalized observations (or just their float values when disabled) into {@code out}. */
    void normalize(double[] observations, float[] out, int rows) {
        int n = rows * size;
        if (stats == null) {
            for (int k = 0; k < n; k++) {
                out[k] = (float) observations[k];
            }
            return;
        }
        for (int k = 0; k < n; k++) {
            out[k] = (float) normalized(observations[k], k % size);
        }
    }

    /** Normalizes {@code rows} float observations in place (a sampled batch); nothing when disabled. */
    void normalizeInPlace(float[] observations, int rows) {
        if (stats == null) {
            return;
        }
        int n = rows * size;
        for (int k = 0; k < n; k++) {
            observations[k] = (float) normalized(observations[k], k % size);
        }
    }

    private double normalized(double x, int i) {
        double z = (x - stats.mean(i)) / Math.sqrt(stats.var(i) + EPSILON);
        return Math.max(-CLIP, Math.min(CLIP, z));
    }

    /** The statistics (for tests and inspection); null when disabled. */
    RunningMeanStd statistics() {
        return stats;
    }

    // ---- checkpoints and model files ----

    /** Writes the statistics under {@code obs_rms}; nothing when disabled (so plain agents' checkpoints stay as they were). */
    @Override
    public void saveState(StateWriter out) {
        if (stats != null) {
            out.putPart("obs_rms", stats);
        }
    }

    @Override
    public void restoreState(StateReader in) {
        if (stats != null) {
            in.readPart("obs_rms", stats);
        }
    }

    /** Adds {@code obs_rms.mean}, {@code obs_rms.var} and {@code obs_rms.count} (float64) to a model file. */
    void putTensors(SafeTensors.Builder file) {
        if (stats == null) {
            return;
        }
        double[] mean = new double[size];
        double[] var = new double[size];
        for (int i = 0; i < size; i++) {
            mean[i] = stats.mean(i);
            var[i] = stats.var(i);
        }
        file.put("obs_rms.mean", mean, size).put("obs_rms.var", var, size)
                .put("obs_rms.count", new double[] {stats.count()}, 1);
    }

    /** Reads what {@link #putTensors} wrote (IllegalArgumentException when it is missing or malformed). */
    void readTensors(SafeTensors file) {
        if (stats == null) {
            return;
        }
        for (String name : new String[] {"obs_rms.mean", "obs_rms.var", "obs_rms.count"}) {
            if (!file.has(name)) {
                throw new IllegalArgumentException("normalize_observations is on but the tensor " + name
                        + " is missing");
            }
        }
        double[] count = file.doubles("obs_rms.count");
        if (count.length != 1) {
            throw new IllegalArgumentException("obs_rms.count must hold one number, has " + count.length);
        }
        double[] mean = file.doubles("obs_rms.mean");
        double[] var = file.doubles("obs_rms.var");
        if (mean.length != size || var.length != size) {
            throw new IllegalArgumentException("obs_rms.mean and obs_rms.var must hold " + size + " numbers, have "
                    + mean.length + " and " + var.length);
        }
        stats.restore(new RunningMeanStd.State(mean, var, count[0]));
    }
}
