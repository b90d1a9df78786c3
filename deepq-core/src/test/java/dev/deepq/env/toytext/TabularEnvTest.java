package dev.deepq.env.toytext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.random.Rng;
import org.junit.jupiter.api.Test;

class TabularEnvTest {
    /** A user-defined two-state chain: action 0 stays, action 1 moves to state 1 with probability 3/4. */
    static final class Chain extends TabularEnv {
        Chain(Transition[][][] table) {
            super(table, new double[] {1.0, 0.0}, false);
        }
    }

    private static Transition[][][] chain() {
        Transition stay0 = new Transition(1.0, 0, 0.0, false);
        Transition stay1 = new Transition(1.0, 1, 0.0, false);
        return new Transition[][][] {
            {{stay0}, {new Transition(0.0, 0, 0.0, false), new Transition(0.25, 0, 0.0, false), new Transition(0.75, 1, 1.0, true)}},
            {{stay1}, {stay1}}};
    }

    @Test
    void samplesTheFirstOutcomeWhoseRunningSumExceedsOneDraw() {
        Chain env = new Chain(chain());
        for (long seed = 0; seed < 50; seed++) {
            env.reset(seed);
            var r = env.step(1);
            Rng reference = Rng.seeded(seed);
            reference.random(); // the reset's draw
            double u = reference.random();
            int expected = u < 0.25 ? 0 : 1; // the zero-probability outcome is never chosen
            assertThat(r.discreteObservation()).as("seed %d, u=%s", seed, u).isEqualTo(expected);
            assertThat(r.info().get("prob")).isEqualTo(expected == 0 ? 0.25 : 0.75);
            assertThat(r.terminated()).isEqualTo(expected == 1);
        }
    }

    @Test
    void malformedTablesAreRejected() {
        Transition[][][] missing = chain();
        missing[1][0] = new Transition[0];
        assertThatThrownBy(() -> new Chain(missing)).hasMessageContaining("P[1][0] has no outcomes");
        Transition[][][] outside = chain();
        outside[0][0] = new Transition[] {new Transition(1.0, 2, 0.0, false)};
        assertThatThrownBy(() -> new Chain(outside)).hasMessageContaining("leads to state 2, outside 0..1");
        Transition[][][] ragged = chain();
        ragged[1] = new Transition[][] {{new Transition(1.0, 1, 0.0, false)}};
        assertThatThrownBy(() -> new Chain(ragged)).hasMessageContaining("row 1 has 1 actions but row 0 has 2");
    }

    @Test
    void setStateMovesTheObservationAndChecksTheRange() {
        Chain env = new Chain(chain());
        var r = env.reset(0);
        env.setState(1);
        assertThat(r.discreteObservation()).isEqualTo(1);
        assertThat(env.state()).isEqualTo(1);
        assertThatThrownBy(() -> env.setState(2)).hasMessageContaining("state 2 is outside 0..1");
        assertThatThrownBy(() -> env.transitions(0, 2)).hasMessageContaining("action 2 is outside 0..1");
    }
}
