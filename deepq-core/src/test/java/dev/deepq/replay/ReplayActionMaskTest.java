package dev.deepq.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.random.Rng;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The optional mask column: every sampled row carries the action mask of its bootstrap observation (the n-th next
 * state, or an ended episode's final observation), through wrap-around, state()/restore() and checkpoints.
 */
class ReplayActionMaskTest {
    private static final int ENVS = 2;
    /** More than 8 actions, so a mask takes two bytes and the packing's second byte is exercised. */
    private static final int ACTIONS = 10;

    /** A mask that is a fixed function of the observation id; never all valid. */
    static boolean[] maskOf(double id, boolean[] out, int offset) {
        long k = (long) id;
        for (int a = 0; a < ACTIONS; a++) {
            out[offset + a] = ((k * 7 + a * 3) % 5) != 0 && a != k % ACTIONS;
        }
        return out;
    }

    /**
     * Vector-env steps in the StepBatch convention: every observation has a fresh id; an env whose episode ends hands
     * over a final observation (with its own mask) and continues from a reset observation with another mask.
     */
    static final class Feeder {
        private final Rng rng;
        private final double[] obs = new double[ENVS];
        private long nextId = 1;

        Feeder(long seed) {
            rng = Rng.seeded(seed);
            for (int e = 0; e < ENVS; e++) {
                obs[e] = nextId++;
            }
        }

        void step(ReplayBuffer buffer, boolean withMasks) {
            int[] actions = new int[ENVS];
            double[] rewards = new double[ENVS];
            boolean[] term = new boolean[ENVS];
            boolean[] trunc = new boolean[ENVS];
            double[] next = new double[ENVS];
            double[] fin = new double[ENVS];
            boolean[] hasFinal = new boolean[ENVS];
            boolean[] masks = new boolean[ENVS * ACTIONS];
            for (int e = 0; e < ENVS; e++) {
                actions[e] = (int) rng.integers(ACTIONS);
                rewards[e] = rng.uniform(-1, 1);
                term[e] = rng.random() < 0.05;
                trunc[e] = !term[e] && rng.random() < 0.05;
                hasFinal[e] = term[e] || trunc[e];
                if (hasFinal[e]) {
                    fin[e] = nextId++;
                }
                next[e] = nextId++;
                maskOf(hasFinal[e] ? fin[e] : next[e], masks, e * ACTIONS);
            }
            buffer.addBatch(obs, actions, rewards, term, trunc, next, hasFinal, fin, withMasks ? masks : null);
            System.arraycopy(next, 0, obs, 0, ENVS);
        }
    }

    private static ReplayConfig config(int nStep) {
        return new ReplayConfig(ENVS * 40, 1, ActionKind.DISCRETE, 1, ENVS, nStep, 0.9);
    }

    private static ReplayBuffer filled(ReplayBuffer buffer, long seed, int steps) {
        Feeder feeder = new Feeder(seed);
        for (int i = 0; i < steps; i++) {
            feeder.step(buffer, true);
        }
        return buffer;
    }

    private static boolean[] rowMask(Batch batch, int row) {
        return Arrays.copyOfRange(batch.nextActionMasks(), row * ACTIONS, (row + 1) * ACTIONS);
    }

    /** Each row's mask is the one of its bootstrap observation, for every sampleable transition of a wrapped buffer. */
    @Test
    void everyRowCarriesTheMaskOfItsBootstrapObservation() {
        for (int n : new int[] {1, 3}) {
            ReplayBuffer buffer = filled(new ReplayBuffer(config(n)), 11, 300);
            assertThat(buffer.actionMaskSize()).isEqualTo(ACTIONS);
            Batch batch = buffer.newBatch(1);
            int checked = 0;
            int multiStep = 0;
            int ended = 0;
            for (int slot = 0; slot < buffer.capacity(); slot++) {
                if (!buffer.isSampleable(slot)) {
                    continue;
                }
                buffer.read(slot, batch, 0);
                float nextId = batch.nextObservations()[0];
                assertThat(rowMask(batch, 0)).as("n=%d slot %d (bootstrap id %s)", n, slot, nextId)
                        .containsExactly(maskOf(nextId, new boolean[ACTIONS], 0));
                checked++;
                multiStep += batch.steps()[0] > 1 ? 1 : 0;
                ended += batch.terminated()[0] > 0 || batch.steps()[0] < n ? 1 : 0;
            }
            assertThat(checked).isGreaterThan(50);
            if (n > 1) {
                assertThat(multiStep).as("windows over several steps").isGreaterThan(10);
                assertThat(ended).as("windows cut by an episode end").isGreaterThan(3);
            }
        }
    }

    /**
     * A truncated transition's mask is its final observation's, not the reset observation's, and a sampled batch
     * (uniform and prioritized) carries the same masks as read() does.
     */
    @Test
    void truncationBootstrapsWithTheFinalObservationsMaskAndSamplingAgrees() {
        for (ReplayBuffer buffer : new ReplayBuffer[] {new ReplayBuffer(config(1)), new PrioritizedReplayBuffer(config(1))}) {
            double[] obs = {1, 2};
            boolean[] masks = new boolean[ENVS * ACTIONS];
            maskOf(10, masks, 0);
            maskOf(20, masks, ACTIONS);
            // Env 0 is truncated in final observation 10 and reset to 11; env 1 goes on to 20.
            buffer.addBatch(obs, new int[] {0, 1}, new double[] {1, 1}, new boolean[2], new boolean[] {true, false},
                    new double[] {11, 20}, new boolean[] {true, false}, new double[] {10, 0}, masks);
            assertThat(maskOf(10, new boolean[ACTIONS], 0)).isNotEqualTo(maskOf(11, new boolean[ACTIONS], 0));
            Batch batch = buffer.newBatch(64);
            buffer.sample(1, Rng.seeded(3), batch);
            for (int i = 0; i < 1; i++) {
                assertThat(rowMask(batch, i)).containsExactly(maskOf(batch.nextObservations()[i], new boolean[ACTIONS], 0));
            }
            ReplayBuffer big = filled(buffer instanceof PrioritizedReplayBuffer
                    ? new PrioritizedReplayBuffer(config(3)) : new ReplayBuffer(config(3)), 5, 200);
            big.sample(64, Rng.seeded(4), batch);
            for (int i = 0; i < 64; i++) {
                assertThat(rowMask(batch, i)).containsExactly(maskOf(batch.nextObservations()[i], new boolean[ACTIONS], 0));
            }
        }
    }

    @Test
    void aBufferWithoutMasksHasNoColumnAndItsBatchesNone() {
        ReplayBuffer buffer = new ReplayBuffer(config(1));
        long bytes = buffer.allocatedBytes();
        Feeder feeder = new Feeder(2);
        for (int i = 0; i < 100; i++) {
            feeder.step(buffer, false);
        }
        assertThat(buffer.actionMaskSize()).isZero();
        assertThat(buffer.state().actionMasks()).isNull();
        assertThat(buffer.allocatedBytes()).isEqualTo(bytes);
        Batch batch = buffer.newBatch(8);
        buffer.sample(8, Rng.seeded(1), batch);
        assertThat(batch.nextActionMasks()).isNull();
        assertThat(batch.actionMaskSize()).isZero();
    }

    /** Masks that arrive after unmasked adds: the earlier slots count as "all valid", the new ones as given. */
    @Test
    void slotsWrittenBeforeTheFirstMaskAreAllValid() {
        ReplayBuffer buffer = new ReplayBuffer(config(1));
        Feeder feeder = new Feeder(9);
        for (int i = 0; i < 10; i++) {
            feeder.step(buffer, false);
        }
        for (int i = 0; i < 10; i++) {
            feeder.step(buffer, true);
        }
        Batch batch = buffer.newBatch(1);
        boolean[] allValid = new boolean[ACTIONS];
        Arrays.fill(allValid, true);
        int before = 0;
        int after = 0;
        for (int slot = 0; slot < buffer.capacity(); slot++) {
            if (buffer.isSampleable(slot)) {
                buffer.read(slot, batch, 0);
                float id = batch.nextObservations()[0];
                boolean early = rowMaskIsAllValid(batch);
                if (early) {
                    before++;
                    assertThat(rowMask(batch, 0)).containsExactly(allValid);
                } else {
                    after++;
                    assertThat(rowMask(batch, 0)).containsExactly(maskOf(id, new boolean[ACTIONS], 0));
                }
            }
        }
        assertThat(before).isEqualTo(20);
        assertThat(after).isEqualTo(20);
    }

    private static boolean rowMaskIsAllValid(Batch batch) {
        for (boolean b : rowMask(batch, 0)) {
            if (!b) {
                return false;
            }
        }
        return true;
    }

    /** state()/restore() and saveState/restoreState bring the column back, and sampling continues identically. */
    @Test
    void masksSurviveStateRestoreAndCheckpoints() {
        ReplayBuffer original = filled(new ReplayBuffer(config(3)), 21, 250);
        ReplayBuffer.State saved = original.state().copy();
        ReplayBuffer viaState = new ReplayBuffer(config(3));
        viaState.restore(saved);
        StateWriter out = new StateWriter();
        original.saveState(out);
        ReplayBuffer viaCheckpoint = new ReplayBuffer(config(3));
        viaCheckpoint.restoreState(new StateReader(out.snapshot()));
        for (ReplayBuffer copy : new ReplayBuffer[] {viaState, viaCheckpoint}) {
            assertThat(copy.actionMaskSize()).isEqualTo(ACTIONS);
            assertThat(copy.state().actionMasks()).containsExactly(original.state().actionMasks());
        }
        String reference = sampleAfterMoreSteps(original);
        assertThat(sampleAfterMoreSteps(viaState)).isEqualTo(reference);
        assertThat(sampleAfterMoreSteps(viaCheckpoint)).isEqualTo(reference);

        // A state without masks drops the column of a masked buffer.
        ReplayBuffer unmasked = new ReplayBuffer(config(3));
        unmasked.addBatch(new double[] {1, 2}, new int[2], new double[2], new boolean[2], new boolean[2],
                new double[] {3, 4}, new boolean[2], new double[2]);
        viaState.restore(unmasked.state());
        assertThat(viaState.actionMaskSize()).isZero();
        assertThat(viaState.state().actionMasks()).isNull();
    }

    @Test
    void prioritizedBuffersCheckpointTheirMasks() {
        PrioritizedReplayBuffer original = (PrioritizedReplayBuffer) filled(new PrioritizedReplayBuffer(config(2)), 8, 200);
        StateWriter out = new StateWriter();
        original.saveState(out);
        PrioritizedReplayBuffer restored = new PrioritizedReplayBuffer(config(2));
        restored.restoreState(new StateReader(out.snapshot()));
        assertThat(restored.state().actionMasks()).containsExactly(original.state().actionMasks());
        PrioritizedReplayBuffer viaState = new PrioritizedReplayBuffer(config(2));
        viaState.restore(original.priorityState().copy());
        assertThat(viaState.state().actionMasks()).containsExactly(original.state().actionMasks());
        Batch a = original.newBatch(32);
        Batch b = restored.newBatch(32);
        original.sample(32, Rng.seeded(6), a);
        restored.sample(32, Rng.seeded(6), b);
        assertThat(b.nextActionMasks()).containsExactly(a.nextActionMasks());
    }

    @Test
    void badMasksAreRefusedAndChangeNothing() {
        ReplayBuffer buffer = filled(new ReplayBuffer(config(1)), 4, 20);
        ReplayBuffer.State before = buffer.state().copy();
        double[] obs = {1, 2};
        assertThatThrownBy(() -> buffer.addBatch(obs, new int[2], new double[2], new boolean[2], new boolean[2], obs,
                new boolean[2], obs, new boolean[ENVS * 6]))
                .hasMessageContaining("nextActionMasks per env has 6 actions, but this buffer stores action masks of 10");
        assertThatThrownBy(() -> buffer.addBatch(obs, new int[2], new double[2], new boolean[2], new boolean[2], obs,
                new boolean[2], obs, new boolean[3]))
                .hasMessageContaining("nextActionMasks has length 3, expected numEnvs (2) x actions per mask");
        assertThat(buffer.state().actionMasks()).containsExactly(before.actionMasks());
        assertThat(buffer.state().allocated()).containsExactly(before.allocated());

        byte[] masks = before.actionMasks().clone();
        masks[1] |= (byte) 0x80; // action 15 of a 10-action mask
        ReplayBuffer.State bad = new ReplayBuffer.State(before.config(), before.observations(), before.discreteActions(),
                null, before.rewards(), before.flags(), before.allocated(), before.pending(), before.openChain(),
                ACTIONS, masks);
        ReplayBuffer fresh = new ReplayBuffer(config(1));
        assertThatThrownBy(() -> fresh.restore(bad)).hasMessageContaining("marks actions beyond the 10");
        ReplayBuffer.State shortColumn = new ReplayBuffer.State(before.config(), before.observations(),
                before.discreteActions(), null, before.rewards(), before.flags(), before.allocated(), before.pending(),
                before.openChain(), ACTIONS, new byte[3]);
        assertThatThrownBy(() -> fresh.restore(shortColumn)).hasMessageContaining("actionMasks has length 3");
        assertThat(fresh.actionMaskSize()).isZero();
    }

    /** A masked Taxi-shaped buffer (1 observation number, 6 actions) stays within 1.1x of its raw bytes. */
    @Test
    void maskColumnIsOneByteForSixActions() {
        ReplayConfig taxi = new ReplayConfig(100_000, 1, ActionKind.DISCRETE, 1, 1, 1, 0.99);
        ReplayBuffer buffer = new ReplayBuffer(taxi);
        long unmasked = buffer.allocatedBytes();
        buffer.add(0, new double[] {1}, 0, -1, false, false, new double[] {2}, new boolean[] {true, true, false, true,
                false, false});
        assertThat(buffer.allocatedBytes() - unmasked).isEqualTo(16 + 100_000);
        long raw = 100_000L * (4 + 4 + 4 + 1);
        assertThat(buffer.allocatedBytes()).isLessThanOrEqualTo((long) (1.1 * raw));
    }

    /** Adds 30 more steps and samples; the same for two buffers of equal state. */
    private static String sampleAfterMoreSteps(ReplayBuffer buffer) {
        Feeder feeder = new Feeder(77);
        for (int i = 0; i < 30; i++) {
            feeder.step(buffer, true);
        }
        Batch batch = buffer.newBatch(40);
        buffer.sample(40, Rng.seeded(12), batch);
        return Arrays.toString(batch.nextObservations()) + Arrays.toString(batch.nextActionMasks())
                + Arrays.toString(batch.indices());
    }
}
