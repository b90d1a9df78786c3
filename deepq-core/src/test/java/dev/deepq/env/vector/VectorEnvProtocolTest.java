package dev.deepq.env.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.classic.CartPole;
import dev.deepq.env.spaces.Discrete;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Misuse, failures inside envs, and closing. */
class VectorEnvProtocolTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void stepBeforeResetAndBadActionsAreClearErrors(int threads) {
        try (VectorEnv v = VectorEnvs.make("CartPole-v1", java.util.Map.of(), 3, threads)) {
            assertThatThrownBy(() -> v.step(new int[] {0, 0, 0})).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("CartPole-v1").hasMessageContaining("before reset()");
            v.reset(0);
            assertThatThrownBy(() -> v.step(new int[] {0, 1})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("got 2 actions").hasMessageContaining("3 envs").hasMessageContaining("need 3");
            assertThatThrownBy(() -> v.step(new int[] {0, 1, 2})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("action 2 for env 2").hasMessageContaining("Discrete(2)");
            assertThatThrownBy(() -> v.step(new double[] {0, 1, 0})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs a Box action space").hasMessageContaining("use step(int[])");
            assertThatThrownBy(() -> v.reset(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("seed");
            assertThatThrownBy(() -> v.info(3)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("[0, 3)");
            v.step(new int[] {0, 1, 1}); // still usable after rejected calls
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void anExceptionInAnEnvReachesTheCallerWithItsIndex(int threads) {
        List<Env> envs = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CountingEnv env = new CountingEnv(new Discrete(3), 100);
            envs.add(i == 3 ? env.failingAtStep(2) : env);
        }
        try (VectorEnv v = threads == 1 ? new SyncVectorEnv(envs) : new ThreadedVectorEnv(envs, threads)) {
            v.reset(0);
            v.step(new int[] {0, 0, 0, 0, 0});
            assertThatThrownBy(() -> v.step(new int[] {0, 0, 0, 0, 0}))
                    .isInstanceOfSatisfying(VectorEnvException.class, e -> assertThat(e.envIndex()).isEqualTo(3))
                    .hasMessageContaining("env 3").hasMessageContaining("step()")
                    .hasMessageContaining("failure injected")
                    .hasCauseInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> v.step(new int[] {0, 0, 0, 0, 0})).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("after env 3 failed").hasMessageContaining("reset()");
            v.reset(1); // the failure was one-off: the vector env works again after a reset
            v.step(new int[] {1, 1, 1, 1, 1});
            assertThat(v.rewards()).containsExactly(2, 2, 2, 2, 2);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void closeClosesEnvsStopsThreadsAndEndsUse(int threads) throws InterruptedException {
        VectorEnv v = VectorEnvs.make("CartPole-v1", java.util.Map.of(), 4, threads);
        v.reset(0);
        v.step(new int[] {0, 1, 0, 1});
        Thread[] workers = v instanceof ThreadedVectorEnv t ? t.workerThreads() : new Thread[0];
        assertThat(workers).hasSize(threads - 1);
        for (Thread w : workers) {
            assertThat(w.isAlive()).isTrue();
            assertThat(w.isDaemon()).isTrue();
        }
        v.close();
        assertThat(v.isClosed()).isTrue();
        for (int i = 0; i < 4; i++) {
            assertThat(v.env(i).isClosed()).isTrue();
        }
        for (Thread w : workers) {
            w.join(5000);
            assertThat(w.isAlive()).as(w.getName()).isFalse();
        }
        assertThatThrownBy(() -> v.step(new int[] {0, 0, 0, 0})).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after close()");
        assertThatThrownBy(() -> v.reset(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after close()");
        v.close(); // closing twice is fine
    }

    @Test
    void envsMustBeDistinctWithEqualSpaces() {
        CartPole shared = new CartPole();
        assertThatThrownBy(() -> new SyncVectorEnv(List.of(shared, shared))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("envs 0 and 1 are the same instance");
        Env other = new CountingEnv(new Discrete(2), 5);
        assertThatThrownBy(() -> new SyncVectorEnv(List.of(new CartPole(), other)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("env 1 has observation space");
        assertThatThrownBy(() -> new SyncVectorEnv(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ThreadedVectorEnv(List.of(new CartPole()), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
        assertThatThrownBy(() -> VectorEnvs.make("CartPole-v1", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("numEnvs");
    }

    @Test
    void aFailedFactoryClosesTheEnvsMadeSoFar() {
        List<Env> made = new java.util.ArrayList<>();
        assertThatThrownBy(() -> VectorEnvs.make(i -> {
            if (i == 2) {
                throw new IllegalStateException("cannot make env 2");
            }
            Env env = Envs.make("CartPole-v1");
            made.add(env);
            return env;
        }, 4, 1)).hasMessageContaining("cannot make env 2");
        assertThat(made).hasSize(2).allMatch(Env::isClosed);
    }
}
