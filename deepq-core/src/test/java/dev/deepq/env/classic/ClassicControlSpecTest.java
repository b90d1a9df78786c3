package dev.deepq.env.classic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.env.Env;
import dev.deepq.env.EnvSpec;
import dev.deepq.env.Envs;
import dev.deepq.env.oracle.OracleFixtures;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.DType;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.env.spaces.Space;
import dev.deepq.env.wrappers.TimeLimit;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Registrations, options and spaces as Gymnasium 0.29.1 reports them. */
class ClassicControlSpecTest {
    private static final float FLOAT32_MAX = Float.MAX_VALUE;

    private static void assertBox(Space space, double[] low, double[] high) {
        assertThat(space).isInstanceOf(Box.class);
        Box box = (Box) space;
        assertThat(box.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(box.shape()).containsExactly(low.length);
        // Gymnasium stores the bounds as float32.
        for (int i = 0; i < low.length; i++) {
            assertThat(box.low(i)).as("low[%d]", i).isEqualTo((double) (float) low[i]);
            assertThat(box.high(i)).as("high[%d]", i).isEqualTo((double) (float) high[i]);
        }
    }

    private static void assertSpec(String id, int maxSteps, Double threshold, Map<String, Object> options) {
        EnvSpec spec = Envs.spec(id);
        assertThat(spec.maxEpisodeSteps()).as(id).isEqualTo(maxSteps);
        assertThat(spec.rewardThreshold()).as(id).isEqualTo(threshold);
        assertThat(spec.defaultOptions()).as(id).isEqualTo(options);
        assertThat(spec.description()).as(id).isNotBlank();
        Env env = Envs.make(id);
        assertThat(env).isInstanceOf(TimeLimit.class);
        assertThat(((TimeLimit) env).maxEpisodeSteps()).isEqualTo(maxSteps);
        assertThatThrownBy(() -> Envs.make(id, Map.of("gravity", 1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gravity");
    }

    @Test
    void registrationsMatchGymnasium() {
        assertSpec("CartPole-v1", 500, 475.0, Map.of());
        assertSpec("MountainCar-v0", 200, -110.0, Map.of("goal_velocity", 0.0));
        assertSpec("MountainCarContinuous-v0", 999, 90.0, Map.of("goal_velocity", 0.0));
        assertSpec("Acrobot-v1", 500, -100.0, Map.of());
        assertSpec("Pendulum-v1", 200, null, Map.of("g", 10.0));
    }

    @Test
    void optionsReachTheEnv() {
        assertThat(((Pendulum) Envs.make("Pendulum-v1", Map.of("g", 9.81)).unwrapped()).gravity()).isEqualTo(9.81);
        assertThat(((Pendulum) Envs.make("Pendulum-v1", Map.of("g", "3.7")).unwrapped()).gravity()).isEqualTo(3.7);
        assertThat(((MountainCar) Envs.make("MountainCar-v0", Map.of("goal_velocity", 1)).unwrapped()).goalVelocity())
                .isEqualTo(1.0);
        assertThatThrownBy(() -> Envs.make("Pendulum-v1", Map.of("g", "strong")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'g'");
    }

    @Test
    void spacesMatchGymnasium() {
        Env cartPole = Envs.make("CartPole-v1");
        double theta2 = 2 * (12 * 2 * Math.PI / 360);
        assertBox(cartPole.observationSpace(), new double[] {-4.8, -FLOAT32_MAX, -theta2, -FLOAT32_MAX},
                new double[] {4.8, FLOAT32_MAX, theta2, FLOAT32_MAX});
        assertThat(cartPole.actionSpace()).hasToString("Discrete(2)");

        for (String id : new String[] {"MountainCar-v0", "MountainCarContinuous-v0"}) {
            assertBox(Envs.make(id).observationSpace(), new double[] {-1.2, -0.07}, new double[] {0.6, 0.07});
        }
        assertThat(Envs.make("MountainCar-v0").actionSpace()).isEqualTo(new Discrete(3)).hasToString("Discrete(3)");
        assertBox(Envs.make("MountainCarContinuous-v0").actionSpace(), new double[] {-1.0}, new double[] {1.0});

        Env acrobot = Envs.make("Acrobot-v1");
        assertBox(acrobot.observationSpace(), new double[] {-1, -1, -1, -1, -4 * Math.PI, -9 * Math.PI},
                new double[] {1, 1, 1, 1, 4 * Math.PI, 9 * Math.PI});
        assertThat(acrobot.actionSpace()).hasToString("Discrete(3)");

        Env pendulum = Envs.make("Pendulum-v1");
        assertBox(pendulum.observationSpace(), new double[] {-1, -1, -8}, new double[] {1, 1, 8});
        assertBox(pendulum.actionSpace(), new double[] {-2.0}, new double[] {2.0});
    }

    private static final Pattern BOX = Pattern.compile("Box\\((\\[[^]]*]|[^,]+), (\\[[^]]*]|[^,]+), \\((\\d+),\\), float32\\)");

    /** The spaces and limits recorded in the oracle headers: Discrete by string, Box bounds by value. */
    @Test
    void spacesMatchTheRecordings() {
        var cases = OracleFixtures.cases(ClassicControlOracleTest.CLASSIC_IDS::contains);
        assertThat(cases).isNotEmpty();
        for (OracleFixtures.Case c : cases) {
            Env env = Envs.make(c.envId(), ClassicControlOracleTest.kwargs(c.makeKwargs()));
            assertThat(Envs.spec(c.envId()).maxEpisodeSteps()).as(c.name())
                    .isEqualTo(c.header().get("spec_max_episode_steps").asInt());
            checkSpace(c.name() + " observation", env.observationSpace(), c.header().get("observation_space").asText());
            checkSpace(c.name() + " action", env.actionSpace(), c.header().get("action_space").asText());
        }
    }

    private static void checkSpace(String what, Space space, String gymnasium) {
        if (gymnasium.startsWith("Discrete")) {
            assertThat(space).as(what).hasToString(gymnasium);
            return;
        }
        Matcher m = BOX.matcher(gymnasium);
        assertThat(m.matches()).as("%s: unexpected space string %s", what, gymnasium).isTrue();
        int n = Integer.parseInt(m.group(3));
        float[] low = parseBound(m.group(1), n);
        float[] high = parseBound(m.group(2), n);
        Box box = (Box) space;
        assertThat(box.dtype()).as(what).isEqualTo(DType.FLOAT32);
        assertThat(box.shape()).as(what).containsExactly(n);
        for (int i = 0; i < n; i++) {
            // NumPy prints float32 with the shortest digits that read back to the same float32.
            assertThat((float) box.low(i)).as("%s low[%d] (%s)", what, i, gymnasium).isEqualTo(low[i]);
            assertThat((float) box.high(i)).as("%s high[%d] (%s)", what, i, gymnasium).isEqualTo(high[i]);
        }
    }

    private static float[] parseBound(String text, int n) {
        float[] values = new float[n];
        if (!text.startsWith("[")) {
            Arrays.fill(values, Float.parseFloat(text.trim()));
            return values;
        }
        String[] parts = text.substring(1, text.length() - 1).trim().split("\\s+");
        assertThat(parts).as("bound %s", text).hasSize(n);
        for (int i = 0; i < n; i++) {
            values[i] = Float.parseFloat(parts[i]);
        }
        return values;
    }
}
