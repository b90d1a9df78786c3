package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.env.Envs;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.eval.Evaluation;
import dev.deepq.train.Trainer;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** SAC with RL Zoo's Pendulum-v1 settings (20k steps) swings the pendulum up on every one of three seeds. */
@Tag("slow")
class SacLearningTest {

    @Test
    void rlZooPendulumReachesMinus200OnThreeSeeds() {
        for (long seed : new long[] {1, 2, 3}) {
            SacConfig config = SacConfig.rlZooPendulum();
            VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
            Sac sac = new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, seed);
            long start = System.nanoTime();
            new Trainer(env, sac, config.totalSteps(), seed).run();
            double seconds = (System.nanoTime() - start) / 1e9;
            double mean = Evaluation.run(sac, Envs.make("Pendulum-v1"), 10, 1000 + seed).mean();
            System.out.printf("SAC Pendulum-v1 seed %d: greedy mean %.1f over 10 episodes, %.1f s%n", seed, mean, seconds);
            assertThat(mean).as("seed %d", seed).isGreaterThanOrEqualTo(-200);
        }
    }
}
