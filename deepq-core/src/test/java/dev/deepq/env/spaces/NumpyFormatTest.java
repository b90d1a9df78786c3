package dev.deepq.env.spaces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepq.env.oracle.OracleFixtures;
import dev.deepq.random.NumpyFixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Space strings against NumPy 1.24.2 / Gymnasium 0.29.1: every {@code str(np.array(...))}, scalar {@code str} and
 * Box / MultiDiscrete repr in the NumPy fixture, and every observation/action space string in the oracle headers.
 */
class NumpyFormatTest {

    static Stream<JsonNode> arrayStrings() {
        return elements("array_str");
    }

    static Stream<JsonNode> scalarStrings() {
        return elements("scalar_str");
    }

    static Stream<JsonNode> boxReprs() {
        return elements("box_repr");
    }

    private static Stream<JsonNode> elements(String section) {
        return StreamSupport.stream(NumpyFixtures.section(section).spliterator(), false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("arrayStrings")
    void arrayStrMatchesNumpy(JsonNode c) {
        DType dtype = DType.fromNumpyName(c.get("dtype").asText());
        double[] values = NumpyFixtures.reals(c.get("values"));
        String actual = NumpyFormat.array(values, NumpyFixtures.ints(c.get("shape")), dtype);
        assertThat(actual).as("str(np.array(%s, dtype=%s))", c.get("values"), dtype).isEqualTo(c.get("str").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalarStrings")
    void scalarStrMatchesNumpy(JsonNode c) {
        DType dtype = DType.fromNumpyName(c.get("dtype").asText());
        double value = NumpyFixtures.real(c.get("value"));
        assertThat(NumpyFormat.scalar(value, dtype)).as("str(np.%s(%s))", dtype, value).isEqualTo(c.get("str").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boxReprs")
    void boxReprMatchesGymnasium(JsonNode c) {
        Box box = new Box(NumpyFixtures.reals(c.get("low")), NumpyFixtures.reals(c.get("high")),
                NumpyFixtures.ints(c.get("shape")), DType.fromNumpyName(c.get("dtype").asText()));
        assertThat(box.toString()).isEqualTo(c.get("repr").asText());
    }

    @Test
    void multiDiscreteReprMatchesGymnasium() {
        for (JsonNode c : NumpyFixtures.section("multi_discrete_repr")) {
            assertThat(new MultiDiscrete(NumpyFixtures.ints(c.get("nvec"))).toString()).isEqualTo(c.get("repr").asText());
        }
    }

    /**
     * The spaces of Gymnasium's built-in envs, with the bounds written as in Gymnasium 0.29.1's sources (built here
     * rather than taken from deepq's env classes, so this test depends only on the spaces).
     */
    private static Map<String, Space[]> gymnasiumSpaces() {
        Map<String, Space[]> spaces = new LinkedHashMap<>();
        double theta = 12 * 2 * Math.PI / 360;
        double f32max = Float.MAX_VALUE;
        // CartPole: high = [x_threshold * 2, finfo(float32).max, theta_threshold_radians * 2, finfo(float32).max]
        spaces.put("CartPole-v1", new Space[] {
                Box.float32(new double[] {-4.8, -f32max, -theta * 2, -f32max}, new double[] {4.8, f32max, theta * 2, f32max}),
                new Discrete(2)});
        // MountainCar: low = [min_position, -max_speed], high = [max_position, max_speed]
        spaces.put("MountainCar-v0", new Space[] {
                Box.float32(new double[] {-1.2, -0.07}, new double[] {0.6, 0.07}), new Discrete(3)});
        // Acrobot: high = [1, 1, 1, 1, MAX_VEL_1 = 4 pi, MAX_VEL_2 = 9 pi]
        double[] acrobotHigh = {1, 1, 1, 1, 4 * Math.PI, 9 * Math.PI};
        spaces.put("Acrobot-v1", new Space[] {Box.float32(negate(acrobotHigh), acrobotHigh), new Discrete(3)});
        // Pendulum: high = [1, 1, max_speed = 8]; action Box(-max_torque, max_torque, (1,))
        double[] pendulumHigh = {1, 1, 8};
        spaces.put("Pendulum-v1", new Space[] {Box.float32(negate(pendulumHigh), pendulumHigh),
                new Box(-2.0, 2.0, new int[] {1}, DType.FLOAT32)});
        spaces.put("CliffWalking-v0", new Space[] {new Discrete(48), new Discrete(4)});
        spaces.put("Taxi-v3", new Space[] {new Discrete(500), new Discrete(6)});
        return spaces;
    }

    @Test
    void oracleHeaderSpaceStringsMatch() {
        Map<String, Space[]> spaces = gymnasiumSpaces();
        List<OracleFixtures.Case> cases = OracleFixtures.cases(spaces::containsKey);
        assertThat(cases).as("oracle cases with known spaces").hasSizeGreaterThanOrEqualTo(6);
        for (OracleFixtures.Case c : cases) {
            Space[] s = spaces.get(c.envId());
            assertThat(s[0].toString()).as("%s observation_space", c).isEqualTo(c.header().get("observation_space").asText());
            assertThat(s[1].toString()).as("%s action_space", c).isEqualTo(c.header().get("action_space").asText());
        }
    }

    @Test
    void frozenLakeSpacesFollowTheMapSize() {
        for (OracleFixtures.Case c : OracleFixtures.cases("FrozenLake-v1"::equals)) {
            boolean big = c.makeKwargs().has("map_name") && c.makeKwargs().get("map_name").asText().equals("8x8");
            assertThat(new Discrete(big ? 64 : 16).toString()).isEqualTo(c.header().get("observation_space").asText());
            assertThat(new Discrete(4).toString()).isEqualTo(c.header().get("action_space").asText());
        }
    }

    @Test
    void briefExamples() {
        assertThat(new Box(-2.0, 2.0, new int[] {1}, DType.FLOAT32).toString()).isEqualTo("Box(-2.0, 2.0, (1,), float32)");
        assertThat(Box.float32(new double[] {-1, -1, -8}, new double[] {1, 1, 8}).toString())
                .isEqualTo("Box([-1. -1. -8.], [1. 1. 8.], (3,), float32)");
        assertThat(NumpyFormat.array(new double[] {0.5, 1e-3, 1e6}, DType.FLOAT64)).isEqualTo("[5.e-01 1.e-03 1.e+06]");
    }

    private static double[] negate(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = -a[i];
        }
        return out;
    }
}
