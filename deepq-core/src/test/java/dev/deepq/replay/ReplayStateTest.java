package dev.deepq.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.random.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Determinism under a seed, and state()/restore round trips that continue bit for bit. */
class ReplayStateTest {
    private static final int OBS = 3;
    private static final int ENVS = 2;

    /** A deterministic stream of vector-env steps. */
    private static final class Feeder {
        private final Rng rng;
        private final double[] obs = new double[ENVS * OBS];

        Feeder(long seed) {
            rng = Rng.seeded(seed);
            rng.uniform(-1, 1, obs);
        }

        void step(ReplayBuffer buffer) {
            int[] actions = new int[ENVS];
            double[] rewards = new double[ENVS];
            boolean[] term = new boolean[ENVS];
            boolean[] trunc = new boolean[ENVS];
            double[] next = new double[ENVS * OBS];
            double[] fin = new double[ENVS * OBS];
            boolean[] hasFinal = new boolean[ENVS];
            rng.uniform(-1, 1, next);
            rng.uniform(-1, 1, fin);
            for (int e = 0; e < ENVS; e++) {
                actions[e] = (int) (rng.nextLong() & 3);
                rewards[e] = rng.uniform(-1, 2);
                term[e] = rng.random() < 0.05;
                trunc[e] = rng.random() < 0.03;
                hasFinal[e] = term[e] || trunc[e];
            }
            buffer.addBatch(obs, actions, rewards, term, trunc, next, hasFinal, fin);
            System.arraycopy(next, 0, obs, 0, obs.length);
        }
    }

    private static ReplayConfig config() {
        return new ReplayConfig(2 * 150, OBS, ActionKind.DISCRETE, 1, ENVS, 3, 0.97);
    }

    /** Everything a batch holds, as one comparable list. */
    private static List<String> contents(Batch b) {
        List<String> out = new ArrayList<>();
        out.add(Arrays.toString(Arrays.copyOf(b.indices(), b.size())));
        out.add(Arrays.toString(b.observations()));
        out.add(Arrays.toString(b.nextObservations()));
        out.add(Arrays.toString(b.discreteActions()));
        out.add(Arrays.toString(b.rewards()));
        out.add(Arrays.toString(b.discounts()));
        out.add(Arrays.toString(b.terminated()));
        out.add(Arrays.toString(b.steps()));
        out.add(Arrays.toString(b.weights()));
        return out;
    }

    private static void assertSameState(ReplayBuffer.State a, ReplayBuffer.State b) {
        assertThat(b.config()).isEqualTo(a.config());
        assertThat(b.observations()).containsExactly(a.observations());
        assertThat(b.discreteActions()).containsExactly(a.discreteActions());
        assertThat(b.rewards()).containsExactly(a.rewards());
        assertThat(b.flags()).containsExactly(a.flags());
        assertThat(b.allocated()).containsExactly(a.allocated());
        assertThat(b.pending()).containsExactly(a.pending());
        assertThat(b.openChain()).containsExactly(a.openChain());
    }

    @Test
    void sameSeedsGiveIdenticalBuffersAndSamples() {
        ReplayBuffer a = new ReplayBuffer(config());
        ReplayBuffer b = new ReplayBuffer(config());
        Feeder fa = new Feeder(3);
        Feeder fb = new Feeder(3);
        for (int t = 0; t < 400; t++) {
            fa.step(a);
            fb.step(b);
        }
        assertSameState(a.state(), b.state());
        Batch x = a.newBatch(64);
        Batch y = b.newBatch(64);
        Rng ra = Rng.seeded(9);
        Rng rb = Rng.seeded(9);
        for (int k = 0; k < 10; k++) {
            a.sample(64, ra, x);
            b.sample(64, rb, y);
            assertThat(contents(y)).isEqualTo(contents(x));
        }
    }

    @Test
    void uniformRoundTripContinuesIdentically() {
        ReplayBuffer original = new ReplayBuffer(config());
        Feeder feeder = new Feeder(4);
        for (int t = 0; t < 500; t++) {
            feeder.step(original);
        }
        Rng rng = Rng.seeded(5);
        Batch batch = original.newBatch(32);
        original.sample(32, rng, batch);

        ReplayBuffer.State saved = original.state().copy();
        long[] rngSaved = rng.state();
        Feeder feederCopy = new Feeder(4);
        ReplayBuffer scratch = new ReplayBuffer(config());
        for (int t = 0; t < 500; t++) {
            feederCopy.step(scratch); // advance the copy's stream of steps to the same point
        }

        List<List<String>> expected = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            feeder.step(original);
            original.sample(32, rng, batch);
            expected.add(contents(batch));
        }

