package dev.deepq.replay;

import static dev.deepq.replay.ReplayTestSupport.rowsById;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.deepq.random.Rng;
import dev.deepq.replay.ReplayTestSupport.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Random streams (several envs, episode ends of both kinds, cuts, many ring wrap-arounds) checked after every add
 * against a plain reference: an unbounded list of slot entries per env, no ring. It says which transitions must be
 * sampleable (the newest {@code L} slots of a stream survive; the window must be complete) and what their n-step
 * targets are. The buffer must report exactly that set with exactly those numbers.
 */
class ReplayReferenceModelTest {
    private static final int OBS = 3;

    /** One slot of the reference: an observation, plus the transition taken from it if there was one. */
    private static final class Entry {
        final double[] obs;
        boolean transition;
        int action;
        float reward;
        boolean terminated;
        boolean truncated;

        Entry(double[] obs) {
            this.obs = obs;
        }
    }

    private static final class Stream {
        final List<Entry> entries = new ArrayList<>();
        boolean live;

        void add(double[] obs, int action, float reward, boolean terminated, boolean truncated, double[] next) {
            Entry current = null;
            if (live) {
                Entry last = entries.get(entries.size() - 1);
                if (sameFloats(last.obs, obs)) {
                    current = last;
                }
            }
            if (current == null) {
                current = new Entry(obs);
                entries.add(current);
            }
            current.transition = true;
            current.action = action;
            current.reward = reward;
            current.terminated = terminated;
            current.truncated = truncated;
            entries.add(new Entry(next));
            live = !(terminated || truncated);
        }
    }

