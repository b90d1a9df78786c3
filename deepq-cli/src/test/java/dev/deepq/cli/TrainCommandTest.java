package dev.deepq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode summaryWithoutTiming(Path dir) throws Exception {
        ObjectNode s = (ObjectNode) JSON.readTree(dir.resolve("summary.json").toFile());
        s.remove("timing");
        return s;
    }

    @Test
    void tabularRunWritesSummaryAndMetrics(@TempDir Path dir) throws Exception {
        CliTest.Run r = CliTest.run("train", "FrozenLake-v1", "--algo", "qlearning", "--steps", "20000", "--seed", "3",
                "--set", "learning_rate=0.05", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode s = JSON.readTree(dir.resolve("summary.json").toFile());
        assertThat(s.get("algo").asText()).isEqualTo("qlearning");
        assertThat(s.get("steps_taken").asLong()).isEqualTo(20000);
        assertThat(s.get("config").get("learning_rate").asDouble()).isEqualTo(0.05);
        assertThat(s.get("final_eval").get("returns").size()).isEqualTo(10);
        assertThat(s.get("train_episode_returns").size()).isEqualTo(s.get("train_episodes").asInt()).isPositive();
        assertThat(s.get("timing").get("steps_per_s").asDouble()).isPositive();
        String csv = Files.readString(dir.resolve("metrics.csv"));
        assertThat(csv).startsWith("episode,env,step,return,length,epsilon,td_error_abs\n");
        assertThat(csv.lines().count()).isEqualTo(s.get("train_episodes").asInt() + 1L);
    }

    @Test
    void sameSeedSameSummaryAndMetrics(@TempDir Path a, @TempDir Path b) throws Exception {
        for (Path dir : new Path[] {a, b}) {
            assertThat(CliTest.run("train", "Taxi-v3", "--algo", "double-qlearning", "--steps", "20000", "--seed", "9",
                    "--out", dir.toString()).code()).isZero();
        }
        assertThat(summaryWithoutTiming(b)).isEqualTo(summaryWithoutTiming(a));
        assertThat(Files.readString(b.resolve("metrics.csv"))).isEqualTo(Files.readString(a.resolve("metrics.csv")));
    }

    @Test
    void badKeysValuesAndAlgorithmsExitTwo(@TempDir Path dir) {
        CliTest.Run unknownKey = CliTest.run("train", "FrozenLake-v1", "--algo", "qlearning", "--set", "alpha=0.1", "--out", dir.toString());
        assertThat(unknownKey.code()).isEqualTo(2);
        assertThat(unknownKey.err()).contains("unknown config key 'alpha'", "valid keys: rule, learning_rate");
        CliTest.Run badValue = CliTest.run("train", "FrozenLake-v1", "--algo", "qlearning", "--set", "gamma=high", "--out", dir.toString());
        assertThat(badValue.code()).isEqualTo(2);
        assertThat(badValue.err()).contains("config key 'gamma' must be a number, got 'high'");
        CliTest.Run outOfRange = CliTest.run("train", "FrozenLake-v1", "--algo", "qlearning", "--set", "gamma=1.5", "--out", dir.toString());
        assertThat(outOfRange.err()).contains("gamma must be in [0.0, 1.0], got 1.5");
        CliTest.Run badAlgo = CliTest.run("train", "FrozenLake-v1", "--algo", "ppo", "--out", dir.toString());
        assertThat(badAlgo.code()).isEqualTo(2);
        assertThat(badAlgo.err()).contains("unknown algorithm 'ppo'; valid: dqn, qlearning, sarsa");
        CliTest.Run wrongSpaces = CliTest.run("train", "CartPole-v1", "--algo", "qlearning", "--out", dir.toString());
        assertThat(wrongSpaces.code()).isEqualTo(2);
        assertThat(wrongSpaces.err()).contains("need a Discrete observation space").doesNotContain("\tat ");
    }

    /** DQN with 4 envs: same summary, metrics and weights whether 1 or 2 threads step the envs. */
    @Test
    void dqnIsBitIdenticalWithOneOrTwoEnvThreads(@TempDir Path a, @TempDir Path b) throws Exception {
        String[] common = {"train", "CartPole-v1", "--algo", "dqn", "--preset", "none", "--steps", "6000", "--seed", "5",
                "--set", "num_envs=4", "--set", "learning_starts=1000", "--set", "train_frequency=2",
                "--set", "buffer_size=5000", "--set", "hidden=[32,32]", "--eval-episodes", "3"};
        CliTest.Run one = CliTest.run(concat(common, "--env-threads", "1", "--out", a.toString()));
        CliTest.Run two = CliTest.run(concat(common, "--env-threads", "2", "--out", b.toString()));
        assertThat(one.code()).as(one.err()).isZero();
        assertThat(two.code()).as(two.err()).isZero();
        assertThat(summaryWithoutTiming(b)).isEqualTo(summaryWithoutTiming(a));
        assertThat(Files.readString(b.resolve("metrics.csv"))).isEqualTo(Files.readString(a.resolve("metrics.csv")));
        assertThat(Files.readAllBytes(b.resolve("model.safetensors"))).isEqualTo(Files.readAllBytes(a.resolve("model.safetensors")));
        assertThat(dev.deepq.algo.Dqn.load(a.resolve("model.safetensors")).config().numEnvs()).isEqualTo(4);
        assertThat(Files.readString(a.resolve("metrics.csv"))).startsWith("episode,env,step,return,length,epsilon,loss,q_mean,td_error_abs\n");
    }

    @Test
    void dqnOnABoxActionSpaceIsAUserError(@TempDir Path dir) {
        CliTest.Run r = CliTest.run("train", "Pendulum-v1", "--algo", "dqn", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("DQN needs a Discrete or MultiDiscrete action space, got Box(-2.0, 2.0, (1,), float32)");
        assertThat(CliTest.run("train", "CartPole-v1", "--algo", "dqn", "--env-threads", "0", "--out", dir.toString()).err())
                .contains("--env-threads must be positive");
    }

    /**
     * {@code --algo redq} (and droq) trains through the CLI with the Pendulum preset under small overrides; the model
     * file (with the observation statistics) loads for {@code deepq eval}, which repeats the final evaluation.
     */
    @Test
    void redqAndDroqTrainAndEvaluateThroughTheCli(@TempDir Path dir) throws Exception {
        for (String algo : new String[] {"redq", "droq"}) {
            Path run = dir.resolve(algo);
            CliTest.Run r = CliTest.run("train", "Pendulum-v1", "--algo", algo, "--steps", "300", "--seed", "3",
                    "--set", "learning_starts=200", "--set", "hidden=[16, 16]", "--set", "batch_size=32",
                    "--set", "gradient_steps=2", "--set", "policy_frequency=2", "--set", "normalize_observations=true",
                    "--eval-episodes", "2", "--quiet", "--out", run.toString());
            assertThat(r.code()).as(r.err()).isZero();
            dev.deepq.algo.Sac model = dev.deepq.algo.Sac.load(run.resolve("model.safetensors"));
            assertThat(model.config().nCritics()).isEqualTo(algo.equals("redq") ? 10 : 2);
            assertThat(model.config().criticLayerNorm()).isEqualTo(algo.equals("droq"));
            assertThat(model.config().normalizeObservations()).isTrue();
            CliTest.Run eval = CliTest.run("eval", run.toString(), "--episodes", "2");
            assertThat(eval.code()).as(eval.err()).isZero();
            JsonNode finalEval = new ObjectMapper()
                    .readTree(run.resolve("summary.json").toFile()).get("final_eval");
            assertThat(new ObjectMapper().readTree(eval.out()).get("returns"))
                    .isEqualTo(finalEval.get("returns"));
        }
    }

    static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
