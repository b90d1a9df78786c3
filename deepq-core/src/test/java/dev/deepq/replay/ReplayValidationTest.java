package dev.deepq.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.random.Rng;
import org.junit.jupiter.api.Test;

/** Clear errors at the boundary, and a failed call leaves the buffer as it was. */
class ReplayValidationTest {

    private static ReplayBuffer discrete(int envs) {
        return new ReplayBuffer(new ReplayConfig(40, 4, ActionKind.DISCRETE, 1, envs, 2, 0.99));
    }

    private static double[] obs(double v) {
        return new double[] {v, v, v, v};
    }

    @Test
    void singleAddChecksShapesAndValues() {
        ReplayBuffer b = discrete(2);
        assertThatThrownBy(() -> b.add(0, new double[3], 0, 1, false, false, obs(1)))
                .hasMessage("ReplayBuffer.add: observation has length 3, expected 4");
        assertThatThrownBy(() -> b.add(0, obs(0), 0, 1, false, false, new double[5]))
                .hasMessage("ReplayBuffer.add: nextObservation has length 5, expected 4");
        assertThatThrownBy(() -> b.add(2, obs(0), 0, 1, false, false, obs(1)))
                .hasMessageContaining("env 2 is not a stream of this buffer (valid: 0..1)");
        assertThatThrownBy(() -> b.add(1, obs(0), 0, Double.NaN, false, false, obs(1)))
                .hasMessageContaining("reward of env 1 is NaN");
        assertThatThrownBy(() -> b.add(0, obs(0), 0, Double.NEGATIVE_INFINITY, false, false, obs(1)))
                .hasMessageContaining("reward of env 0 is -Infinity");
        assertThatThrownBy(() -> b.add(0, obs(0), 0, 1e39, false, false, obs(1)))
                .hasMessageContaining("reward of env 0 is 1.0E39, which overflows float32");
        double[] bad = obs(0);
        bad[2] = Double.POSITIVE_INFINITY;
        assertThatThrownBy(() -> b.add(1, bad, 0, 1, false, false, obs(1)))
                .hasMessageContaining("observation of env 1, element 2, is Infinity");
        double[] badNext = obs(1);
        badNext[3] = Double.NaN;
        assertThatThrownBy(() -> b.add(0, obs(0), 0, 1, false, false, badNext))
                .hasMessageContaining("nextObservation of env 0, element 3, is NaN");
        assertThatThrownBy(() -> b.add(0, obs(0), new int[] {1, 2}, 1, false, false, obs(1)))
                .hasMessageContaining("action has length 2, expected 1");
        assertThatThrownBy(() -> b.add(0, obs(0), new double[] {0.5}, 1, false, false, obs(1)))
                .hasMessageContaining("double[] actions need a CONTINUOUS buffer");
        assertThat(b.state().allocated()).containsOnly(0L);
    }

    @Test
    void continuousActionsAreChecked() {
        ReplayBuffer b = new ReplayBuffer(ReplayConfig.of(10, 4, ActionKind.CONTINUOUS, 2, 0.9));
        assertThatThrownBy(() -> b.add(0, obs(0), new double[] {0.1, Double.NaN}, 1, false, false, obs(1)))
                .hasMessageContaining("action of env 0, element 1, is NaN");
        assertThatThrownBy(() -> b.add(0, obs(0), 1, 1, false, false, obs(1)))
                .hasMessageContaining("an int action fits a DISCRETE buffer of actionSize 1");
        b.add(0, obs(0), new double[] {0.1, -0.2}, 1, false, false, obs(1));
        assertThat(b.size()).isEqualTo(1);
    }

    @Test
    void addBatchChecksEveryArrayAndIsAllOrNothing() {
        ReplayBuffer b = discrete(3);
        double[] o = new double[12];
        double[] next = new double[12];
        double[] fin = new double[12];
        int[] actions = new int[3];
        double[] rewards = new double[3];
        boolean[] f = new boolean[3];
        b.addBatch(o, actions, rewards, f, f, next, f, fin);
        ReplayBuffer.State before = b.state().copy();

        assertThatThrownBy(() -> b.addBatch(o, new int[2], rewards, f, f, next, f, fin))
                .hasMessage("ReplayBuffer.addBatch: actions has length 2, expected 3");
        assertThatThrownBy(() -> b.addBatch(new double[11], actions, rewards, f, f, next, f, fin))
                .hasMessage("ReplayBuffer.addBatch: observations has length 11, expected 12");
        assertThatThrownBy(() -> b.addBatch(o, actions, rewards, new boolean[2], f, next, f, fin))
                .hasMessage("ReplayBuffer.addBatch: terminated has length 2, expected 3");
        assertThatThrownBy(() -> b.addBatch(o, actions, rewards, f, f, next, f, new double[4]))
                .hasMessage("ReplayBuffer.addBatch: finalObservations has length 4, expected 12");

        double[] badNext = next.clone();
        badNext[2 * 4 + 1] = Double.NaN;
        assertThatThrownBy(() -> b.addBatch(o, actions, rewards, f, f, badNext, f, fin))
                .hasMessageContaining("nextObservations of env 2, element 1, is NaN");
        boolean[] ended = {false, true, false};
        double[] badFinal = fin.clone();
        badFinal[4] = Double.POSITIVE_INFINITY;
        assertThatThrownBy(() -> b.addBatch(o, actions, rewards, f, ended, next, ended, badFinal))
                .hasMessageContaining("finalObservations of env 1, element 0, is Infinity");
        assertThatThrownBy(() -> b.addBatch(o, actions, rewards, f, ended, next, f, fin))
                .hasMessageContaining("env 1 has terminated=false, truncated=true but hasFinalObservation=false");
        assertThatThrownBy(() -> b.addBatch(o, actions, new double[] {0, 0, Double.NaN}, f, f, next, f, fin))
                .hasMessageContaining("reward of env 2 is NaN");

        ReplayBuffer.State after = b.state();
        assertThat(after.allocated()).containsExactly(before.allocated());
        assertThat(after.flags()).containsExactly(before.flags());
        assertThat(after.observations()).containsExactly(before.observations());

        // A final observation row is only read where an episode ended: NaN elsewhere is never looked at.
        double[] unusedFinal = fin.clone();
        unusedFinal[0] = Double.NaN;
        b.addBatch(o, actions, rewards, f, f, next, f, unusedFinal);
    }

