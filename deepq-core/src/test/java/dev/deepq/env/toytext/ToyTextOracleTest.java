package dev.deepq.env.toytext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import dev.deepq.env.oracle.OracleFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every Gymnasium 0.29.1 toy-text recording in the oracle directory and requires a bit-exact match: start
 * states from seeded and unseeded resets, every state, observation, reward, flag, {@code info["prob"]} and Taxi's
 * action mask, slippery FrozenLake included (it follows the env's random stream, one draw per reset and step). Also
 * compares the transition tables and initial distributions with the recorded {@code *.P.json} files.
 */
class ToyTextOracleTest {
    private static final Set<String> TOY_TEXT_IDS = Set.of("FrozenLake-v1", "FrozenLake8x8-v1", "CliffWalking-v0", "Taxi-v3");
    private static final String P_FORMAT = "P[state][action] = list of [probability, next_state, reward, terminated]";

    @TestFactory
    Stream<DynamicNode> trajectoriesReplayExactly() {
        List<OracleFixtures.Case> cases = OracleFixtures.cases(TOY_TEXT_IDS::contains);
        assertThat(cases).as("toy-text trajectory recordings in %s", OracleFixtures.dir()).isNotEmpty();
        return cases.stream().map(c -> {
            List<DynamicTest> runs = new ArrayList<>();
            for (JsonNode run : c.runs()) {
                String label = "seed " + run.get("seed").asLong()
                        + (run.has("scripted_policy") ? " (" + run.get("scripted_policy").asText() + ")" : "");
                runs.add(dynamicTest(label, () -> replay(c, run, c.name() + " " + label)));
            }
            return dynamicContainer(c.name(), runs);
        });
    }

    private static void replay(OracleFixtures.Case c, JsonNode run, String name) {
        Env env = Envs.make(c.envId(), kwargs(c.makeKwargs()));
        JsonNode header = c.header();
        JsonNode maxSteps = header.get("spec_max_episode_steps");
        assertThat(env.spec().maxEpisodeSteps()).as(name + " max_episode_steps")
                .isEqualTo(maxSteps == null || maxSteps.isNull() ? null : maxSteps.asInt());
        assertThat(env.observationSpace().toString()).as(name + " observation space")
                .isEqualTo(header.get("observation_space").asText());
        assertThat(env.actionSpace().toString()).as(name + " action space").isEqualTo(header.get("action_space").asText());
        TabularEnv tabular = (TabularEnv) env.unwrapped();

        JsonNode episodes = run.get("episodes");
        assertThat(episodes.size()).as(name + " episodes").isPositive();
        assertThat(episodes.get(0).get("reset_seed").isNull()).as(name + ": the first episode is seeded").isFalse();
        for (int k = 0; k < episodes.size(); k++) {
            JsonNode ep = episodes.get(k);
            String where = name + " episode " + k;
            JsonNode resetSeed = ep.get("reset_seed");
            StepResult r = resetSeed.isNull() ? env.reset() : env.reset(resetSeed.asLong());
            assertThat(r.discreteObservation()).as(where + " initial obs").isEqualTo(ep.get("initial_obs").asInt());
            assertThat(tabular.state()).as(where + " initial state").isEqualTo(ep.get("initial_state").asInt());
            assertInfo(r, ep.get("reset_info"), where + " reset info");

            int[] actions = OracleFixtures.ints(ep.get("actions"));
            for (int t = 0; t < actions.length; t++) {
                String at = where + " step " + t + " (action " + actions[t] + ")";
                r = env.step(actions[t]);
                assertThat(r.discreteObservation()).as(at + " obs").isEqualTo(ep.get("obs").get(t).asInt());
                assertThat(tabular.state()).as(at + " state").isEqualTo(ep.get("state").get(t).asInt());
                assertThat(r.reward()).as(at + " reward").isEqualTo(ep.get("reward").get(t).asDouble());
                assertThat(r.terminated()).as(at + " terminated").isEqualTo(ep.get("terminated").get(t).asBoolean());
                assertThat(r.truncated()).as(at + " truncated").isEqualTo(ep.get("truncated").get(t).asBoolean());
                assertInfo(r, ep.get("info").get(t), at + " info");
            }
            assertThat(r.done()).as(where + " ended").isEqualTo(ep.get("ended").asBoolean());
        }
    }

    /** {@code prob} must be in our info with the same value; {@code action_mask} must equal our action mask. */
    private static void assertInfo(StepResult r, JsonNode expected, String where) {
        int numericKeys = 0;
        boolean sawMask = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("action_mask")) {
                sawMask = true;
                int[] mask = OracleFixtures.ints(e.getValue());
                boolean[] expectedMask = new boolean[mask.length];
                for (int i = 0; i < mask.length; i++) {
                    expectedMask[i] = mask[i] == 1;
                }
                assertThat(r.actionMask()).as(where + " action_mask").isEqualTo(expectedMask);
            } else {
                numericKeys++;
                assertThat(r.info().has(e.getKey())).as(where + " has '" + e.getKey() + "'").isTrue();
                assertThat(r.info().get(e.getKey())).as(where + " " + e.getKey()).isEqualTo(e.getValue().asDouble());
            }
        }
        assertThat(r.info().size()).as(where + " keys " + r.info().toMap().keySet()).isEqualTo(numericKeys);
        assertThat(r.hasActionMask()).as(where + " has an action mask").isEqualTo(sawMask);
    }

    @TestFactory
    Stream<DynamicTest> transitionTablesMatch() {
        List<Path> tables = OracleFixtures.transitionTables();
        assertThat(tables).as("*.P.json transition tables in %s", OracleFixtures.dir()).isNotEmpty();
        return tables.stream().map(p -> dynamicTest(p.getFileName().toString(), () -> compareTable(OracleFixtures.read(p), p)));
    }

    private static void compareTable(JsonNode root, Path path) {
        String name = path.getFileName().toString();
        assertThat(root.get("P_format").asText()).as(name + " P_format").isEqualTo(P_FORMAT);
        JsonNode header = root.get("header");
        assertThat(TOY_TEXT_IDS).as(name + " env id").contains(header.get("env_id").asText());
        TabularEnv env = (TabularEnv) Envs.make(header.get("env_id").asText(), kwargs(header.get("make_kwargs"))).unwrapped();
        int states = root.get("n_states").asInt();
        int actions = root.get("n_actions").asInt();
        assertThat(env.stateCount()).as(name + " n_states").isEqualTo(states);
        assertThat(env.actionCount()).as(name + " n_actions").isEqualTo(actions);
        assertThat(env.initialStateDistribution()).as(name + " initial_state_distrib")
                .containsExactly(OracleFixtures.doubles(root.get("initial_state_distrib")));

        JsonNode table = root.get("P");
        assertThat(table.size()).as(name + " P states").isEqualTo(states);
        for (int s = 0; s < states; s++) {
            JsonNode row = table.get(Integer.toString(s));
            assertThat(row.size()).as(name + " P[" + s + "] actions").isEqualTo(actions);
            for (int a = 0; a < actions; a++) {
                JsonNode expected = row.get(Integer.toString(a));
                List<Transition> ours = env.transitions(s, a);
                String where = name + " P[" + s + "][" + a + "]";
                assertThat(ours).as(where + " outcomes").hasSize(expected.size());
                for (int k = 0; k < ours.size(); k++) {
                    JsonNode e = expected.get(k);
                    Transition t = ours.get(k);
                    assertThat(t.probability()).as(where + "[" + k + "] probability").isEqualTo(e.get(0).asDouble());
                    assertThat(t.nextState()).as(where + "[" + k + "] next state").isEqualTo(e.get(1).asInt());
                    assertThat(t.reward()).as(where + "[" + k + "] reward").isEqualTo(e.get(2).asDouble());
                    assertThat(t.terminated()).as(where + "[" + k + "] terminated").isEqualTo(e.get(3).asBoolean());
                }
            }
        }
        JsonNode desc = root.get("desc");
        if (desc != null && !desc.isNull()) {
            List<String> rows = new ArrayList<>();
            desc.forEach(d -> rows.add(d.asText()));
            List<String> ours = env instanceof FrozenLake lake ? lake.desc() : env instanceof Taxi ? Taxi.MAP : null;
            assertThat(ours).as(name + " desc").isEqualTo(rows);
        }
    }

    /** The recorded {@code make} kwargs as Java values. */
    static Map<String, Object> kwargs(JsonNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        node.fields().forEachRemaining(e -> out.put(e.getKey(), value(e.getValue())));
        return out;
    }

    private static Object value(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            v.forEach(x -> list.add(value(x)));
            return list;
        }
        return v.asText();
    }
}
