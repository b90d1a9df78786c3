package dev.deepq.replay;

import static dev.deepq.replay.ReplayTestSupport.chiSquare;
import static dev.deepq.replay.ReplayTestSupport.chiSquareCritical001;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.random.Rng;
import org.junit.jupiter.api.Test;

/**
 * Uniform sampling draws every sampleable transition with equal probability and nothing else. Fixed seeds make the
 * outcome deterministic; the threshold is the 0.999 quantile of the chi-square distribution, and each test also shows
 * that a plausible broken sampler's distribution would be rejected by it.
 */
class UniformSamplingTest {
    private static final int DRAWS_PER_BATCH = 32;

    private static double[] o(double id) {
        return new double[] {id, 0.5};
    }

    @Test
    void partlyFilledStreamsOfUnequalLength() {
        ReplayBuffer b = new ReplayBuffer(new ReplayConfig(120, 2, ActionKind.DISCRETE, 1, 2, 1, 0.99));
        for (int t = 0; t < 45; t++) {
            b.add(0, o(t), 0, 1, false, false, o(t + 1)); // one live episode: 45 transitions + 1 pending slot
        }
        int id = 1000;
        for (int episode = 0; episode < 6; episode++) {
            for (int t = 0; t < 4; t++) {
                b.add(1, o(id), 1, 1, t == 3, false, o(id + 1)); // 6 terminated episodes: 24 transitions + 6 finals
                id++;
            }
            id += 10;
        }
        assertThat(b.size()).isEqualTo(69);

        long[] counts = drawCounts(b, 8_000, Rng.seeded(2024));
        int[] sampleable = sampleableSlots(b);
        long draws = 8_000L * DRAWS_PER_BATCH;
        long[] observed = new long[sampleable.length];
        double[] uniform = new double[sampleable.length];
        double[] envFirst = new double[sampleable.length];
        for (int i = 0; i < sampleable.length; i++) {
            observed[i] = counts[sampleable[i]];
            uniform[i] = (double) draws / sampleable.length;
            boolean env0 = sampleable[i] < b.streamCapacity();
            envFirst[i] = draws * 0.5 / (env0 ? 45 : 24); // "pick an env, then a transition": biased to env 1
        }
        long outside = 0;
        for (long c : counts) {
            outside += c;
        }
        for (long c : observed) {
            outside -= c;
        }
        assertThat(outside).as("draws of slots that hold no sampleable transition").isZero();
        double critical = chiSquareCritical001(sampleable.length - 1);
        System.out.printf("uniform replay, partly filled: chi2 = %.1f (df %d, 0.999 quantile %.1f); env-first model"
                + " %.1f%n", chiSquare(observed, uniform), sampleable.length - 1, critical, chiSquare(observed, envFirst));
        assertThat(chiSquare(observed, uniform)).isLessThan(critical);
        assertThat(chiSquare(observed, envFirst)).as("the test can tell a biased sampler").isGreaterThan(critical);
    }

    @Test
    void fullWrappedStreamWithWaitingNStepTransitions() {
        ReplayBuffer b = new ReplayBuffer(new ReplayConfig(50, 2, ActionKind.DISCRETE, 1, 1, 3, 0.99));
        Rng episodes = Rng.seeded(9);
        for (int t = 0; t < 333; t++) {
            boolean end = episodes.random() < 0.1;
            b.add(0, o(t), 0, 1, end, false, o(end ? -t - 1 : t + 1));
        }
        int[] sampleable = sampleableSlots(b);
        assertThat(sampleable.length).isEqualTo(b.size()).isBetween(35, 47);

        long[] counts = drawCounts(b, 6_000, Rng.seeded(77));
        long draws = 6_000L * DRAWS_PER_BATCH;
        long[] observed = new long[sampleable.length];
        double[] uniform = new double[sampleable.length];
        double[] slotWise = new double[sampleable.length];
        for (int i = 0; i < sampleable.length; i++) {
            observed[i] = counts[sampleable[i]];
            uniform[i] = (double) draws / sampleable.length;
            // "draw the next sampleable slot at or after a uniform slot": favours slots after unsampleable ones
            int gap = 1;
            while (!b.isSampleable(Math.floorMod(sampleable[i] - gap, b.capacity()))) {
                gap++;
            }
            slotWise[i] = (double) draws * gap / b.capacity();
        }
        long total = 0;
        for (long c : observed) {
            total += c;
        }
        assertThat(total).isEqualTo(draws);
        double critical = chiSquareCritical001(sampleable.length - 1);
        System.out.printf("uniform replay, wrapped: chi2 = %.1f (df %d, 0.999 quantile %.1f); next-sampleable model"
                + " %.1f%n", chiSquare(observed, uniform), sampleable.length - 1, critical, chiSquare(observed, slotWise));
        assertThat(chiSquare(observed, uniform)).isLessThan(critical);
        assertThat(chiSquare(observed, slotWise)).as("the test can tell a biased sampler").isGreaterThan(critical);
    }

    @Test
    void sameSeedSameSamplesAndWeightsAreOne() {
        ReplayBuffer b = new ReplayBuffer(ReplayConfig.of(64, 2, ActionKind.DISCRETE, 1, 0.9));
        for (int t = 0; t < 40; t++) {
            b.add(0, o(t), t % 3, t, t % 9 == 8, false, o(t + 1));
        }
        Batch x = b.newBatch(32);
        Batch y = b.newBatch(32);
        b.sample(32, Rng.seeded(1), x);
        b.sample(32, Rng.seeded(1), y);
        assertThat(y.indices()).containsExactly(x.indices());
        assertThat(y.rewards()).containsExactly(x.rewards());
        assertThat(x.weights()).containsOnly(1f);
        b.sample(32, Rng.seeded(2), y);
        assertThat(y.indices()).isNotEqualTo(x.indices());
    }

    private static long[] drawCounts(ReplayBuffer b, int batches, Rng rng) {
        long[] counts = new long[b.capacity()];
        Batch batch = b.newBatch(DRAWS_PER_BATCH);
        for (int k = 0; k < batches; k++) {
            b.sample(DRAWS_PER_BATCH, rng, batch);
            for (int i = 0; i < batch.size(); i++) {
                counts[batch.indices()[i]]++;
            }
        }
        return counts;
    }

    private static int[] sampleableSlots(ReplayBuffer b) {
        return java.util.stream.IntStream.range(0, b.capacity()).filter(b::isSampleable).toArray();
    }
}
