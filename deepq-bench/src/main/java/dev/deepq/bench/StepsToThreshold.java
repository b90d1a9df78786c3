package dev.deepq.bench;

import dev.deepq.algo.Sac;
import dev.deepq.algo.SacConfig;
import dev.deepq.env.Envs;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.train.PeriodicEvaluation;
import dev.deepq.train.Trainer;
import java.util.Locale;
import java.util.Map;

/**
 * Environment steps until the greedy policy first averages above -200 on Pendulum-v1 (10 episodes, evaluated every
 * 250 steps, the run stopped there), for SAC with RL Zoo's settings and for REDQ and DroQ with the settings of the
 * {@code redq-Pendulum-v1} and {@code droq-Pendulum-v1} presets (learning_starts 1000):
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp deepq-bench/target/benchmarks.jar \
 *       dev.deepq.bench.StepsToThreshold sac|redq|droq [KEY=VALUE ...] SEED [SEED ...]
 * </pre>
 * KEY=VALUE pairs change the configuration as {@code --set} does on the command line (e.g.
 * {@code network_init=pytorch}, the initialisation the presets used before they took the reference codes' xavier).
 * The evaluation protocol is {@code RedqLearningTest}'s (evaluation env seeded 1000 + seed), so seed 1 of REDQ and
 * DroQ repeats that test's runs.
 */
public final class StepsToThreshold {
    private static final double THRESHOLD = -200;
    private static final int EVAL_EVERY = 250;

    private StepsToThreshold() {}

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: StepsToThreshold sac|redq|droq [KEY=VALUE ...] SEED [SEED ...]");
            System.exit(2);
        }
        SacConfig config = switch (args[0]) {
            case "sac" -> SacConfig.rlZooPendulum();
            case "redq" -> SacConfig.redq().with("learning_starts", 1000).with("total_steps", 5000);
            case "droq" -> SacConfig.droq().with("learning_starts", 1000).with("total_steps", 5000);
            default -> throw new IllegalArgumentException("algorithm must be sac, redq or droq, got " + args[0]);
        };
        int first = 1;
        for (; first < args.length && args[first].contains("="); first++) {
            String[] pair = args[first].split("=", 2);
            config = config.with(pair[0], pair[1]);
        }
        if (first == args.length) {
            System.err.println("StepsToThreshold: no SEED after the KEY=VALUE settings");
            System.exit(2);
        }
        for (int i = first; i < args.length; i++) {
            long seed = Long.parseLong(args[i]);
            run(args[0], config, seed);
        }
    }

    private static void run(String name, SacConfig config, long seed) {
        VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), 1, 1);
        Sac agent = new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, seed);
        PeriodicEvaluation evaluation = new PeriodicEvaluation(Envs.make("Pendulum-v1"), EVAL_EVERY, 10, 1000 + seed)
                .stopAbove(THRESHOLD);
        long start = System.nanoTime();
        new Trainer(env, agent, config.totalSteps(), seed).callback(evaluation).run();
        StringBuilder curve = new StringBuilder();
        for (PeriodicEvaluation.Result r : evaluation.results()) {
            curve.append(String.format(Locale.ROOT, " %d:%.0f", r.step(), r.stats().mean()));
        }
        PeriodicEvaluation.Result last = evaluation.latest();
        System.out.printf(Locale.ROOT, "%s seed %d: %s at step %d (greedy mean %.1f), %.0f s; evaluations%s%n", name,
                seed, evaluation.reachedStopLevel() ? "above -200" : "not above -200", last.step(),
                last.stats().mean(), (System.nanoTime() - start) / 1e9, curve);
    }
}
