package dev.deepq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class CliTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void envsListsIdsSpacesLimitsAndThresholds() {
        Run r = run("envs");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("CartPole-v1", "Discrete(2)", "max steps:   500", "reward threshold: 475");
    }

    @Test
    void envsJsonIsAnArrayOfObjects() throws Exception {
        Run r = run("envs", "--json");
        JsonNode array = new ObjectMapper().readTree(r.out());
        assertThat(array.isArray()).isTrue();
        JsonNode cartPole = null;
        for (JsonNode n : array) {
            if (n.get("id").asText().equals("CartPole-v1")) {
                cartPole = n;
            }
        }
        assertThat(cartPole).isNotNull();
        assertThat(cartPole.get("max_episode_steps").asInt()).isEqualTo(500);
        assertThat(cartPole.get("action_space").asText()).isEqualTo("Discrete(2)");
    }

    @Test
    void randomJsonHasExactlyTheBaselineKeys() throws Exception {
        Run r = run("random", "CartPole-v1", "--episodes", "20", "--seed", "1", "--json");
        assertThat(r.code()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.fieldNames()).toIterable().containsExactly("mean", "std", "min", "max", "mean_length");
        assertThat(o.get("mean").asDouble()).isEqualTo(o.get("mean_length").asDouble());
        assertThat(run("random", "CartPole-v1", "--episodes", "20", "--seed", "1", "--json").out()).isEqualTo(r.out());
    }

    @Test
    void randomPrintsAReadableSummary() {
        Run r = run("random", "CartPole-v1", "--episodes", "5");
        assertThat(r.out()).contains("CartPole-v1, random policy, 5 episodes, seed 0", "return: mean");
    }

    @Test
    void userErrorsExitWithCodeTwoAndNoStackTrace() {
        Run unknown = run("random", "CartPol-v1");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown environment id 'CartPol-v1'", "did you mean CartPole-v1")
                .doesNotContain("\tat ");
        Run badEpisodes = run("random", "CartPole-v1", "--episodes", "0");
        assertThat(badEpisodes.code()).isEqualTo(2);
        assertThat(badEpisodes.err()).contains("--episodes must be a positive integer, got 0");
        Run notANumber = run("random", "CartPole-v1", "--episodes", "many");
        assertThat(notANumber.code()).isEqualTo(2);
        assertThat(notANumber.err()).contains("many");
        Run badOption = run("random", "CartPole-v1", "-o", "nokey");
        assertThat(badOption.code()).isEqualTo(2);
        assertThat(badOption.err()).contains("must look like key=value");
        Run unknownCommand = run("trian");
        assertThat(unknownCommand.code()).isEqualTo(2);
    }

    @Test
    void debugShowsTheStackTrace() {
        Run r = run("--debug", "random", "CartPol-v1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("\tat ");
    }
}
