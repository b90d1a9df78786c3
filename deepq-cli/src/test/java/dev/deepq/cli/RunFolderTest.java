package dev.deepq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.deepq.algo.DqnConfig;
import dev.deepq.train.RecordConfigs;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'deepq train' end to end: the run folder's files, and config.yaml repeating the run exactly. */
class RunFolderTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A short DQN run on the tuned CartPole preset: 1500 steps, so about 250 gradient steps after learning starts. */
    static CliTest.Run shortDqnRun(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--steps", "1500", "--seed", "3", "--eval-freq", "500",
                "--eval-episodes", "3", "--out", out.toString()));
        args.addAll(List.of(extra));
        CliTest.Run r = CliTest.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        return r;
    }

    @Test
    void defaultTrainWritesTheWholeRunFolderAndConfigRepeatsTheRun(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first");
        CliTest.Run r = shortDqnRun(first);
        assertThat(r.out()).contains("dqn on CartPole-v1, seed 3, preset dqn-CartPole-v1", "run folder: " + first);
        for (String f : List.of("config.yaml", "metrics.csv", "eval.csv", "model.safetensors", "learning_curve.png",
                "summary.json")) {
            assertThat(first.resolve(f)).as(f).isRegularFile();
        }
        assertThat(first.resolve("checkpoints")).isDirectory();

        JsonNode config = YAML.readTree(first.resolve("config.yaml").toFile());
        assertThat(config.get("env").asText()).isEqualTo("CartPole-v1");
        assertThat(config.get("algo").asText()).isEqualTo("dqn");
        assertThat(config.get("seed").asLong()).isEqualTo(3);
        assertThat(config.get("preset").asText()).isEqualTo("dqn-CartPole-v1");
        List<String> keys = new ArrayList<>();
        config.get("config").fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as("every config key spelled out").containsExactlyElementsOf(RecordConfigs.keys(DqnConfig.cleanRl()));
        assertThat(config.get("config").get("learning_rate").asDouble()).isEqualTo(2.3e-3);
        assertThat(config.get("config").get("total_steps").asLong()).isEqualTo(1500);
        assertThat(config.get("eval").get("frequency").asLong()).isEqualTo(500);
        JsonNode provenance = config.get("provenance");
        for (String k : List.of("deepq_version", "git_commit", "jvm", "java_version", "os", "cpu", "cores", "command")) {
            assertThat(provenance.hasNonNull(k)).as(k).isTrue();
        }
        assertThat(provenance.get("command").asText()).startsWith("deepq train --steps 1500");

        JsonNode summary = JSON.readTree(first.resolve("summary.json").toFile());
        assertThat(summary.get("steps_taken").asLong()).isEqualTo(1500);
        assertThat(summary.get("evaluations").asInt()).isEqualTo(3);
        assertThat(summary.get("final_eval").get("returns").size()).isEqualTo(3);
        assertThat(summary.get("final_eval").has("iqm")).isTrue();
        assertThat(Files.readString(first.resolve("eval.csv")).lines().toList())
                .hasSize(4).first().isEqualTo("step,episodes,mean,std,iqm,min,max,mean_length");
        assertThat(Files.readString(first.resolve("eval.csv")).lines().skip(1).map(l -> l.split(",")[0]).toList())
                .containsExactly("500", "1000", "1500");
        assertThat(Files.readString(first.resolve("metrics.csv")).lines().count())
                .isEqualTo(summary.get("train_episodes").asInt() + 1L);

        BufferedImage png = ImageIO.read(first.resolve("learning_curve.png").toFile());
        assertThat(png.getWidth()).isEqualTo(LearningCurvePlot.WIDTH);
        assertThat(png.getHeight()).isEqualTo(LearningCurvePlot.HEIGHT);

        // config.yaml is a preset: training from it repeats the run exactly.
        Path second = dir.resolve("second");
        CliTest.Run again = CliTest.run("train", "--preset", first.resolve("config.yaml").toString(), "--out",
                second.toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(TrainCommandTest.summaryWithoutTiming(second)).isEqualTo(TrainCommandTest.summaryWithoutTiming(first));
        assertThat(Files.readString(second.resolve("metrics.csv"))).isEqualTo(Files.readString(first.resolve("metrics.csv")));
        assertThat(Files.readString(second.resolve("eval.csv"))).isEqualTo(Files.readString(first.resolve("eval.csv")));
        assertThat(Files.readAllBytes(second.resolve("model.safetensors")))
                .isEqualTo(Files.readAllBytes(first.resolve("model.safetensors")));
    }

    @Test
    void withoutOutTheRunGoesToANamedFolderUnderRunsDir(@TempDir Path runs) throws Exception {
        CliTest.Run r = CliTest.run("train", "FrozenLake-v1", "--steps", "2000", "--seed", "4", "--runs-dir",
                runs.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        List<Path> folders;
        try (Stream<Path> s = Files.list(runs)) {
            folders = s.toList();
        }
        assertThat(folders).hasSize(1);
        assertThat(folders.get(0).getFileName().toString()).matches("FrozenLake-v1__qlearning__4__\\d{8}-\\d{6}");
        assertThat(folders.get(0).resolve("summary.json")).isRegularFile();
        assertThat(r.err()).as("--quiet").isEmpty();
        JsonNode config = YAML.readTree(folders.get(0).resolve("config.yaml").toFile());
        assertThat(config.get("preset").asText()).isEqualTo("qlearning-FrozenLake-v1");
        assertThat(config.get("env_options").get("is_slippery").asBoolean()).as("env defaults spelled out").isTrue();
        assertThat(config.get("env_options").get("map_name").asText()).isEqualTo("4x4");
    }

    @Test
    void plainProgressLinesGoToStderr(@TempDir Path dir) {
        CliTest.Run r = CliTest.run("train", "Taxi-v3", "--steps", "30000", "--progress", "plain", "--progress-interval",
                "0", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.err().lines().toList();
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("qlearning Taxi-v3: ").contains("steps/s", "ETA"));
        assertThat(lines.get(lines.size() - 1)).contains("30,000/30,000 steps (100%)", "epsilon 0.0500", "eval ");
        assertThat(r.out()).doesNotContain("steps/s |");
    }
}
