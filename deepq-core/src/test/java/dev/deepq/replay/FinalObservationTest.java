package dev.deepq.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import dev.deepq.random.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real CartPole envs stepped as a vector env with Gymnasium 0.29's same-step autoreset: when an episode ends, the
 * observation handed back is already the next episode's first and the final one comes separately. The buffer must
 * give every transition back with its true next observation, the final one included.
 */
class FinalObservationTest {
    private static final int ENVS = 2;
    private static final int OBS = 4;

    private record Step(float[] obs, int action, float reward, boolean terminated, boolean truncated, float[] next) {}

    @Test
    void finalObservationsOfTerminatedAndTruncatedEpisodesComeBack() {
        ReplayBuffer buffer = new ReplayBuffer(new ReplayConfig(2 * 2000, OBS, ActionKind.DISCRETE, 1, ENVS, 1, 0.99));
        List<List<Step>> reference = run(buffer, 600);

        int transitions = reference.get(0).size() + reference.get(1).size();
        long terminations = reference.stream().flatMap(List::stream).filter(Step::terminated).count();
        long truncations = reference.stream().flatMap(List::stream).filter(Step::truncated).count();
        assertThat(terminations).as("the run has terminations").isGreaterThan(5);
        assertThat(truncations).as("the run has time-limit truncations").isGreaterThan(5);
        assertThat(buffer.size()).as("with n = 1 every transition is sampleable").isEqualTo(transitions);

        // Every slot of a stream, in order: each transition is followed by its next observation, which is the final
        // observation when the episode ended there and the next transition's start otherwise.
        Batch one = buffer.newBatch(1);
        for (int e = 0; e < ENVS; e++) {
            List<Step> steps = reference.get(e);
            int slot = e * buffer.streamCapacity();
            for (Step step : steps) {
                assertThat(buffer.isSampleable(slot)).isTrue();
                buffer.read(slot, one, 0);
                ReplayTestSupport.Row row = ReplayTestSupport.row(one, 0);
                assertThat(row.observation()).containsExactly(step.obs());
                assertThat(row.nextObservation()).containsExactly(step.next());
                assertThat(row.discreteAction()).containsExactly(step.action());
                assertThat(row.reward()).isEqualTo(step.reward());
                assertThat(row.terminated()).isEqualTo(step.terminated() ? 1f : 0f);
                assertThat(row.discount()).isEqualTo(step.terminated() ? 0f : 0.99f);
                boolean ended = step.terminated() || step.truncated();
                // An ended episode's final observation takes the next slot, never sampled as a start.
                slot += ended ? 2 : 1;
                if (ended) {
                    assertThat(buffer.isSampleable(slot - 1)).isFalse();
                }
            }
        }
    }

    @Test
    void nStepWindowsOverRealEpisodesBootstrapFromFinalObservationsOnlyAfterTruncation() {
        int n = 3;
        ReplayBuffer buffer = new ReplayBuffer(new ReplayConfig(2 * 2000, OBS, ActionKind.DISCRETE, 1, ENVS, n, 0.99));
        List<List<Step>> reference = run(buffer, 400);
        Map<Float, ReplayTestSupport.Row> rows = ReplayTestSupport.rowsById(buffer);
        int checked = 0;
        for (List<Step> steps : reference) {
            for (int t = 0; t < steps.size(); t++) {
                double sum = 0;
                double g = 1;
                int m = 0;
                Step last;
                do {
                    last = steps.get(t + m);
                    sum += g * last.reward();
                    g *= 0.99;
                    m++;
                } while (m < n && !last.terminated() && !last.truncated() && t + m < steps.size());
                boolean ended = last.terminated() || last.truncated();
                if (m < n && !ended) {
                    continue; // the newest transitions of a live episode wait for their window
                }
                ReplayTestSupport.Row row = rows.get(steps.get(t).obs()[0]);
                assertThat(row).as("transition %d", t).isNotNull();
                assertThat(row.reward()).isEqualTo((float) sum);
                assertThat(row.steps()).isEqualTo(m);
                assertThat(row.nextObservation()).containsExactly(last.next());
                assertThat(row.discount()).isEqualTo(last.terminated() ? 0f : (float) g);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(buffer.size()).isGreaterThan(500);
    }

    /** Steps two CartPoles (the second with a short time limit) with random actions; returns what really happened. */
    private static List<List<Step>> run(ReplayBuffer buffer, int ticks) {
        Env[] envs = {Envs.make("CartPole-v1", Map.of(), 500), Envs.make("CartPole-v1", Map.of(), 12)};
        double[] obs = new double[ENVS * OBS];
        for (int e = 0; e < ENVS; e++) {
            System.arraycopy(envs[e].reset(10 + e).observation(), 0, obs, e * OBS, OBS);
        }
        int[] actions = new int[ENVS];
        double[] rewards = new double[ENVS];
        boolean[] term = new boolean[ENVS];
        boolean[] trunc = new boolean[ENVS];
        double[] next = new double[ENVS * OBS];
        boolean[] hasFinal = new boolean[ENVS];
        double[] fin = new double[ENVS * OBS];
        List<List<Step>> reference = List.of(new ArrayList<>(), new ArrayList<>());
        Rng rng = Rng.seeded(5);
        for (int tick = 0; tick < ticks; tick++) {
            for (int e = 0; e < ENVS; e++) {
                actions[e] = (int) (rng.nextLong() & 1);
                StepResult r = envs[e].step(actions[e]);
                rewards[e] = r.reward();
                term[e] = r.terminated();
                trunc[e] = r.truncated();
                hasFinal[e] = r.done();
                float[] trueNext = floats(r.observation(), 0);
                if (r.done()) {
                    System.arraycopy(r.observation(), 0, fin, e * OBS, OBS);
                    r = envs[e].reset();
                }
                System.arraycopy(r.observation(), 0, next, e * OBS, OBS);
                reference.get(e).add(new Step(floats(obs, e * OBS), actions[e], (float) rewards[e], term[e],
                        trunc[e], trueNext));
            }
            buffer.addBatch(obs, actions, rewards, term, trunc, next, hasFinal, fin);
            System.arraycopy(next, 0, obs, 0, obs.length);
        }
        return reference;
    }

    private static float[] floats(double[] values, int offset) {
        float[] out = new float[OBS];
        for (int i = 0; i < OBS; i++) {
            out[i] = (float) values[offset + i];
        }
        return out;
    }
}
