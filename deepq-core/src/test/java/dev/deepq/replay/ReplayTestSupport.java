package dev.deepq.replay;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reading a buffer's sampleable transitions back, and chi-square statistics for sampling tests. */
final class ReplayTestSupport {
    private ReplayTestSupport() {}

    /** One transition as the buffer reports it, read through {@link ReplayBuffer#read}. */
    record Row(int slot, float[] observation, int[] discreteAction, float[] continuousAction, float reward,
            float discount, float terminated, int steps, float[] nextObservation) {}

    static Row row(Batch batch, int i) {
        int o = batch.observationSize();
        int a = batch.actionSize();
        float[] obs = java.util.Arrays.copyOfRange(batch.observations(), i * o, (i + 1) * o);
        float[] next = java.util.Arrays.copyOfRange(batch.nextObservations(), i * o, (i + 1) * o);
        int[] da = batch.discreteActions() == null ? null
                : java.util.Arrays.copyOfRange(batch.discreteActions(), i * a, (i + 1) * a);
        float[] ca = batch.continuousActions() == null ? null
                : java.util.Arrays.copyOfRange(batch.continuousActions(), i * a, (i + 1) * a);
        return new Row(batch.indices()[i], obs, da, ca, batch.rewards()[i], batch.discounts()[i],
                batch.terminated()[i], batch.steps()[i], next);
    }

    /** Every sampleable transition, keyed by the first number of its observation (tests make it a unique id). */
    static Map<Float, Row> rowsById(ReplayBuffer buffer) {
        Map<Float, Row> rows = new LinkedHashMap<>();
        Batch batch = buffer.newBatch(1);
        for (int slot = 0; slot < buffer.capacity(); slot++) {
            if (buffer.isSampleable(slot)) {
                buffer.read(slot, batch, 0);
                Row r = row(batch, 0);
                Row previous = rows.put(r.observation()[0], r);
                if (previous != null) {
                    throw new AssertionError("two sampleable slots start from observation id " + r.observation()[0]);
                }
            }
        }
        return rows;
    }

    /** Pearson's statistic sum (observed - expected)^2 / expected. */
    static double chiSquare(long[] observed, double[] expected) {
        double stat = 0;
        for (int i = 0; i < observed.length; i++) {
            double d = observed[i] - expected[i];
            stat += d * d / expected[i];
        }
        return stat;
    }

    /** The chi-square quantile for {@code df} degrees of freedom at upper tail 0.001 (Wilson-Hilferty, z = 3.0902). */
    static double chiSquareCritical001(int df) {
        double z = 3.090232306167813;
        double a = 2.0 / (9.0 * df);
        double c = 1 - a + z * Math.sqrt(a);
        return df * c * c * c;
    }
}
