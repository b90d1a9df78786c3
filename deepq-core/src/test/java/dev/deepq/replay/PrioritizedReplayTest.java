package dev.deepq.replay;

import static dev.deepq.replay.ReplayTestSupport.chiSquare;
import static dev.deepq.replay.ReplayTestSupport.chiSquareCritical001;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.deepq.random.Rng;
import org.junit.jupiter.api.Test;

class PrioritizedReplayTest {

    private static double[] o(double id) {
        return new double[] {id, 1};
    }

    /** A one-step buffer with {@code transitions} transitions in slots 0.. of a single live episode. */
    private static PrioritizedReplayBuffer filled(int capacity, int transitions, double alpha, double epsilon) {
        PrioritizedReplayBuffer b = new PrioritizedReplayBuffer(
                ReplayConfig.of(capacity, 2, ActionKind.DISCRETE, 1, 0.99), alpha, epsilon);
        for (int t = 0; t < transitions; t++) {
            b.add(0, o(t), 0, t, false, false, o(t + 1));
        }
        return b;
    }

    @Test
    void importanceWeightsAndStratifiedSegmentsForAHandCase() {
        // alpha 1, epsilon 0.5: |delta| = p - 0.5 gives priorities 1, 1, 1, 1, 2, 2, 4, 4 (total 16).
        PrioritizedReplayBuffer b = filled(12, 8, 1.0, 0.5);
        b.updatePriorities(new int[] {0, 1, 2, 3, 4, 5, 6, 7},
                new float[] {0.5f, -0.5f, 0.5f, 0.5f, 1.5f, -1.5f, 3.5f, -3.5f});
        double[] priorities = new double[8];
        for (int i = 0; i < 8; i++) {
            priorities[i] = b.priority(i);
        }
        assertThat(priorities).containsExactly(1, 1, 1, 1, 2, 2, 4, 4);
        assertThat(b.totalPriority()).isEqualTo(16);

        // 8 segments of width 2 over the prefix sums [0,1,2,3,4,6,8,12,16): one draw from each segment, so whatever
        // the random numbers, slots 0-1 get one draw, 2-3 one, 4 and 5 one each, 6 and 7 two each.
        Batch batch = b.newBatch(8);
        for (long seed = 0; seed < 20; seed++) {
            b.sample(8, Rng.seeded(seed), 0.5, batch);
            int[] counts = new int[8];
            for (int i = 0; i < 8; i++) {
                counts[batch.indices()[i]]++;
                // w_i = (N P(i))^-beta / (N P_min)^-beta = (p_i / p_min)^-0.5
                double expected = Math.pow(priorities[batch.indices()[i]], -0.5);
                assertThat((double) batch.weights()[i]).isCloseTo(expected, within(1e-7));
            }
            assertThat(new int[] {counts[0] + counts[1], counts[2] + counts[3], counts[4], counts[5], counts[6],
                    counts[7]}).containsExactly(1, 1, 1, 1, 2, 2);
            assertThat(batch.weights()[0]).isEqualTo(1f);
            assertThat((double) batch.weights()[2]).as("row 2 draws slot 4").isCloseTo(1 / Math.sqrt(2), within(1e-7));
            assertThat(batch.weights()[7]).isEqualTo(0.5f);
        }

        b.sample(8, Rng.seeded(0), 0.0, batch);
        assertThat(batch.weights()).as("beta 0: no correction").containsOnly(1f);
        b.sample(8, Rng.seeded(0), 1.0, batch);
        assertThat(batch.weights()[7]).isEqualTo(0.25f);
    }

