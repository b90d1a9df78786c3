package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.algo.TabularConfig.Rule;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TabularModelFileTest {

    /** A saved and reloaded agent has the same config and the same Q values (both tables for Double Q). */
    @ParameterizedTest
    @EnumSource(Rule.class)
    void saveThenLoadKeepsTheTablesAndConfig(Rule rule, @TempDir Path dir) throws IOException {
        VectorEnv env = VectorEnvs.make("Taxi-v3", 1);
        TabularConfig config = TabularConfig.defaults(5_000).withRule(rule).withLearningRate(0.3);
        TabularAgent agent = new TabularAgent(env.singleObservationSpace(), env.singleActionSpace(), config, 4);
        new Trainer(env, agent, config.totalSteps(), 4).run();
        Path file = dir.resolve("model.safetensors");
        agent.save(file);

        TabularAgent loaded = TabularAgent.load(file);
        assertThat(loaded.config()).isEqualTo(config);
        assertThat(loaded.qTable()).containsExactly(agent.qTable());
        for (int s = 0; s < 500; s++) {
            for (int a = 0; a < 6; a++) {
                assertThat(loaded.value(s, a)).isEqualTo(agent.value(s, a));
            }
        }
        assertThat(agent.qTable()).as("training changed the table").isNotEqualTo(new double[500 * 6]);
    }

    @Test
    void aForeignFileIsRefusedWithItsName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("not-a-model.safetensors");
        dev.deepq.io.SafeTensors.builder().put("x", new double[] {1}, 1).metadata("format", "other").write(file);
        assertThatThrownBy(() -> TabularAgent.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("not-a-model.safetensors").hasMessageContaining("not a deepq tabular model");
        Files.delete(file);
    }
}
