package dev.deepq.env.toytext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import org.junit.jupiter.api.Test;

class TaxiTest {
    private static final String END = "\u001b[0m";

    @Test
    void encodeAndDecodeAreInverse() {
        int expected = 0;
        for (int row = 0; row < 5; row++) {
            for (int col = 0; col < 5; col++) {
                for (int pass = 0; pass < 5; pass++) {
                    for (int dest = 0; dest < 4; dest++) {
                        int state = Taxi.encode(row, col, pass, dest);
                        assertThat(state).isEqualTo(expected++);
                        assertThat(Taxi.decode(state)).isEqualTo(new Taxi.Decoded(row, col, pass, dest));
                    }
                }
            }
        }
        assertThat(expected).isEqualTo(Taxi.STATE_COUNT);
        assertThat(Taxi.encode(3, 0, 3, 2)).isEqualTo(314);
    }

    @Test
    void encodeAndDecodeRejectOutOfRangeValues() {
        assertThatThrownBy(() -> Taxi.encode(5, 0, 0, 0)).hasMessageContaining("(5, 0, 0, 0)");
        assertThatThrownBy(() -> Taxi.encode(0, 0, 5, 0)).hasMessageContaining("passenger location in 0..4");
        assertThatThrownBy(() -> Taxi.encode(0, 0, 0, 4)).hasMessageContaining("destination in 0..3");
        assertThatThrownBy(() -> Taxi.decode(500)).hasMessageContaining("0..499");
        assertThatThrownBy(() -> Taxi.actionMask(-1)).hasMessageContaining("0..499");
    }

    @Test
    void actionMaskMarksExactlyTheActionsThatChangeTheState() {
        Taxi env = new Taxi();
        for (int s = 0; s < Taxi.STATE_COUNT; s++) {
            boolean[] mask = Taxi.actionMask(s);
            for (int a = 0; a < Taxi.ACTION_COUNT; a++) {
                assertThat(mask[a]).as("state %d action %d", s, a).isEqualTo(env.transitions(s, a).get(0).nextState() != s);
            }
        }
    }

    @Test
    void rewardsAndTheMaskFollowThePassenger() {
        Taxi env = new Taxi();
        StepResult r = env.reset(0);
        env.setState(Taxi.encode(0, 0, 0, 1)); // at R with the passenger waiting there, going to G
        assertThat(r.actionMask()).containsExactly(true, false, true, false, true, false);
        assertThat(Taxi.actionMask(env.state())).containsExactly(true, false, true, false, true, false);
        r = env.step(Taxi.DROPOFF);
        assertThat(r.reward()).isEqualTo(-10.0);
        r = env.step(Taxi.PICKUP);
        assertThat(r.reward()).isEqualTo(-1.0);
        assertThat(Taxi.decode(r.discreteObservation()).passengerLocation()).isEqualTo(Taxi.IN_TAXI);
        assertThat(r.actionMask()).containsExactly(true, false, true, false, false, true);
        assertThat(r.info().get("prob")).isEqualTo(1.0);
        env.setState(Taxi.encode(0, 4, Taxi.IN_TAXI, 1)); // at G with the passenger aboard
        r = env.step(Taxi.DROPOFF);
        assertThat(r.reward()).isEqualTo(20.0);
        assertThat(r.terminated()).isTrue();
        assertThat(r.discreteObservation()).isEqualTo(Taxi.encode(0, 4, 1, 1));
    }

    @Test
    void registrationHasGymnasiumsLimitAndThreshold() {
        Env env = Envs.make("Taxi-v3");
        assertThat(env.spec().maxEpisodeSteps()).isEqualTo(200);
        assertThat(env.spec().rewardThreshold()).isEqualTo(8.0);
        assertThat(env.unwrapped()).isInstanceOf(Taxi.class);
        assertThat(env.reset(0).hasActionMask()).isTrue();
    }

    @Test
    void rendersLikeGymnasiumsAnsiMode() {
        Env env = Envs.make("Taxi-v3");
        Taxi taxi = (Taxi) env.unwrapped();
        env.reset(0); // state 314: taxi at (3, 0), passenger at B, destination Y
        assertThat(taxi.state()).isEqualTo(314);
        assertThat(env.renderText()).isEqualTo(String.join("\n",
                "+---------+",
                "|R: | : :G|",
                "| : | : : |",
                "| : : : : |",
                "|\u001b[43m " + END + "| : | : |",
                "|\u001b[35mY" + END + "| : |\u001b[34;1mB" + END + ": |",
                "+---------+",
                "",
                ""));

        // taxi and waiting passenger on the same stand: the colors nest as Gymnasium applies them
        taxi.setState(Taxi.encode(0, 0, 0, 1));
        String pickedUpRow = "|\u001b[42mR" + END + ": | : :\u001b[35mG" + END + "|";
        assertThat(env.renderText().split("\n", -1)[1])
                .isEqualTo("|\u001b[34;1m\u001b[43mR" + END + END + ": | : :\u001b[35mG" + END + "|");
        env.step(Taxi.PICKUP);
        assertThat(env.renderText()).isEqualTo(String.join("\n",
                "+---------+",
                pickedUpRow,
                "| : | : : |",
                "| : : : : |",
                "| | : | : |",
                "|Y| : |B: |",
                "+---------+",
                "  (Pickup)",
                ""));

        // passenger aboard on an open cell: the cell's space is drawn as '_'
        env.step(Taxi.SOUTH);
        env.step(Taxi.SOUTH);
        env.step(Taxi.EAST);
        assertThat(env.renderText().split("\n", -1)[3]).isEqualTo("| :\u001b[42m_" + END + ": : : |");
        assertThat(env.renderText()).endsWith("  (East)\n");
    }
}