    @Test
    void samplingFrequenciesAreProportionalToPriorities() {
        int k = 40;
        PrioritizedReplayBuffer b = filled(64, k, PrioritizedReplayBuffer.DEFAULT_ALPHA,
                PrioritizedReplayBuffer.DEFAULT_EPSILON);
        int[] slots = new int[k];
        float[] td = new float[k];
        for (int i = 0; i < k; i++) {
            slots[i] = i;
            td[i] = (float) (0.1 + 0.2 * (i % 7) + (i == 3 ? 9 : 0));
        }
        b.updatePriorities(slots, td);
        double total = b.totalPriority();

        long[] counts = new long[k];
        Batch batch = b.newBatch(32);
        Rng rng = Rng.seeded(31);
        int batches = 6_000;
        for (int n = 0; n < batches; n++) {
            b.sample(32, rng, 0.4, batch);
            for (int i = 0; i < 32; i++) {
                counts[batch.indices()[i]]++;
            }
        }
        double draws = batches * 32.0;
        double[] proportional = new double[k];
        double[] uniform = new double[k];
        double[] unpowered = new double[k];
        double rawTotal = 0;
        for (int i = 0; i < k; i++) {
            rawTotal += Math.abs(td[i]) + 1e-6;
        }
        for (int i = 0; i < k; i++) {
            double p = Math.pow(Math.abs(td[i]) + 1e-6, 0.6);
            assertThat(b.priority(i)).isEqualTo(p);
            proportional[i] = draws * p / total;
            uniform[i] = draws / k;
            unpowered[i] = draws * (Math.abs(td[i]) + 1e-6) / rawTotal; // a sampler that forgot alpha
        }
        double critical = chiSquareCritical001(k - 1);
        System.out.printf("prioritized replay: chi2 = %.1f (df %d, 0.999 quantile %.1f); uniform model %.1f,"
                + " no-alpha model %.1f%n", chiSquare(counts, proportional), k - 1, critical, chiSquare(counts, uniform),
                chiSquare(counts, unpowered));
        assertThat(chiSquare(counts, proportional)).isLessThan(critical);
        assertThat(chiSquare(counts, uniform)).isGreaterThan(critical);
        assertThat(chiSquare(counts, unpowered)).isGreaterThan(critical);
    }

    @Test
    void newTransitionsGetTheLargestPrioritySeen() {
        PrioritizedReplayBuffer b = filled(16, 3, 0.6, 1e-6);
        assertThat(b.priority(0)).as("before any update the max priority is 1").isEqualTo(1.0);
        assertThat(b.maxPriority()).isEqualTo(1.0);
        b.updatePriorities(new int[] {0, 1}, new float[] {4f, 0.25f});
        assertThat(b.maxPriority()).isEqualTo(4 + 1e-6);
        b.add(0, o(3), 0, 0, false, false, o(4));
        assertThat(b.priority(3)).isEqualTo(Math.pow(4 + 1e-6, 0.6));
        b.updatePriorities(new int[] {0}, new float[] {0.5f});
        b.add(0, o(4), 0, 0, false, false, o(5));
        assertThat(b.priority(4)).as("the max is the largest ever seen, not the current largest")
                .isEqualTo(Math.pow(4 + 1e-6, 0.6));
        assertThat(b.priority(5)).as("the pending slot has no priority").isZero();
    }

    @Test
    void updatesSkipSlotsOverwrittenSinceSampling() {
        PrioritizedReplayBuffer b = filled(6, 5, 1.0, 0.5);
        Batch batch = b.newBatch(5);
        b.sample(5, Rng.seeded(4), 0.4, batch);
        int[] sampled = batch.indices().clone();
        // Two more adds overwrite slots 0 and 1 with new transitions (one sampleable at once, n = 1).
        b.add(0, o(5), 0, 0, false, false, o(6));
        b.add(0, o(6), 0, 0, false, false, o(7));
        assertThat(b.isSampleable(5)).isTrue();
        assertThat(b.isSampleable(0)).isTrue();
        assertThat(b.isSampleable(1)).isFalse();
        float[] td = {9.5f, 9.5f, 9.5f, 9.5f, 9.5f};
        b.updatePriorities(batch, td);
        for (int i = 0; i < 5; i++) {
            int slot = sampled[i];
            double expected = slot <= 1 ? (slot == 0 ? 1.0 : 0.0) : 10.0;
            assertThat(b.priority(slot)).as("slot " + slot).isEqualTo(expected);
        }
        SumTreeTest.assertTreesConsistent(b);
    }