    @Test
    void samplingRequestsAreChecked() {
        ReplayBuffer b = discrete(1);
        Batch batch = b.newBatch(8);
        assertThatThrownBy(() -> b.sample(1, Rng.seeded(0), batch))
                .hasMessageContaining("cannot sample 1 transitions: the buffer holds 0 sampleable");
        for (int t = 0; t < 4; t++) {
            b.add(0, obs(t), 0, 1, false, false, obs(t + 1));
        }
        assertThat(b.size()).isEqualTo(3);
        assertThatThrownBy(() -> b.sample(4, Rng.seeded(0), batch))
                .hasMessageContaining("cannot sample 4 transitions: the buffer holds 3 sampleable");
        assertThatThrownBy(() -> b.sample(9, Rng.seeded(0), batch))
                .hasMessageContaining("batch size must be in [1, 8]");
        assertThatThrownBy(() -> b.sample(0, Rng.seeded(0), batch)).hasMessageContaining("batch size must be in");
        Batch foreign = new ReplayBuffer(ReplayConfig.of(10, 3, ActionKind.DISCRETE, 1, 0.9)).newBatch(8);
        assertThatThrownBy(() -> b.sample(2, Rng.seeded(0), foreign)).hasMessageContaining("another buffer shape");
        assertThatThrownBy(() -> b.read(3, batch, 0)).hasMessage("slot 3 holds no sampleable transition");
        assertThatThrownBy(() -> b.read(40, batch, 0)).hasMessageContaining("slot 40 is outside the buffer");
        assertThatThrownBy(() -> b.newBatch(0)).hasMessageContaining("at least 1 row");
        b.sample(3, Rng.seeded(0), batch);
        assertThat(batch.size()).isEqualTo(3);
    }

    @Test
    void configIsChecked() {
        assertThatThrownBy(() -> new ReplayConfig(5, 4, ActionKind.DISCRETE, 1, 2, 3, 0.99))
                .hasMessageContaining("capacity 5 is too small for 2 env stream(s) with nStep 3")
                .hasMessageContaining("capacity must be >= 8");
        assertThatThrownBy(() -> ReplayConfig.of(10, 4, ActionKind.DISCRETE, 1, 1.5))
                .hasMessageContaining("gamma must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> ReplayConfig.of(10, 4, ActionKind.DISCRETE, 1, Double.NaN))
                .hasMessageContaining("gamma must be in [0, 1]");
        assertThatThrownBy(() -> ReplayConfig.of(10, 0, ActionKind.DISCRETE, 1, 0.9))
                .hasMessageContaining("observationSize must be > 0");
        assertThatThrownBy(() -> ReplayConfig.of(10, 4, ActionKind.DISCRETE, 1, 0.9).withNStep(0))
                .hasMessageContaining("nStep must be >= 1");
        assertThatThrownBy(() -> ReplayConfig.of(10, 4, ActionKind.DISCRETE, 1, 0.9).withNumEnvs(0))
                .hasMessageContaining("numEnvs must be > 0");
        assertThatThrownBy(() -> ReplayConfig.of(Integer.MAX_VALUE, 84, ActionKind.DISCRETE, 1, 0.9))
                .hasMessageContaining("exceeds the largest Java array");
        ReplayConfig odd = new ReplayConfig(10, 4, ActionKind.DISCRETE, 1, 3, 1, 0.9);
        assertThat(odd.streamCapacity()).isEqualTo(3);
        assertThat(new ReplayBuffer(odd).capacity()).as("the remainder of capacity / numEnvs is unused").isEqualTo(9);
    }

    @Test
    void actionKindFollowsTheSpace() {
        assertThat(ActionKind.of(new dev.deepq.env.spaces.Discrete(3))).isEqualTo(ActionKind.DISCRETE);
        assertThat(ActionKind.of(dev.deepq.env.spaces.Box.float32(new double[] {-1}, new double[] {1})))
                .isEqualTo(ActionKind.CONTINUOUS);
        ReplayConfig c = ReplayConfig.forSpaces(100, dev.deepq.env.Envs.make("CartPole-v1").observationSpace(),
                dev.deepq.env.Envs.make("CartPole-v1").actionSpace(), 0.99);
        assertThat(c.observationSize()).isEqualTo(4);
        assertThat(c.actionSize()).isEqualTo(1);
        assertThat(c.actionKind()).isEqualTo(ActionKind.DISCRETE);
    }
}
