package dev.deepq.replay;

import static dev.deepq.replay.ReplayTestSupport.rowsById;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.replay.ReplayTestSupport.Row;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * n-step targets for hand-built sequences, exact: gamma = 0.5 and integer rewards make every sum exact in float, so
 * each expected number below is written out by hand.
 */
class NStepReturnsTest {

    /** An observation whose first number is its id (unique per observation in these tests). */
    private static double[] o(double id) {
        return new double[] {id, -id};
    }

    private static ReplayBuffer buffer(int capacity, int numEnvs, int nStep) {
        return new ReplayBuffer(new ReplayConfig(capacity, 2, ActionKind.DISCRETE, 1, numEnvs, nStep, 0.5));
    }

    private static void assertRow(Row row, double reward, int steps, double discount, boolean terminated,
            double nextId) {
        assertThat(row.reward()).as("n-step reward").isEqualTo((float) reward);
        assertThat(row.steps()).as("steps m").isEqualTo(steps);
        assertThat(row.discount()).as("discount").isEqualTo((float) discount);
        assertThat(row.terminated()).as("terminated mask").isEqualTo(terminated ? 1f : 0f);
        assertThat(row.nextObservation()).as("bootstrap observation").containsExactly((float) nextId, (float) -nextId);
    }

    @Test
    void terminationInsideTheWindowStopsTheSumAndNeverBootstraps() {
        ReplayBuffer b = buffer(100, 1, 3);
        b.add(0, o(1), 0, 1, false, false, o(2));
        b.add(0, o(2), 1, 2, false, false, o(3));
        assertThat(b.size()).as("windows of a live episode wait until complete").isZero();
        b.add(0, o(3), 0, 4, true, false, o(99));
        assertThat(b.size()).isEqualTo(3);
        Map<Float, Row> rows = rowsById(b);
        assertRow(rows.get(1f), 1 + 0.5 * 2 + 0.25 * 4, 3, 0, true, 99);
        assertRow(rows.get(2f), 2 + 0.5 * 4, 2, 0, true, 99);
        assertRow(rows.get(3f), 4, 1, 0, true, 99);
        assertThat(rows.get(2f).discreteAction()).containsExactly(1);

        // The next episode starts from its reset observation: nothing links it to the terminated one.
        b.add(0, o(10), 1, 8, false, false, o(11));
        b.add(0, o(11), 1, 16, false, false, o(12));
        b.add(0, o(12), 0, 32, false, false, o(13));
        rows = rowsById(b);
        assertThat(rows).hasSize(4);
        assertRow(rows.get(10f), 8 + 0.5 * 16 + 0.25 * 32, 3, 0.125, false, 13);
        assertRow(rows.get(3f), 4, 1, 0, true, 99);
    }

    @Test
    void truncationInsideTheWindowBootstrapsFromTheFinalObservation() {
        ReplayBuffer b = buffer(100, 1, 3);
        for (int t = 0; t < 4; t++) {
            b.add(0, o(t), 0, 1 << t, false, t == 3, t == 3 ? o(50) : o(t + 1));
        }
        Map<Float, Row> rows = rowsById(b);
        assertThat(rows).hasSize(4);
        assertRow(rows.get(0f), 1 + 0.5 * 2 + 0.25 * 4, 3, 0.125, false, 3);
        assertRow(rows.get(1f), 2 + 0.5 * 4 + 0.25 * 8, 3, 0.125, false, 50);
        assertRow(rows.get(2f), 4 + 0.5 * 8, 2, 0.25, false, 50);
        assertRow(rows.get(3f), 8, 1, 0.5, false, 50);
    }

    @Test
    void terminatedAndTruncatedTogetherCountsAsTermination() {
        ReplayBuffer b = buffer(100, 1, 2);
        b.add(0, o(1), 0, 1, false, false, o(2));
        b.add(0, o(2), 0, 2, true, true, o(3));
        Map<Float, Row> rows = rowsById(b);
        assertRow(rows.get(1f), 1 + 0.5 * 2, 2, 0, true, 3);
        assertRow(rows.get(2f), 2, 1, 0, true, 3);
    }

    @Test
    void oneStepTargetsAreTheRawTransition() {
        ReplayBuffer b = buffer(10, 1, 1);
        b.add(0, o(1), 1, 3, false, false, o(2));
        assertThat(b.size()).as("with n = 1 a transition is sampleable at once").isEqualTo(1);
        b.add(0, o(2), 0, 5, true, false, o(7));
        Map<Float, Row> rows = rowsById(b);
        assertRow(rows.get(1f), 3, 1, 0.5, false, 2);
        assertRow(rows.get(2f), 5, 1, 0, true, 7);
    }