    @Test
    void prioritizedSamplesOnlySampleableTransitionsAndNStepTargets() {
        PrioritizedReplayBuffer b = new PrioritizedReplayBuffer(
                new ReplayConfig(30, 2, ActionKind.DISCRETE, 1, 1, 3, 0.5));
        for (int t = 0; t < 100; t++) {
            b.add(0, o(t), 0, 1, t % 11 == 10, false, o(t + 1));
        }
        Batch batch = b.newBatch(64);
        Rng rng = Rng.seeded(8);
        for (int k = 0; k < 50; k++) {
            b.sample(16, rng, 0.7, batch);
            for (int i = 0; i < 16; i++) {
                int slot = batch.indices()[i];
                assertThat(b.isSampleable(slot)).isTrue();
                assertThat(batch.weights()[i]).isEqualTo(1f); // all priorities equal (max priority)
                double expectedReward = batch.steps()[i] == 3 ? 1.75 : batch.steps()[i] == 2 ? 1.5 : 1.0;
                assertThat(batch.rewards()[i]).isEqualTo((float) expectedReward);
            }
        }
    }

    @Test
    void betaScheduleAndCurrentBeta() {
        BetaSchedule s = BetaSchedule.standard(1000);
        assertThat(s.value(0)).isEqualTo(0.4);
        assertThat(s.value(500)).isCloseTo(0.7, within(1e-15));
        assertThat(s.value(1000)).isEqualTo(1.0);
        assertThat(s.value(5000)).isEqualTo(1.0);
        assertThatThrownBy(() -> new BetaSchedule(0.4, 1.2, 10)).hasMessageContaining("beta must stay in [0, 1]");

        PrioritizedReplayBuffer b = filled(8, 4, 1.0, 0.5);
        b.updatePriorities(new int[] {0, 1, 2, 3}, new float[] {0.5f, 1.5f, 3.5f, 7.5f});
        Batch x = b.newBatch(4);
        Batch y = b.newBatch(4);
        b.setBeta(s.value(1000));
        b.sample(4, Rng.seeded(1), x);
        b.sample(4, Rng.seeded(1), 1.0, y);
        assertThat(x.weights()).containsExactly(y.weights());
        assertThat(x.indices()).containsExactly(y.indices());
        assertThatThrownBy(() -> b.setBeta(1.5)).hasMessageContaining("beta must be in [0, 1]");
    }

    @Test
    void badTdErrorsAreRejectedBeforeAnythingChanges() {
        PrioritizedReplayBuffer b = filled(8, 4, 0.6, 1e-6);
        assertThatThrownBy(() -> b.updatePriorities(new int[] {0, 1}, new float[] {1f, Float.NaN}))
                .hasMessageContaining("tdErrors[1] (slot 1) is NaN");
        assertThat(b.priority(0)).as("the valid first entry was not applied").isEqualTo(1.0);
        assertThatThrownBy(() -> b.updatePriorities(new int[] {0}, new float[] {Float.POSITIVE_INFINITY}))
                .hasMessageContaining("must be finite");
        assertThatThrownBy(() -> b.updatePriorities(new int[] {8}, new float[] {1f}))
                .hasMessageContaining("indices[0] = 8 is outside the buffer");
        assertThatThrownBy(() -> b.updatePriorities(new int[] {0, 1}, new float[] {1f}))
                .hasMessageContaining("2 indices but 1 TD errors");
        assertThatThrownBy(() -> new PrioritizedReplayBuffer(ReplayConfig.of(8, 2, ActionKind.DISCRETE, 1, 0.9), -1,
                1e-6)).hasMessageContaining("alpha must be >= 0");
        assertThatThrownBy(() -> new PrioritizedReplayBuffer(ReplayConfig.of(8, 2, ActionKind.DISCRETE, 1, 0.9), 0.6,
                0)).hasMessageContaining("epsilon must be > 0");
    }
}
