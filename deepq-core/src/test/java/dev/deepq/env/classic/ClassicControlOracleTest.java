package dev.deepq.env.classic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import dev.deepq.env.oracle.OracleFixtures;
import dev.deepq.env.spaces.Discrete;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every classic-control recording of Gymnasium 0.29.1 in the oracle directory, as its README prescribes:
 * exact initial states (seeded and unseeded resets), one step at a time from each recorded state (teleport), and
 * free roll-outs of the random-action runs.
 */
class ClassicControlOracleTest {
    static final Set<String> CLASSIC_IDS =
            Set.of("CartPole-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Acrobot-v1", "Pendulum-v1");

    /** Teleported steps: relative tolerance, and the absolute one that applies near zero. */
    static final double STEP_RELATIVE = 1e-12;
    static final double STEP_ABSOLUTE = 1e-15;
    /** Free roll-outs: absolute near zero, relative elsewhere. */
    static final double ROLLOUT_TOLERANCE = 1e-9;

    /**
     * Largest errors seen per env, printed at the end so the achieved precision is on record: teleport relative and
     * absolute state error, observation ulps, reward relative error, roll-out error, bit-exact and total elements.
     */
    private static final Map<String, double[]> WORST = new TreeMap<>();

    @TestFactory
    List<DynamicNode> classicControlRecordings() {
        List<OracleFixtures.Case> cases = OracleFixtures.cases(CLASSIC_IDS::contains);
        assertThat(cases)
                .as("no classic-control recording (env ids %s) in the oracle directory %s", CLASSIC_IDS, OracleFixtures.dir())
                .isNotEmpty();
        List<DynamicNode> nodes = new ArrayList<>();
        for (OracleFixtures.Case c : cases) {
            List<DynamicNode> runNodes = new ArrayList<>();
            for (JsonNode run : c.runs()) {
                boolean random = run.hasNonNull("action_rng");
                String name = "seed " + run.get("seed").asLong() + " "
                        + (random ? "random actions" : "scripted " + run.path("scripted_policy").asText());
                List<DynamicNode> checks = new ArrayList<>();
                checks.add(dynamicTest("resets and teleported steps", () -> teleport(c, run)));
                if (random) {
                    checks.add(dynamicTest("free roll-out", () -> freeRollout(c, run)));
                }
                runNodes.add(dynamicContainer(name, checks));
            }
            assertThat(runNodes).as("%s has no runs", c.path()).isNotEmpty();
            nodes.add(dynamicContainer(c.name(), runNodes));
        }
        return nodes;
    }

    @AfterAll
    static void printAchievedPrecision() {
        WORST.forEach((id, w) -> System.out.printf(
                "%s: teleport max relative state error %.3g (max absolute %.3g), max observation ulps %.0f,"
                        + " max reward relative error %.3g; free roll-out max state error %.3g;"
                        + " %.0f of %.0f teleported state elements bit-exact%n",
                id, w[0], w[1], w[2], w[3], w[4], w[5], w[6]));
    }

    private static double[] worst(String id) {
        synchronized (WORST) {
            return WORST.computeIfAbsent(id, k -> new double[7]);
        }
    }

    // ---- the checks ----

    private static void teleport(OracleFixtures.Case c, JsonNode run) {
        Env env = Envs.make(c.envId(), kwargs(c.makeKwargs()));
        SettableState sim = (SettableState) env.unwrapped();
        double[] w = worst(c.envId());
        int episodeIndex = 0;
        for (JsonNode episode : run.get("episodes")) {
            String where = c.name() + " seed " + run.get("seed").asLong() + " episode " + episodeIndex;
            StepResult r = reset(env, episode);
            checkInitial(where, sim, r, episode);
            double[] previous = OracleFixtures.doubles(episode.get("initial_state"));
            JsonNode actions = episode.get("actions");
            for (int t = 0; t < actions.size(); t++) {
                String at = where + " step " + t;
                sim.setState(previous);
                r = step(env, actions.get(t));
                double[] expected = OracleFixtures.doubles(episode.get("state").get(t));
                double[] actual = sim.state();
                assertThat(actual.length).as(at + " state size").isEqualTo(expected.length);
                for (int i = 0; i < expected.length; i++) {
                    double error = Math.abs(actual[i] - expected[i]);
                    if (!(error <= Math.max(STEP_RELATIVE * Math.abs(expected[i]), STEP_ABSOLUTE))) {
                        throw new AssertionError(at + ": state[" + i + "] is " + actual[i] + ", Gymnasium has "
                                + expected[i] + " (error " + error + "); from state " + java.util.Arrays.toString(previous)
                                + " with action " + actions.get(t));
                    }
                    w[1] = Math.max(w[1], error);
                    w[5] += error == 0 ? 1 : 0;
                    w[6]++;
                    if (expected[i] != 0) {
                        w[0] = Math.max(w[0], error / Math.abs(expected[i]));
                    }
                }
                checkObservation(at, r.observation(), episode.get("obs").get(t), w);
                double expectedReward = episode.get("reward").get(t).asDouble();
                double rewardError = Math.abs(r.reward() - expectedReward);
                if (!(rewardError <= STEP_RELATIVE * Math.abs(expectedReward))) {
                    throw new AssertionError(at + ": reward " + r.reward() + ", Gymnasium has " + expectedReward);
                }
                if (expectedReward != 0) {
                    w[3] = Math.max(w[3], rewardError / Math.abs(expectedReward));
                }
                checkFlags(at, r, episode, t);
                previous = expected;
            }
            episodeIndex++;
        }
    }

