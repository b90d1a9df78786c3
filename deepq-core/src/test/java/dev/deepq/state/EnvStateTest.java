package dev.deepq.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import dev.deepq.env.vector.SyncVectorEnv;
import dev.deepq.env.vector.ThreadedVectorEnv;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.wrappers.ClipAction;
import dev.deepq.env.wrappers.FrameStack;
import dev.deepq.env.wrappers.NormalizeObservation;
import dev.deepq.env.wrappers.NormalizeReward;
import dev.deepq.env.wrappers.RecordEpisodeStatistics;
import dev.deepq.env.wrappers.RescaleAction;
import dev.deepq.env.wrappers.TransformReward;
import dev.deepq.random.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Saving an env's state and restoring it into a freshly made env continues bit-identically. */
class EnvStateTest {
    private static final String TIME_KEY = RecordEpisodeStatistics.TIME_KEY;

    @ParameterizedTest
    @ValueSource(strings = {"CartPole-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Acrobot-v1", "Pendulum-v1",
            "FrozenLake-v1", "FrozenLake8x8-v1", "CliffWalking-v0", "Taxi-v3"})
    void everyBuiltInEnvResumesMidEpisode(String id) {
        for (int before : new int[] {0, 1, 7, 60}) {
            assertResumesIdentically(() -> Envs.make(id), before, 400);
        }
    }

    @Test
    void resumesRightAfterAnEpisodeEndedAndBeforeTheFirstReset() {
        Env a = Envs.make("CartPole-v1");
        a.reset(3);
        while (!a.lastResult().done()) {
            a.step(0);
        }
        Env b = restoredCopy(a, () -> Envs.make("CartPole-v1"));
        assertThatThrownBy(() -> b.step(0)).hasMessageContaining("after the episode ended");
        assertThat(b.reset().observation()).isEqualTo(a.reset().observation());

        Env fresh = Envs.make("Taxi-v3");
        Env copy = restoredCopy(fresh, () -> Envs.make("Taxi-v3"));
        assertThatThrownBy(() -> copy.step(0)).hasMessageContaining("before reset");
    }

    @Test
    void statefulWrappersResumeExactly() {
        List<Supplier<Env>> factories = List.of(
                () -> new NormalizeReward(new NormalizeObservation(Envs.make("CartPole-v1"))),
                () -> new RecordEpisodeStatistics(new FrameStack(Envs.make("CartPole-v1"), 3)),
                () -> new TransformReward(new ClipAction(Envs.make("Pendulum-v1")), r -> r / 10),
                () -> new RescaleAction(new NormalizeObservation(Envs.make("MountainCarContinuous-v0")), -1, 1),
                () -> new NormalizeObservation(new RecordEpisodeStatistics(Envs.make("FrozenLake-v1", Map.of("is_slippery", true)))));
        for (Supplier<Env> factory : factories) {
            assertResumesIdentically(factory, 37, 600);
        }
    }

    @Test
    void vectorEnvsResumeExactlyAndAcrossImplementations() {
        Supplier<VectorEnv> sync = () -> new SyncVectorEnv(List.of(Envs.make("CartPole-v1"), Envs.make("CartPole-v1"),
                Envs.make("CartPole-v1")));
        Supplier<VectorEnv> threaded = () -> new ThreadedVectorEnv(List.of(Envs.make("CartPole-v1"),
                Envs.make("CartPole-v1"), Envs.make("CartPole-v1")), 2);
        try (VectorEnv a = sync.get(); VectorEnv b = threaded.get()) {
            a.reset(5);
            Rng actions = Rng.seeded(1);
            int[] act = new int[3];
            for (int t = 0; t < 45; t++) {
                randomActions(actions, act);
                a.step(act);
            }
            StateWriter saved = new StateWriter();
            a.saveState(saved);
            b.restoreState(new StateReader(saved.snapshot()));
            assertThat(b.observations()).isEqualTo(a.observations());
            Rng actionsB = actions.copy();
            for (int t = 0; t < 300; t++) {
                randomActions(actions, act);
                a.step(act);
                randomActions(actionsB, act);
                b.step(act);
                assertThat(b.observations()).isEqualTo(a.observations());
                assertThat(b.rewards()).isEqualTo(a.rewards());
                assertThat(b.terminated()).isEqualTo(a.terminated());
                assertThat(b.truncated()).isEqualTo(a.truncated());
                assertThat(b.finalObservations()).isEqualTo(a.finalObservations());
            }
            StateWriter again = new StateWriter();
            a.saveState(again);
            StateWriter other = new StateWriter();
            b.saveState(other);
            assertThat(other.snapshot().firstDifference(again.snapshot())).isNull();
        }
    }