    private static boolean sameFloats(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits((float) a[i]) != Float.floatToRawIntBits((float) b[i])) {
                return false;
            }
        }
        return true;
    }

    private record Expected(float reward, float discount, float terminated, int steps, double[] next, int action) {}

    /** The reference's sampleable transitions, by observation id. */
    private static Map<Float, Expected> expected(Stream s, int streamCapacity, int n, double gamma) {
        double[] powers = new double[n + 1];
        powers[0] = 1;
        for (int k = 1; k <= n; k++) {
            powers[k] = powers[k - 1] * gamma;
        }
        Map<Float, Expected> out = new HashMap<>();
        int size = s.entries.size();
        for (int i = Math.max(0, size - streamCapacity); i < size; i++) {
            Entry start = s.entries.get(i);
            if (!start.transition) {
                continue;
            }
            double sum = 0;
            int m = 0;
            int j = i;
            boolean terminated = false;
            boolean complete = true;
            while (true) {
                Entry e = s.entries.get(j);
                sum += powers[m] * e.reward;
                m++;
                j++;
                if (e.terminated) {
                    terminated = true;
                    break;
                }
                if (e.truncated || m == n) {
                    break;
                }
                if (!s.entries.get(j).transition) {
                    complete = !(s.live && j == size - 1);
                    break;
                }
            }
            if (complete) {
                out.put((float) start.obs[0], new Expected((float) sum, terminated ? 0f : (float) powers[m],
                        terminated ? 1f : 0f, m, s.entries.get(j).obs, start.action));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "envs={0}, streamCapacity={1}, n={2}, prioritized={3}")
    @CsvSource({"1, 2, 1, false", "3, 7, 3, false", "2, 50, 5, false", "4, 4, 3, true", "2, 9, 1, true",
            "3, 13, 4, true"})
    void bufferMatchesTheReferenceAfterEveryAdd(int envs, int streamCapacity, int n, boolean prioritized) {
        double gamma = 0.9;
        ReplayConfig config = new ReplayConfig(envs * streamCapacity + (envs > 1 ? envs - 1 : 0), OBS,
                ActionKind.DISCRETE, 1, envs, n, gamma);
        ReplayBuffer buffer = prioritized ? new PrioritizedReplayBuffer(config) : new ReplayBuffer(config);
        assertThat(buffer.streamCapacity()).isEqualTo(streamCapacity);
        Stream[] streams = new Stream[envs];
        double[][] current = new double[envs][];
        Rng rng = Rng.seeded(42 + envs * 100 + streamCapacity);
        int[] nextId = {1};
        for (int e = 0; e < envs; e++) {
            streams[e] = new Stream();
            current[e] = observation(nextId, e, rng);
        }
        Batch sampled = buffer.newBatch(8);
        Rng sampler = Rng.seeded(7);
        for (int tick = 0; tick < 1500; tick++) {
            boolean batch = envs > 1 && rng.random() < 0.5;
            if (batch) {
                double[] obs = new double[envs * OBS];
                int[] actions = new int[envs];
                double[] rewards = new double[envs];
                boolean[] term = new boolean[envs];
                boolean[] trunc = new boolean[envs];
                double[] next = new double[envs * OBS];
                boolean[] hasFinal = new boolean[envs];
                double[] fin = new double[envs * OBS];
                for (int e = 0; e < envs; e++) {
                    System.arraycopy(current[e], 0, obs, e * OBS, OBS);
                    actions[e] = (int) (rng.nextLong() & 3);
                    rewards[e] = (float) rng.uniform(-5, 5);
                    term[e] = rng.random() < 0.08;
                    trunc[e] = rng.random() < 0.05;
                    hasFinal[e] = term[e] || trunc[e];
                    double[] nextObs = observation(nextId, e, rng);
                    double[] trueNext = nextObs;
                    if (hasFinal[e]) {
                        trueNext = observation(nextId, e, rng);
                        System.arraycopy(trueNext, 0, fin, e * OBS, OBS);
                    }
                    System.arraycopy(nextObs, 0, next, e * OBS, OBS);
                    streams[e].add(current[e], actions[e], (float) rewards[e], term[e], trunc[e], trueNext);
                    current[e] = nextObs;
                }
                buffer.addBatch(obs, actions, rewards, term, trunc, next, hasFinal, fin);
            } else {
                int e = (int) Long.remainderUnsigned(rng.nextLong(), envs);
                if (streams[e].live && rng.random() < 0.03) {
                    current[e] = observation(nextId, e, rng); // a cut: the caller reset the env by hand
                }
                int action = (int) (rng.nextLong() & 3);
                float reward = (float) rng.uniform(-5, 5);
                boolean term = rng.random() < 0.08;
                boolean trunc = rng.random() < 0.05;
                double[] next = observation(nextId, e, rng);
                buffer.add(e, current[e], action, reward, term, trunc, next);
                streams[e].add(current[e], action, reward, term, trunc, next);
                current[e] = (term || trunc) ? observation(nextId, e, rng) : next;
            }
            Map<Float, Expected> want = new HashMap<>();
            for (int e = 0; e < envs; e++) {
                want.putAll(expected(streams[e], streamCapacity, n, gamma));
            }
            Map<Float, Row> got = rowsById(buffer);
            if (!got.keySet().equals(want.keySet()) || buffer.size() != want.size()) {
                assertThat(got.keySet()).as("sampleable transitions after tick " + tick).isEqualTo(want.keySet());
                assertThat(buffer.size()).as("size after tick " + tick).isEqualTo(want.size());
            }
            for (Map.Entry<Float, Row> entry : got.entrySet()) {
                Row r = entry.getValue();
                Expected x = want.get(entry.getKey());
                boolean same = r.reward() == x.reward() && r.discount() == x.discount()
                        && r.terminated() == x.terminated() && r.steps() == x.steps()
                        && r.discreteAction()[0] == x.action()
                        && r.slot() / streamCapacity == (int) r.observation()[1];
                for (int i = 0; i < OBS; i++) {
                    same &= r.nextObservation()[i] == (float) x.next()[i];
                }
                if (!same) {
                    fail("transition " + entry.getKey() + " after tick " + tick + ": buffer " + r + " but expected "
                            + x + " (next " + Arrays.toString(x.next()) + ", next got "
                            + Arrays.toString(r.nextObservation()) + ")");
                }
            }
            if (prioritized) {
                PrioritizedReplayBuffer p = (PrioritizedReplayBuffer) buffer;
                SumTreeTest.assertTreesConsistent(p);
                if (buffer.size() >= sampled.capacity() && rng.random() < 0.3) {
                    p.sample(sampled.capacity(), sampler, 0.5, sampled);
                    float[] td = new float[sampled.capacity()];
                    for (int i = 0; i < td.length; i++) {
                        td[i] = (float) rng.uniform(-3, 3);
                    }
                    p.updatePriorities(sampled, td);
                    SumTreeTest.assertTreesConsistent(p);
                }
            } else if (buffer.size() > 0) {
                buffer.sample(Math.min(buffer.size(), sampled.capacity()), sampler, sampled);
                for (int i = 0; i < sampled.size(); i++) {
                    if (!buffer.isSampleable(sampled.indices()[i])) {
                        fail("sampled slot " + sampled.indices()[i] + " is not sampleable");
                    }
                }
            }
        }
    }

    /** A fresh observation: a unique id, the env, a random number. */
    private static double[] observation(int[] nextId, int env, Rng rng) {
        return new double[] {nextId[0]++, env, rng.uniform(-1, 1)};
    }
}
