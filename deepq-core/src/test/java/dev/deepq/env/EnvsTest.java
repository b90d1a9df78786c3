package dev.deepq.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.env.spaces.Discrete;
import dev.deepq.env.wrappers.TimeLimit;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvsTest {

    @Test
    void makeAppliesTheRegisteredTimeLimitAndSpec() {
        Env env = Envs.make("CartPole-v1");
        assertThat(env).isInstanceOf(TimeLimit.class);
        assertThat(((TimeLimit) env).maxEpisodeSteps()).isEqualTo(500);
        assertThat(env.spec().rewardThreshold()).isEqualTo(475.0);
        assertThat(env.id()).isEqualTo("CartPole-v1");
        assertThat(env.unwrapped().id()).isEqualTo("CartPole-v1");
    }

    @Test
    void maxEpisodeStepsCanBeOverridden() {
        Env env = Envs.make("CartPole-v1", Map.of(), 3);
        env.reset(0);
        env.step(0);
        env.step(1);
        StepResult r = env.step(0);
        assertThat(r.truncated()).isTrue();
        assertThat(env.spec().maxEpisodeSteps()).isEqualTo(3);
    }

    @Test
    void unknownIdListsCloseMatches() {
        assertThatThrownBy(() -> Envs.make("CartPole-v0"))
                .isInstanceOf(UnknownEnvException.class)
                .hasMessageContaining("unknown environment id 'CartPole-v0'")
                .hasMessageContaining("did you mean CartPole-v1");
        assertThatThrownBy(() -> Envs.make("cartpole-v1")).hasMessageContaining("CartPole-v1");
        UnknownEnvException e = org.junit.jupiter.api.Assertions.assertThrows(UnknownEnvException.class,
                () -> Envs.make("Zzzzzzzzzzzzzzzzzz-v9"));
        assertThat(e.suggestions()).isEmpty();
    }

    @Test
    void unknownOptionIsAnErrorListingValidOnes() {
        assertThatThrownBy(() -> Envs.make("CartPole-v1", Map.of("gravity", 3)))
                .hasMessage("CartPole-v1 does not take option 'gravity'; it takes no options");
    }

    /** A user env with one option, registered at run time. */
    static final class Coin extends Env {
        private final int sides;

        Coin(int sides) {
            super(new Discrete(sides), new Discrete(1));
            this.sides = sides;
        }

        @Override
        protected void resetEnv(boolean seeded, long seed) {
            observation[0] = (int) (rng().random() * sides);
        }

        @Override
        protected void stepEnv(int action) {
            observation[0] = (int) (rng().random() * sides);
            result.set(observation[0], true, false);
        }
    }

    @Test
    void usersRegisterTheirOwnEnvsWithOptions() {
        Envs.register(new EnvSpec("Coin-v0", o -> new Coin(o.getInt("sides")), 10, null, Map.of("sides", 2), "a coin"));
        try {
            Env env = Envs.make("Coin-v0", Map.of("sides", "6"));
            assertThat(env.observationSpace()).isEqualTo(new Discrete(6));
            assertThat(Envs.ids()).contains("Coin-v0");
            assertThatThrownBy(() -> Envs.make("Coin-v0", Map.of("sides", "six")))
                    .hasMessage("Coin-v0: option 'sides' must be an integer, got 'six'");
            assertThatThrownBy(() -> Envs.register(EnvSpec.of("Coin-v0", o -> new Coin(2), null, null)))
                    .hasMessageContaining("already registered");
        } finally {
            Envs.unregister("Coin-v0");
        }
    }
}
