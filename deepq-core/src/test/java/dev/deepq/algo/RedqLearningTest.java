package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.env.Envs;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.train.PeriodicEvaluation;
import dev.deepq.train.Trainer;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * REDQ and DroQ with the settings of the {@code redq-Pendulum-v1} and {@code droq-Pendulum-v1} presets swing the
 * pendulum up (greedy mean of 10 episodes above -200) within the presets' steps, on seed 1. Every 250 steps the
 * greedy policy is evaluated; the run stops at the first evaluation above -200 (the update-to-data ratio of 20 makes
 * each env step cost 20 gradient steps of every critic, so running on would only cost time).
 */
@Tag("slow")
class RedqLearningTest {
    /** The presets' overrides of the reference settings: 5 Pendulum episodes of random data, 5000 steps. */
    static SacConfig pendulum(SacConfig reference) {
        return reference.with("learning_starts", 1000).with("total_steps", 5000);
    }

    @Test
    void redqSwingsUpWithinItsPresetsSteps() {
        assertReachesMinus200("REDQ", pendulum(SacConfig.redq()), 1);
    }

    @Test
    void droqSwingsUpWithinItsPresetsSteps() {
        assertReachesMinus200("DroQ", pendulum(SacConfig.droq()), 1);
    }

    private static void assertReachesMinus200(String name, SacConfig config, long seed) {
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
        Sac sac = new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, seed);
        PeriodicEvaluation evaluation = new PeriodicEvaluation(Envs.make("Pendulum-v1"), 250, 10, 1000 + seed)
                .stopAbove(-200);
        long start = System.nanoTime();
        new Trainer(env, sac, config.totalSteps(), seed).callback(evaluation).run();
        for (PeriodicEvaluation.Result r : evaluation.results()) {
            System.out.printf("%s Pendulum-v1 seed %d, step %d: greedy mean %.1f%n", name, seed, r.step(),
                    r.stats().mean());
        }
        PeriodicEvaluation.Result last = evaluation.latest();
        System.out.printf("%s Pendulum-v1 seed %d: greedy mean %.1f at step %d of %d, %.0f s%n", name, seed,
                last.stats().mean(), last.step(), config.totalSteps(), (System.nanoTime() - start) / 1e9);
        assertThat(last.stats().mean()).as("%s seed %d", name, seed).isGreaterThan(-200);
    }
}
