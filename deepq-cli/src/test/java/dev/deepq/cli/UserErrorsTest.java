package dev.deepq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every mistake a user can make on 'deepq train': exit code 2, one message naming option, value and what is valid. */
class UserErrorsTest {
    static CliTest.Run userError(String... args) {
        CliTest.Run r = CliTest.run(args);
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("deepq: error: ").doesNotContain("\tat ");
        assertThat(r.err().lines().count()).as("one message").isEqualTo(1);
        return r;
    }

    @Test
    void unknownEnvAlgorithmPresetAndKey(@TempDir Path dir) {
        assertThat(userError("train", "CartPol-v1", "--out", dir.toString()).err())
                .contains("ENV: unknown environment id 'CartPol-v1'", "did you mean CartPole-v1");
        assertThat(userError("train", "--algo", "ppo", "--out", dir.toString()).err())
                .contains("--algo: unknown algorithm 'ppo'; valid: dqn, qlearning, sarsa, expected-sarsa, double-qlearning");
        assertThat(userError("train", "--preset", "dqn-CartPol-v1", "--out", dir.toString()).err())
                .contains("--preset: unknown preset 'dqn-CartPol-v1'; valid: dqn-CartPole-v1,", "a path to a .yaml file");
        assertThat(userError("train", "--preset", dir.resolve("missing.yaml").toString()).err())
                .contains("--preset: file '", "missing.yaml' does not exist");
        assertThat(userError("train", "--set", "learning_rat=0.1", "--out", dir.toString()).err())
                .contains("--set: unknown config key 'learning_rat' for DqnConfig; valid keys: learning_rate, buffer_size");
        assertThat(userError("train", "-o", "gravity=3", "--out", dir.toString()).err())
                .contains("CartPole-v1 does not take option 'gravity'; it takes no options");
        assertThat(userError("train", "--progress", "fancy").err()).contains("--progress must be one of auto, bar, plain, none; got 'fancy'");
    }

    @Test
    void wrongTypesAndOutOfRangeValues(@TempDir Path dir) {
        assertThat(userError("train", "--set", "batch_size=big", "--out", dir.toString()).err())
                .contains("--set: config key 'batch_size' must be an integer, got 'big'");
        assertThat(userError("train", "--set", "hidden=wide", "--out", dir.toString()).err())
                .contains("config key 'hidden' must be a list of integers like [64,64], got 'wide'");
        assertThat(userError("train", "--set", "loss=l1", "--out", dir.toString()).err())
                .contains("config key 'loss' must be one of mse, huber, got 'l1'");
        assertThat(userError("train", "--set", "gamma=1.5", "--out", dir.toString()).err())
                .contains("--set: gamma must be in [0, 1], got 1.5");
        assertThat(userError("train", "--steps", "0", "--out", dir.toString()).err())
                .contains("--steps must be a positive integer, got 0");
        assertThat(userError("train", "--seed", "-1", "--out", dir.toString()).err())
                .contains("--seed must be a non-negative integer, got -1");
        assertThat(userError("train", "--steps", "ten").err()).contains("'ten'", "--steps");
        assertThat(userError("train", "--eval-episodes", "0", "--out", dir.toString()).err())
                .contains("--eval-episodes must be positive, got 0");
    }

    @Test
    void algorithmsThatCannotHandleTheEnvsSpaces(@TempDir Path dir) {
        assertThat(userError("train", "Pendulum-v1", "--algo", "dqn", "--out", dir.toString()).err())
                .contains("--algo dqn cannot train on Pendulum-v1: DQN needs a Discrete or MultiDiscrete action space, "
                        + "got Box(-2.0, 2.0, (1,), float32)");
        assertThat(userError("train", "CartPole-v1", "--algo", "sarsa", "--out", dir.toString()).err())
                .contains("--algo sarsa cannot train on CartPole-v1: tabular agents need a Discrete observation space, got Box(");
        assertThat(userError("train", "Acrobot-v1", "--preset", "dqn-CartPole-v1", "--out", dir.toString()).err())
                .contains("--preset dqn-CartPole-v1 is for CartPole-v1, not Acrobot-v1; presets for Acrobot-v1: dqn-Acrobot-v1, dqn-Acrobot-v1-cleanrl");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void malformedAndInvalidPresetFilesNameTheFileAndLine(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "env: CartPole-v1\nalgo: dqn\nconfig:\n  learning_rate: 0.1\n   batch_size: [64\n");
        assertThat(userError("train", "--preset", broken.toString()).err())
                .contains(broken.toString() + ", line 5", "malformed YAML");

        Path unknownTop = dir.resolve("top.yaml");
        Files.writeString(unknownTop, "env: CartPole-v1\nalgo: dqn\nhyperparameters:\n  learning_rate: 0.1\n");
        assertThat(userError("train", "--preset", unknownTop.toString()).err())
                .contains(unknownTop + ", line 3: unknown key 'hyperparameters'; valid keys: algo, config,");

        Path badKey = dir.resolve("key.yaml");
        Files.writeString(badKey, "# my preset\nenv: CartPole-v1\nalgo: dqn\nconfig:\n  learning_rate: 0.001\n  lr_decay: 0.5\n");
        assertThat(userError("train", "--preset", badKey.toString()).err())
                .contains(badKey + ", line 6: unknown config key 'lr_decay' for DqnConfig; valid keys: learning_rate");

        Path badValue = dir.resolve("value.yaml");
        Files.writeString(badValue, "env: CartPole-v1\nalgo: dqn\nconfig:\n  gamma: 0.99\n  tau: 2.0\n");
        assertThat(userError("train", "--preset", badValue.toString()).err())
                .contains(badValue + ", line 5: tau must be in (0, 1], got 2.0");

        Path duplicate = dir.resolve("dup.yaml");
        Files.writeString(duplicate, "env: CartPole-v1\nenv: Acrobot-v1\n");
        assertThat(userError("train", "--preset", duplicate.toString()).err()).contains(duplicate + ", line 2", "env");

        Path list = dir.resolve("list.yaml");
        Files.writeString(list, "- a\n- b\n");
        assertThat(userError("train", "--preset", list.toString()).err()).contains("a preset file must be a YAML mapping");
    }

    @Test
    void aUserPresetFileWithoutEnvOrAlgoTakesThemFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path mine = dir.resolve("mine.yaml");
        Files.writeString(mine, "config:\n  learning_rate: 0.3\n  total_steps: 2000\n");
        CliTest.Run r = CliTest.run("train", "Taxi-v3", "--algo", "sarsa", "--preset", mine.toString(), "--quiet",
                "--out", dir.resolve("run").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("sarsa on Taxi-v3, seed 0, preset mine: 2000 steps");
    }

    @Test
    void debugShowsTheStackTrace() {
        CliTest.Run r = CliTest.run("--debug", "train", "--algo", "ppo");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("\tat ");
    }
}