    @Test
    void anEnvWithoutCheckpointSupportSaysSo() {
        Env custom = new Env(new dev.deepq.env.spaces.Discrete(2), new dev.deepq.env.spaces.Discrete(2)) {
            @Override
            protected void resetEnv(boolean seeded, long seed) {}

            @Override
            protected void stepEnv(int action) {
                result.set(0, false, false);
            }
        };
        assertThatThrownBy(() -> custom.saveState(new StateWriter()))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("cannot be checkpointed mid-episode").hasMessageContaining("EnvStateTest");
    }

    @Test
    void aStateOfAnotherEnvIsRefusedWithItsName() {
        Env a = Envs.make("CartPole-v1");
        a.reset(0);
        StateWriter saved = new StateWriter();
        a.saveState(saved);
        assertThatThrownBy(() -> Envs.make("Acrobot-v1").restoreState(new StateReader(saved.snapshot())))
                .isInstanceOf(StateException.class).hasMessageContaining("state 'observation': has 4 elements, expected 6");
    }

    // ---- helpers ----

    private static void assertResumesIdentically(Supplier<Env> factory, int before, int after) {
        Env a = factory.get();
        a.reset(11);
        Rng actions = Rng.seeded(42);
        double[] act = new double[a.actionSpace().size()];
        for (int t = 0; t < before; t++) {
            randomStep(a, actions, act);
        }
        Env b = restoredCopy(a, factory);
        Rng actionsB = actions.copy();
        double[] actB = new double[act.length];
        for (int t = 0; t < after; t++) {
            StepResult ra = randomStep(a, actions, act);
            StepResult rb = randomStep(b, actionsB, actB);
            String at = a + " step " + t + " after resuming at " + before;
            assertThat(rb.observation()).as(at).isEqualTo(ra.observation());
            assertThat(Double.doubleToRawLongBits(rb.reward())).as(at).isEqualTo(Double.doubleToRawLongBits(ra.reward()));
            assertThat(rb.terminated()).as(at).isEqualTo(ra.terminated());
            assertThat(rb.truncated()).as(at).isEqualTo(ra.truncated());
            assertThat(withoutTime(rb.info().toMap())).as(at).isEqualTo(withoutTime(ra.info().toMap()));
            assertThat(rb.actionMask()).as(at).isEqualTo(ra.actionMask());
        }
    }

    private static Map<String, Double> withoutTime(Map<String, Double> info) {
        info.remove(TIME_KEY);
        return info;
    }

    private static Env restoredCopy(Env a, Supplier<Env> factory) {
        StateWriter saved = new StateWriter();
        a.saveState(saved);
        Env b = factory.get();
        b.restoreState(new StateReader(saved.snapshot()));
        StateWriter again = new StateWriter();
        b.saveState(again);
        List<String> differences = new ArrayList<>();
        for (String name : saved.snapshot().entries().keySet()) {
            if (!name.endsWith("episode_elapsed_nanos")
                    && !StateSnapshot.of(Map.of(name, saved.snapshot().get(name)))
                            .sameAs(StateSnapshot.of(Map.of(name, again.snapshot().get(name))))) {
                differences.add(name);
            }
        }
        assertThat(differences).as("state entries that changed by a save/restore round trip").isEmpty();
        return b;
    }

    private static StepResult randomStep(Env env, Rng actions, double[] act) {
        if (!env.isRunning()) {
            return env.reset();
        }
        env.actionSpace().sampleFlat(actions, act, 0);
        return env.stepFlat(act, 0);
    }

    private static void randomActions(Rng rng, int[] act) {
        for (int i = 0; i < act.length; i++) {
            act[i] = (int) rng.integers(2);
        }
    }
}