    @Test
    void envStreamsNeverMix() {
        ReplayBuffer b = buffer(40, 2, 3);
        // env 0: ids 0.., rewards 1, 2, 4 then terminated; env 1: ids 100.., rewards 100, 200, 400, 800, truncated.
        double[] obs = {0, -0, 100, -100};
        int[] actions = {0, 1};
        for (int t = 0; t < 4; t++) {
            boolean[] term = {t == 2, false};
            boolean[] trunc = {false, t == 3};
            double[] rewards = {t < 3 ? 1 << t : 64, 100 * (1 << t)};
            double[] next = {t + 1, -(t + 1), 101 + t, -(101 + t)};
            boolean[] hasFinal = {term[0], trunc[1]};
            double[] fin = {90, -90, 190, -190};
            if (term[0]) {
                next[0] = 10; // env 0 autoreset: its next observation is already the new episode's first
                next[1] = -10;
            }
            b.addBatch(obs, actions, rewards, term, trunc, next, hasFinal, fin);
            obs = next.clone();
        }
        Map<Float, Row> rows = rowsById(b);
        assertRow(rows.get(0f), 1 + 0.5 * 2 + 0.25 * 4, 3, 0, true, 90);
        assertRow(rows.get(1f), 2 + 0.5 * 4, 2, 0, true, 90);
        assertRow(rows.get(2f), 4, 1, 0, true, 90);
        assertThat(rows).as("env 0's new episode has one transition, its window still open").doesNotContainKey(10f);
        assertRow(rows.get(100f), 100 + 0.5 * 200 + 0.25 * 400, 3, 0.125, false, 103);
        assertRow(rows.get(101f), 200 + 0.5 * 400 + 0.25 * 800, 3, 0.125, false, 190);
        assertRow(rows.get(102f), 400 + 0.5 * 800, 2, 0.25, false, 190);
        assertRow(rows.get(103f), 800, 1, 0.5, false, 190);
        assertThat(rows).hasSize(7);
        for (Row r : rows.values()) {
            boolean env1 = r.observation()[0] >= 100;
            assertThat(r.slot() >= b.streamCapacity()).as("slot of id " + r.observation()[0]).isEqualTo(env1);
        }
    }

    @Test
    void windowsWrapAroundTheRingAndOldTransitionsAreWithdrawn() {
        // 5 slots, n = 2: a live stream keeps its 4 newest transitions, 3 of them with complete windows.
        ReplayBuffer b = buffer(5, 1, 2);
        for (int t = 0; t < 12; t++) {
            b.add(0, o(t), t % 2, t + 1, false, false, o(t + 1));
        }
        Map<Float, Row> rows = rowsById(b);
        assertThat(rows.keySet()).containsExactlyInAnyOrder(8f, 9f, 10f);
        for (int t = 8; t <= 10; t++) {
            assertRow(rows.get((float) t), (t + 1) + 0.5 * (t + 2), 2, 0.25, false, t + 2);
            assertThat(rows.get((float) t).discreteAction()).containsExactly(t % 2);
        }
        assertThat(rows.get(9f).slot()).as("transition 9 sits in the ring's last slot, its window wraps").isEqualTo(4);

        b.add(0, o(12), 0, 13, false, true, o(77));
        rows = rowsById(b);
        assertThat(rows.keySet()).as("the final observation overwrote transition 8").containsExactlyInAnyOrder(9f,
                10f, 11f, 12f);
        assertRow(rows.get(11f), 12 + 0.5 * 13, 2, 0.25, false, 77);
        assertRow(rows.get(12f), 13, 1, 0.5, false, 77);
        assertRow(rows.get(9f), 10 + 0.5 * 11, 2, 0.25, false, 11);

        // A new episode overwrites the oldest slots first: 9 and 10 go, the truncated window stays intact.
        b.add(0, o(20), 1, 100, false, false, o(21));
        rows = rowsById(b);
        assertThat(rows.keySet()).containsExactlyInAnyOrder(11f, 12f);
        assertRow(rows.get(11f), 12 + 0.5 * 13, 2, 0.25, false, 77);
    }

    @Test
    void aStreamThatDoesNotContinueIsCutAndBootstrapsLikeTruncation() {
        ReplayBuffer b = buffer(20, 1, 3);
        b.add(0, o(1), 0, 1, false, false, o(2));
        b.add(0, o(2), 0, 2, false, false, o(3));
        // The caller reset the env by hand: the next transition starts elsewhere.
        b.add(0, o(40), 0, 4, false, false, o(41));
        Map<Float, Row> rows = rowsById(b);
        assertThat(rows.keySet()).containsExactlyInAnyOrder(1f, 2f);
        assertRow(rows.get(1f), 1 + 0.5 * 2, 2, 0.25, false, 3);
        assertRow(rows.get(2f), 2, 1, 0.5, false, 3);

        // A manual reset into the very same observation continues the stream: that is a valid trajectory from it.
        b.add(0, o(41), 0, 8, false, false, o(42));
        b.add(0, o(42), 0, 16, false, false, o(43));
        rows = rowsById(b);
        assertRow(rows.get(40f), 4 + 0.5 * 8 + 0.25 * 16, 3, 0.125, false, 43);
    }

    @Test
    void realisticDiscountIsSummedInDoubleAndRoundedOnce() {
        ReplayBuffer b = new ReplayBuffer(new ReplayConfig(50, 2, ActionKind.DISCRETE, 1, 1, 3, 0.99));
        double[] r = {0.1, -2.75, 1e-3, 7.0};
        for (int t = 0; t < 4; t++) {
            b.add(0, o(t), 0, r[t], false, false, o(t + 1));
        }
        Row row = rowsById(b).get(1f);
        double g = 0.99;
        double expected = 0.0 + 1.0 * (float) r[1];
        expected += g * (float) r[2];
        expected += (g * g) * (float) r[3];
        assertThat(row.reward()).isEqualTo((float) expected);
        assertThat(row.discount()).isEqualTo((float) (g * g * g));
    }
}
