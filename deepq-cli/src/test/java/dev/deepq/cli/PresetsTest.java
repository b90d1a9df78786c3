package dev.deepq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.train.Agent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PresetsTest {
    static Stream<String> presetNames() {
        return Presets.index().stream();
    }

    @Test
    void theIndexListsEveryShippedFileAndTheExpectedPairs() throws Exception {
        Path dir = Path.of(PresetsTest.class.getResource("/presets/index.txt").toURI()).getParent();
        List<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        }
        assertThat(Presets.index()).containsExactlyInAnyOrderElementsOf(files);
        assertThat(Presets.shipped().keySet()).contains("dqn-CartPole-v1", "dqn-CartPole-v1-cleanrl", "dqn-Acrobot-v1",
                "dqn-Acrobot-v1-cleanrl", "dqn-MountainCar-v0", "dqn-MountainCar-v0-cleanrl", "qlearning-FrozenLake-v1",
                "sarsa-FrozenLake8x8-v1", "expected-sarsa-CliffWalking-v0", "double-qlearning-Taxi-v3");
        assertThat(Presets.defaultFor("CartPole-v1", "dqn").name()).isEqualTo("dqn-CartPole-v1");
        assertThat(Presets.defaultFor("Pendulum-v1", "dqn")).isNull();
    }

    /** Every preset names its file, env, algorithm and source, resolves to a valid config and builds its agent. */
    @ParameterizedTest
    @MethodSource("presetNames")
    void everyPresetLoadsValidatesAndBuildsItsAgent(String name) {
        Preset p = Presets.shipped().get(name);
        assertThat(p.name()).isEqualTo(name);
        assertThat(p.env()).isNotBlank();
        assertThat(p.algo()).isNotBlank();
        assertThat(p.source()).isNotBlank();
        assertThat(name).startsWith(p.algo() + "-" + p.env());
        RunSettings run = RunSettings.resolve(null, null, name, null, null, null, Map.of(), null, null, null);
        assertThat(run.envId()).isEqualTo(p.env());
        assertThat(run.algorithm().name()).isEqualTo(p.algo());
        Map<String, Object> resolved = run.configMap();
        p.config().forEach((key, value) -> assertThat(resolved).as(key).containsKey(key));
        try (Env env = Envs.make(run.envId(), run.envOptions())) {
            Agent agent = run.createAgent(env.observationSpace(), env.actionSpace());
            assertThat(agent.metrics().size()).isPositive();
        }
    }

    /** A few hundred steps of every preset through the whole command (run folder included). */
    @ParameterizedTest
    @MethodSource("presetNames")
    void everyPresetSmokeRuns(String name, @TempDir Path dir) throws Exception {
        CliTest.Run r = CliTest.run("train", "--preset", name, "--steps", "300", "--eval-episodes", "1", "--quiet",
                "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.get("preset").asText()).isEqualTo(name);
        assertThat(summary.get("steps_taken").asLong()).isBetween(300L, 300L + 16);
        assertThat(dir.resolve("model.safetensors")).isRegularFile();
    }

    @Test
    void presetsListsNameEnvAlgoAndSource() {
        CliTest.Run r = CliTest.run("presets");
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().findFirst().orElseThrow()).matches("NAME\\s+ENV\\s+ALGO\\s+SOURCE");
        assertThat(r.out()).containsPattern("dqn-CartPole-v1\\s+CartPole-v1\\s+dqn\\s+RL Zoo")
                .containsPattern("dqn-CartPole-v1-cleanrl\\s+CartPole-v1\\s+dqn\\s+CleanRL")
                .containsPattern("qlearning-Taxi-v3\\s+Taxi-v3\\s+qlearning\\s+deepq");
        CliTest.Run filtered = CliTest.run("presets", "--env", "Taxi-v3");
        assertThat(filtered.out()).contains("qlearning-Taxi-v3").doesNotContain("CartPole");
    }

    @Test
    void presetsShowPrintsTheYaml() {
        CliTest.Run r = CliTest.run("presets", "show", "dqn-CartPole-v1");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("rl-baselines3-zoo", "learning_rate: 0.0023", "train_frequency: 256");
        assertThat(r.out()).isEqualTo(Presets.shipped().get("dqn-CartPole-v1").text());
        CliTest.Run unknown = CliTest.run("presets", "show", "dqn-CartPole");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown preset 'dqn-CartPole'; valid: dqn-CartPole-v1");
    }
}