    private static void freeRollout(OracleFixtures.Case c, JsonNode run) {
        Env env = Envs.make(c.envId(), kwargs(c.makeKwargs()));
        SettableState sim = (SettableState) env.unwrapped();
        double[] w = worst(c.envId());
        int episodeIndex = 0;
        for (JsonNode episode : run.get("episodes")) {
            String where = c.name() + " seed " + run.get("seed").asLong() + " episode " + episodeIndex + " (free roll-out)";
            StepResult r = reset(env, episode);
            checkInitial(where, sim, r, episode);
            JsonNode actions = episode.get("actions");
            for (int t = 0; t < actions.size(); t++) {
                String at = where + " step " + t;
                r = step(env, actions.get(t));
                double[] expected = OracleFixtures.doubles(episode.get("state").get(t));
                double[] actual = sim.state();
                for (int i = 0; i < expected.length; i++) {
                    double error = Math.abs(actual[i] - expected[i]);
                    double scaled = error / Math.max(1.0, Math.abs(expected[i]));
                    if (!(scaled <= ROLLOUT_TOLERANCE)) {
                        throw new AssertionError(at + ": state[" + i + "] drifted to " + actual[i] + ", Gymnasium has "
                                + expected[i] + " (error " + error + ")");
                    }
                    w[4] = Math.max(w[4], scaled);
                }
                checkFlags(at, r, episode, t);
            }
            episodeIndex++;
        }
    }

    // ---- helpers ----

    private static StepResult reset(Env env, JsonNode episode) {
        JsonNode seed = episode.get("reset_seed");
        return seed == null || seed.isNull() ? env.reset() : env.reset(seed.asLong());
    }

    private static StepResult step(Env env, JsonNode action) {
        if (env.actionSpace() instanceof Discrete) {
            return env.step(action.asInt());
        }
        return env.step(action.isArray() ? OracleFixtures.doubles(action) : new double[] {action.asDouble()});
    }

    private static void checkInitial(String where, SettableState sim, StepResult r, JsonNode episode) {
        double[] expectedState = OracleFixtures.doubles(episode.get("initial_state"));
        double[] state = sim.state();
        for (int i = 0; i < expectedState.length; i++) {
            if (Double.doubleToLongBits(state[i]) != Double.doubleToLongBits(expectedState[i])) {
                throw new AssertionError(where + ": initial state[" + i + "] is " + state[i] + ", Gymnasium has "
                        + expectedState[i] + " (must be bit-exact)");
            }
        }
        assertThat(r.terminated() || r.truncated()).as(where + " reset flags").isFalse();
        checkObservation(where + " initial observation", r.observation(), episode.get("initial_obs"), new double[7]);
    }

    /** Float32 observations: equal, or one float32 ulp apart (the last bit of sin/cos differs between libraries). */
    private static void checkObservation(String at, double[] observation, JsonNode expectedNode, double[] w) {
        double[] expected = OracleFixtures.doubles(expectedNode);
        assertThat(observation.length).as(at + " observation size").isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) (float) observation[i]).as(at + " observation[" + i + "] is not a float32")
                    .isEqualTo(observation[i]);
            double ulps = Math.abs(observation[i] - expected[i]) / Math.ulp((float) expected[i]);
            if (!(ulps <= 1)) {
                throw new AssertionError(at + ": observation[" + i + "] is " + observation[i] + ", Gymnasium has "
                        + expected[i] + " (" + ulps + " float32 ulps apart)");
            }
            w[2] = Math.max(w[2], ulps);
        }
    }

    private static void checkFlags(String at, StepResult r, JsonNode episode, int t) {
        boolean terminated = episode.get("terminated").get(t).asBoolean();
        boolean truncated = episode.get("truncated").get(t).asBoolean();
        if (r.terminated() != terminated || r.truncated() != truncated) {
            throw new AssertionError(at + ": terminated/truncated " + r.terminated() + "/" + r.truncated()
                    + ", Gymnasium has " + terminated + "/" + truncated);
        }
    }

    /** The recording's {@code make} keyword arguments as options for {@link Envs#make(String, Map)}. */
    static Map<String, Object> kwargs(JsonNode node) {
        Map<String, Object> options = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return options;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            Object value;
            if (v.isNull()) {
                value = null;
            } else if (v.isBoolean()) {
                value = v.asBoolean();
            } else if (v.isIntegralNumber()) {
                value = v.asLong();
            } else if (v.isNumber()) {
                value = v.asDouble();
            } else if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(item -> items.add(item.asText()));
                value = items;
            } else {
                value = v.asText();
            }
            options.put(e.getKey(), value);
        }
        return options;
    }
}
