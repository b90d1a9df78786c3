package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.nn.Kernels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With two kernel threads the critics of an ensemble train concurrently (one task per critic) and large products are
 * split by rows; the whole trained state must still be the same bits as on one thread. SAC (minimum over twin
 * critics), REDQ-like (mean over 4 critics, random target subsets of 2, two critic steps per env step), DroQ-like
 * (dropout: its critics stay on one thread) and TD3 (first critic) are trained here on one thread and in a child JVM
 * with {@code -Ddeepq.threads=2}, and their state digests compared.
 */
class ActorCriticThreadCountTest {

    private static SacConfig small(SacConfig base) {
        return base.with("total_steps", 400).with("hidden", "[16, 16]").with("batch_size", 16)
                .with("buffer_size", 400).with("learning_starts", 100);
    }

    private static final String[] NAMES = {"sac", "sac-gsde", "redq", "droq", "td3"};

    private static String digest(String name) throws Exception {
        ActorCriticPinnedStateTest.Factory factory = switch (name) {
            case "sac" -> ActorCriticPinnedStateTest.sac(small(SacConfig.stableBaselines3()));
            case "sac-gsde" -> ActorCriticPinnedStateTest.sac(small(SacConfig.stableBaselines3()).with("use_sde", true)
                    .with("hidden", "[64, 64]").with("batch_size", 64).with("train_frequency", 8)
                    .with("gradient_steps", 8));
            case "redq" -> ActorCriticPinnedStateTest.sac(small(SacConfig.redq()).with("n_critics", 4)
                    .with("gradient_steps", 2).with("policy_frequency", 2));
            case "droq" -> ActorCriticPinnedStateTest.sac(small(SacConfig.droq()).with("gradient_steps", 2)
                    .with("policy_frequency", 2));
            case "td3" -> ActorCriticPinnedStateTest.td3(Td3Config.stableBaselines3().with("total_steps", 400)
                    .with("hidden", "[16, 16]").with("batch_size", 16).with("buffer_size", 400)
                    .with("learning_starts", 100));
            default -> throw new IllegalArgumentException(name);
        };
        return ActorCriticPinnedStateTest.digest(factory, 1, 400, 3);
    }

    @Test
    void twoKernelThreadsGiveTheSameTrainedState() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Ddeepq.threads=2", "-cp",
                System.getProperty("java.class.path"), ActorCriticThreadCountTest.class.getName());
        Process child = new ProcessBuilder(command).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor()).as(err).isZero();
        List<String> lines = out.lines().toList();
        assertThat(Kernels.get().threads()).isEqualTo(1);
        if (Kernels.vectorAvailable()) {
            assertThat(lines.get(0)).as("the child's kernels").contains("2 threads");
        }
        List<String> expected = new ArrayList<>();
        for (String name : NAMES) {
            expected.add(name + " " + digest(name));
        }
        assertThat(lines.subList(1, lines.size())).isEqualTo(expected);
    }

    /** Prints the kernels' name, then "name digest" per case. */
    public static void main(String[] args) throws Exception {
        System.out.println(Kernels.get().name());
        for (String name : NAMES) {
            System.out.println(name + " " + digest(name));
        }
    }
}
