package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.env.Envs;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.eval.Evaluation;
import dev.deepq.train.Trainer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import java.util.Map;

/** TD3 and DDPG with RL Zoo's Pendulum settings (20k steps) swing the pendulum up. */
@Tag("slow")
class Td3LearningTest {

    private static double train(Td3Config config, long seed, String label) {
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
        Td3 agent = new Td3(env.singleObservationSpace(), env.singleActionSpace(), config, seed);
        long start = System.nanoTime();
        new Trainer(env, agent, config.totalSteps(), seed).run();
        double seconds = (System.nanoTime() - start) / 1e9;
        double mean = Evaluation.run(agent, Envs.make("Pendulum-v1"), 10, 1000 + seed).mean();
        System.out.printf("%s Pendulum-v1 seed %d: greedy mean %.1f over 10 episodes, %.1f s%n", label, seed, mean,
                seconds);
        return mean;
    }

    @Test
    void rlZooTd3PendulumReachesMinus200() {
        for (long seed : new long[] {1, 2}) {
            assertThat(train(Td3Config.rlZooPendulum(), seed, "TD3")).as("seed %d", seed).isGreaterThanOrEqualTo(-200);
        }
    }

    @Test
    void rlZooDdpgPendulumReachesMinus200() {
        Td3Config ddpg = Td3Config.rlZooPendulum().with("twin_critics", false).with("policy_delay", 1)
                .with("target_policy_noise", 0.0);
        assertThat(train(ddpg, 1, "DDPG")).isGreaterThanOrEqualTo(-200);
    }
}
