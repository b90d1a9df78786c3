package dev.deepq.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DqnTrace}: the files agree with each other and with the run; bad arguments are refused by name. */
class DqnTraceTest {
    @Test
    void recordsEveryStepEveryUpdateAndEveryKthWeights(@TempDir Path dir) throws IOException {
        // CleanRL's config starts learning after 10,000 steps and trains every 10th: 10,300 steps give 29 updates.
        long updates = DqnTrace.record("CartPole-v1", 3, 10_300, 7, dir);
        assertThat(updates).isEqualTo(29);

        List<String> layout = Files.readAllLines(dir.resolve("layout.txt"));
        assertThat(layout).containsExactly("0.weight 0 [120,4]", "0.bias 480 [120]", "2.weight 600 [84,120]",
                "2.bias 10680 [84]", "4.weight 10764 [2,84]", "4.bias 10932 [2]");
        int parameters = 10_934;
        assertThat(Files.size(dir.resolve("init.f32"))).isEqualTo(4L * parameters);
        assertThat(Files.size(dir.resolve("transitions.f32"))).isEqualTo(4L * 10_300 * (2 * 4 + 4));
        assertThat(Files.size(dir.resolve("batches.f32"))).isEqualTo(4L * updates * 128 * (2 * 4 + 3));
        assertThat(Files.size(dir.resolve("weights.f32"))).isEqualTo(4L * (updates / 7) * parameters);

        ByteBuffer steps = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("updates.i64"))).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(steps.remaining()).isEqualTo(8 * (int) updates);
        for (long u = 0; u < updates; u++) {
            assertThat(steps.getLong()).isEqualTo(10_010 + 10 * u);
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheArgumentAndValue() {
        assertThatThrownBy(() -> DqnTrace.Options.parse(new String[] {"CartPole-v1", "1", "100"}))
                .hasMessageContaining("expected 5 arguments, got 3");
        assertThatThrownBy(() -> DqnTrace.Options.parse(new String[] {"CartPole-v1", "one", "100", "10", "d"}))
                .hasMessageContaining("SEED").hasMessageContaining("'one'");
        assertThatThrownBy(() -> DqnTrace.Options.parse(new String[] {"CartPole-v1", "1", "0", "10", "d"}))
                .hasMessageContaining("STEPS").hasMessageContaining("0");
        assertThatThrownBy(() -> DqnTrace.Options.parse(new String[] {"CartPole-v1", "1", "100", "0", "d"}))
                .hasMessageContaining("EVERY_K").hasMessageContaining("0");
        assertThatThrownBy(() -> DqnTrace.Options.parse(new String[] {"CartPole-v1", "1", "1e5", "10", "d"}))
                .hasMessageContaining("STEPS must be an integer, got '1e5'");
    }

    @Test
    void anUnknownEnvOrAContinuousOneWritesNothing(@TempDir Path tmp) {
        Path dir = tmp.resolve("trace");
        assertThatThrownBy(() -> DqnTrace.record("NoSuchEnv-v0", 1, 100, 10, dir)).hasMessageContaining("NoSuchEnv-v0");
        assertThatThrownBy(() -> DqnTrace.record("Pendulum-v1", 1, 100, 10, dir)).hasMessageContaining("Discrete");
        assertThat(dir).doesNotExist();
    }
}
