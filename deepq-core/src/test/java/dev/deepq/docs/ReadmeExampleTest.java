package dev.deepq.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.algo.Dqn;
import dev.deepq.algo.DqnConfig;
import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.eval.EpisodeStats;
import dev.deepq.eval.Evaluation;
import dev.deepq.train.Trainer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's library example, line for line (with a shorter run), so the README cannot drift from the API. */
class ReadmeExampleTest {
    @Test
    void readmeLibraryExampleRuns(@TempDir Path dir) throws Exception {
        // --- README begins ---
        DqnConfig config = DqnConfig.cleanRl().withDoubleQ(true).withTotalSteps(20_000).with("learning_starts", 2_000);
        VectorEnv envs = VectorEnvs.make("CartPole-v1", config.numEnvs());
        Dqn agent = new Dqn(envs.singleObservationSpace(), envs.singleActionSpace(), config, /* seed */ 1);
        new Trainer(envs, agent, config.totalSteps(), /* seed */ 1).run();

        EpisodeStats result = Evaluation.run(agent, Envs.make("CartPole-v1"), /* episodes */ 20, /* seed */ 100);
        Env env = Envs.make("CartPole-v1");
        StepResult step = env.reset(42);
        int action = agent.act(step.observation());          // greedy action, no allocation
        agent.save(dir.resolve("cartpole.safetensors"));      // data only: safetensors + config metadata
        Dqn restored = Dqn.load(dir.resolve("cartpole.safetensors"));
        // --- README ends ---
        assertThat(result.episodes()).isEqualTo(20);
        assertThat(restored.act(step.observation())).isEqualTo(action);
    }
}
