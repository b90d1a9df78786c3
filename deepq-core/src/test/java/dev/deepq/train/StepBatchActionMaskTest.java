package dev.deepq.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.env.Envs;
import dev.deepq.env.toytext.Taxi;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.random.Rng;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The mask a learner gets with each next observation is that observation's own: for an episode that ended (here,
 * truncated by a short time limit), the final state's mask, which the vector env keeps before its same-step reset
 * overwrites the env's mask with the reset state's.
 */
class StepBatchActionMaskTest {
    private static final int ENVS = 3;

    private static boolean[] row(boolean[] flat, int i, int size) {
        return Arrays.copyOfRange(flat, i * size, (i + 1) * size);
    }

    @Test
    void nextMasksAreThoseOfTheNextObservationsIncludingFinalOnes() {
        for (int threads : new int[] {1, 2}) {
            VectorEnv env = VectorEnvs.make(i -> Envs.make("Taxi-v3", Map.of(), 4), ENVS, threads);
            assertThat(env.actionMaskSize()).isEqualTo(6);
            ActionBatch actions = new ActionBatch(env.singleActionSpace(), ENVS);
            StepBatch batch = new StepBatch(ENVS, env.observationSize(), env.actionMaskSize(), actions);
            env.reset(5);
            Rng rng = Rng.seeded(1);
            int ended = 0;
            int finalDiffersFromReset = 0;
            for (int t = 0; t < 400; t++) {
                batch.captureObservations(env);
                for (int i = 0; i < ENVS; i++) {
                    actions.discrete()[i] = (int) rng.integers(6);
                }
                actions.stepWith(env);
                batch.captureOutcome(env);
                for (int i = 0; i < ENVS; i++) {
                    int next = (int) batch.nextObservations()[i];
                    boolean[] mask = row(batch.nextActionMasks(), i, 6);
                    assertThat(mask).as("step %d env %d", t, i).containsExactly(Taxi.actionMask(next));
                    if (batch.terminated()[i] || batch.truncated()[i]) {
                        ended++;
                        assertThat(row(env.finalActionMasks(), i, 6)).containsExactly(mask);
                        boolean[] reset = env.actionMask(i);
                        assertThat(reset).containsExactly(Taxi.actionMask((int) env.observations()[i]));
                        finalDiffersFromReset += Arrays.equals(reset, mask) ? 0 : 1;
                    } else {
                        assertThat(row(env.finalActionMasks(), i, 6)).containsOnly(false);
                    }
                }
            }
            assertThat(ended).isGreaterThan(100);
            assertThat(finalDiffersFromReset).as("episodes whose final mask differs from the reset one").isGreaterThan(20);
            env.close();
        }
    }

    @Test
    void envsWithoutMasksCostNothing() {
        VectorEnv env = VectorEnvs.make("CartPole-v1", 2);
        assertThat(env.actionMaskSize()).isZero();
        assertThat(env.finalActionMasks()).isNull();
        StepBatch batch = new StepBatch(2, env.observationSize(), env.actionMaskSize(),
                new ActionBatch(env.singleActionSpace(), 2));
        env.reset(0);
        env.step(new int[] {0, 1});
        batch.captureOutcome(env);
        assertThat(batch.nextActionMasks()).isNull();
        assertThat(batch.actionMaskSize()).isZero();
    }

    /** A vector env's checkpoint holds the final masks of the last step, like its final observations. */
    @Test
    void finalMasksAreCheckpointed() {
        VectorEnv env = VectorEnvs.make(i -> Envs.make("Taxi-v3", Map.of(), 1), 2, 1);
        env.reset(3);
        env.step(new int[] {0, 1}); // a time limit of 1: both episodes are truncated on this step
        assertThat(env.truncated()).containsExactly(true, true);
        boolean[] finals = env.finalActionMasks().clone();
        assertThat(finals).contains(true);
        StateWriter out = new StateWriter();
        env.saveState(out);
        VectorEnv restored = VectorEnvs.make(i -> Envs.make("Taxi-v3", Map.of(), 1), 2, 1);
        restored.restoreState(new StateReader(out.snapshot()));
        assertThat(restored.finalActionMasks()).containsExactly(finals);
    }
}