        ReplayBuffer restored = new ReplayBuffer(config());
        restored.restore(saved);
        assertThat(restored.size()).isEqualTo(countSampleable(saved));
        Rng rng2 = Rng.fromState(rngSaved);
        Batch batch2 = restored.newBatch(32);
        for (int k = 0; k < 20; k++) {
            feederCopy.step(restored);
            restored.sample(32, rng2, batch2);
            assertThat(contents(batch2)).as("batch " + k + " after restore").isEqualTo(expected.get(k));
        }
        assertSameState(original.state(), restored.state());
    }

    @Test
    void prioritizedRoundTripContinuesIdentically() {
        PrioritizedReplayBuffer original = new PrioritizedReplayBuffer(config());
        Feeder feeder = new Feeder(6);
        Rng rng = Rng.seeded(7);
        Batch batch = original.newBatch(32);
        float[] td = new float[32];
        for (int t = 0; t < 400; t++) {
            feeder.step(original);
            if (original.size() >= 32) {
                original.sample(32, rng, 0.5, batch);
                for (int i = 0; i < 32; i++) {
                    td[i] = batch.rewards()[i] * (i % 5);
                }
                original.updatePriorities(batch, td);
            }
        }
        original.setBeta(0.55);
        PrioritizedReplayBuffer.PriorityState saved = original.priorityState().copy();
        long[] rngSaved = rng.state();
        Feeder feederCopy = new Feeder(6);
        ReplayBuffer scratch = new ReplayBuffer(config());
        for (int t = 0; t < 400; t++) {
            feederCopy.step(scratch);
        }

        List<List<String>> expected = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            feeder.step(original);
            original.sample(32, rng, batch);
            expected.add(contents(batch));
            for (int i = 0; i < 32; i++) {
                td[i] = batch.rewards()[i] - i * 0.1f;
            }
            original.updatePriorities(batch, td);
        }

        PrioritizedReplayBuffer restored = new PrioritizedReplayBuffer(config());
        restored.restore(saved);
        assertThat(restored.beta()).isEqualTo(0.55);
        assertThat(restored.maxPriority()).isEqualTo(saved.maxPriority());
        Rng rng2 = Rng.fromState(rngSaved);
        Batch batch2 = restored.newBatch(32);
        for (int k = 0; k < 20; k++) {
            feederCopy.step(restored);
            restored.sample(32, rng2, batch2);
            assertThat(contents(batch2)).as("batch " + k + " after restore").isEqualTo(expected.get(k));
            for (int i = 0; i < 32; i++) {
                td[i] = batch2.rewards()[i] - i * 0.1f;
            }
            restored.updatePriorities(batch2, td);
        }
        assertSameState(original.state(), restored.state());
        assertThat(restored.sumTree().nodes()).containsExactly(original.sumTree().nodes());
        assertThat(restored.minTree().nodes()).containsExactly(original.minTree().nodes());
        assertThat(restored.maxPriority()).isEqualTo(original.maxPriority());
        SumTreeTest.assertTreesConsistent(restored);
    }

    @Test
    void restoreRejectsForeignOrInconsistentStates() {
        ReplayBuffer buffer = new ReplayBuffer(config());
        Feeder feeder = new Feeder(1);
        for (int t = 0; t < 50; t++) {
            feeder.step(buffer);
        }
        ReplayBuffer.State good = buffer.state().copy();

        ReplayBuffer other = new ReplayBuffer(config().withNStep(2));
        assertThatThrownBy(() -> other.restore(good)).hasMessageContaining("cannot restore a replay state of");

        ReplayBuffer.State badFlags = good.copy();
        badFlags.flags()[7] = ReplayBuffer.SAMPLEABLE; // sampleable but not a transition
        assertThatThrownBy(() -> buffer.restore(badFlags)).hasMessageContaining("flags[7]");

        ReplayBuffer.State badChain = good.copy();
        badChain.openChain()[1] = 3;
        assertThatThrownBy(() -> buffer.restore(badChain)).hasMessageContaining("env stream 1");
        assertSameState(buffer.state(), good);

        PrioritizedReplayBuffer p = new PrioritizedReplayBuffer(config());
        assertThatThrownBy(() -> p.restore(good)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("PriorityState");
        PrioritizedReplayBuffer source = new PrioritizedReplayBuffer(config());
        Feeder f2 = new Feeder(1);
        for (int t = 0; t < 50; t++) {
            f2.step(source);
        }
        PrioritizedReplayBuffer.PriorityState ps = source.priorityState().copy();
        int sampleableSlot = 0;
        while (!source.isSampleable(sampleableSlot)) {
            sampleableSlot++;
        }
        ps.priorities()[sampleableSlot] = 0;
        int slot = sampleableSlot;
        assertThatThrownBy(() -> p.restore(ps)).hasMessageContaining("priority of slot " + slot);
        PrioritizedReplayBuffer otherAlpha = new PrioritizedReplayBuffer(config(), 0.7, 1e-6);
        assertThatThrownBy(() -> otherAlpha.restore(source.priorityState())).hasMessageContaining("alpha=0.6");
    }

    private static int countSampleable(ReplayBuffer.State s) {
        int n = 0;
        for (byte f : s.flags()) {
            if ((f & ReplayBuffer.SAMPLEABLE) != 0) {
                n++;
            }
        }
        return n;
    }
}
