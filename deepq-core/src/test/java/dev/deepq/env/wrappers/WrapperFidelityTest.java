package dev.deepq.env.wrappers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepq.env.StepResult;
import dev.deepq.env.oracle.OracleFixtures;
import dev.deepq.env.spaces.Box;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NormalizeObservation, NormalizeReward and RecordEpisodeStatistics against Gymnasium 0.29.1's arithmetic run by
 * NumPy 1.24.2 ({@code make_wrapper_fixtures.py}) over the oracle's recorded CartPole and Pendulum streams: every
 * normalized observation and reward, and every episode return, must be bit-identical.
 */
class WrapperFidelityTest {
    private record Event(boolean reset, double[] obs, double reward, boolean terminated, boolean truncated) {}

    private static JsonNode expected(String envId) throws IOException {
        try (InputStream in = WrapperFidelityTest.class.getResourceAsStream("wrapper_fixtures.json")) {
            assertThat(in).as("wrapper_fixtures.json on the test classpath").isNotNull();
            JsonNode root = new ObjectMapper().readTree(in);
            assertThat(root.get("numpy").asText()).isEqualTo("1.24.2");
            return root.get("cases").get(envId);
        }
    }

    /** The stream the fixture script walks: per run, per episode, a reset then the episode's steps. */
    private static List<Event> stream(String envId) {
        OracleFixtures.Case c = OracleFixtures.cases(envId::equals).getFirst();
        List<Event> events = new ArrayList<>();
        for (JsonNode run : c.runs()) {
            for (JsonNode episode : run.get("episodes")) {
                events.add(new Event(true, OracleFixtures.doubles(episode.get("initial_obs")), 0, false, false));
                int steps = episode.get("actions").size();
                for (int k = 0; k < steps; k++) {
                    events.add(new Event(false, OracleFixtures.doubles(episode.get("obs").get(k)),
                            episode.get("reward").get(k).asDouble(), episode.get("terminated").get(k).asBoolean(),
                            episode.get("truncated").get(k).asBoolean()));
                }
            }
        }
        return events;
    }

    private static ScriptedEnv replay(List<Event> events) {
        int size = events.getFirst().obs().length;
        ScriptedEnv env = new ScriptedEnv(new Box(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, new int[] {size},
                dev.deepq.env.spaces.DType.FLOAT32));
        for (Event e : events) {
            if (e.reset()) {
                env.onReset(e.obs());
            } else {
                env.onStep(e.obs(), e.reward(), e.terminated(), e.truncated());
            }
        }
        return env;
    }

    private static StepResult drive(dev.deepq.env.Env env, Event e) {
        return e.reset() ? env.reset() : env.step(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CartPole-v1", "Pendulum-v1"})
    void normalizeObservationMatchesGymnasiumBitForBit(String envId) throws IOException {
        List<Event> events = stream(envId);
        JsonNode expected = expected(envId).get("normalized_obs");
        assertThat(expected.size()).isEqualTo(events.size());
        NormalizeObservation env = new NormalizeObservation(replay(events));
        for (int t = 0; t < events.size(); t++) {
            StepResult r = drive(env, events.get(t));
            assertThat(r.observation()).as("%s event %d", envId, t).containsExactly(OracleFixtures.doubles(expected.get(t)));
        }
        JsonNode rms = expected(envId).get("final_obs_rms");
        RunningMeanStd.State state = env.statistics().state();
        assertThat(state.mean()).containsExactly(OracleFixtures.doubles(rms.get("mean")));
        assertThat(state.var()).containsExactly(OracleFixtures.doubles(rms.get("var")));
        assertThat(state.count()).isEqualTo(rms.get("count").asDouble());
    }

    @ParameterizedTest
    @ValueSource(strings = {"CartPole-v1", "Pendulum-v1"})
    void normalizeRewardMatchesGymnasiumBitForBit(String envId) throws IOException {
        List<Event> events = stream(envId);
        JsonNode expected = expected(envId).get("normalized_reward");
        NormalizeReward env = new NormalizeReward(replay(events));
        int step = 0;
        for (int t = 0; t < events.size(); t++) {
            StepResult r = drive(env, events.get(t));
            if (!events.get(t).reset()) {
                assertThat(r.reward()).as("%s step %d", envId, step).isEqualTo(expected.get(step).asDouble());
                step++;
            }
        }
        assertThat(step).isEqualTo(expected.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"CartPole-v1", "Pendulum-v1"})
    void episodeReturnsMatchGymnasiumFloat32Sums(String envId) throws IOException {
        List<Event> events = stream(envId);
        JsonNode returns = expected(envId).get("episode_returns");
        JsonNode lengths = expected(envId).get("episode_lengths");
        RecordEpisodeStatistics env = new RecordEpisodeStatistics(replay(events));
        int episode = 0;
        for (Event e : events) {
            StepResult r = drive(env, e);
            if (r.done()) {
                assertThat(r.info().get(RecordEpisodeStatistics.RETURN_KEY)).as("%s episode %d", envId, episode)
                        .isEqualTo(returns.get(episode).asDouble());
                assertThat(r.info().get(RecordEpisodeStatistics.LENGTH_KEY)).isEqualTo(lengths.get(episode).asInt());
                episode++;
            }
        }
        assertThat(episode).isEqualTo(returns.size()).isPositive();
        assertThat(env.episodeCount()).isEqualTo(episode);
    }
}
