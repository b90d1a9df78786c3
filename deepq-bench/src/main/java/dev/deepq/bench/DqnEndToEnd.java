package dev.deepq.bench;

import dev.deepq.algo.Dqn;
import dev.deepq.algo.DqnConfig;
import dev.deepq.env.Envs;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.eval.EpisodeStats;
import dev.deepq.eval.Evaluation;
import dev.deepq.nn.Kernels;
import dev.deepq.train.EpisodeLog;
import dev.deepq.train.Trainer;
import java.util.Locale;
import java.util.Map;

/**
 * End-to-end wall time of a whole DQN training run, the figure compared with CleanRL's and Stable-Baselines3's:
 * <pre>
 *   taskset -c 0 java --add-modules jdk.incubator.vector -cp deepq-bench/target/benchmarks.jar \
 *       dev.deepq.bench.DqnEndToEnd cleanrl CartPole-v1 1 [2 3 ...]
 * </pre>
 * {@code cleanrl} is CleanRL's dqn.py config (500k steps), {@code zoo} RL Zoo's tuned CartPole config (50k steps).
 * Prints one line per seed: wall time of training (env steps, acting and learning; JVM start and evaluation
 * excluded), steps per second, the mean of the last 10 training episodes, a 10-episode greedy evaluation, and how
 * many training episodes ended before the env's time limit (on MountainCar: reached the flag) and the first's end step.
 */
public final class DqnEndToEnd {
    private DqnEndToEnd() {}

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: DqnEndToEnd cleanrl|zoo ENV SEED [SEED ...]");
            System.exit(2);
        }
        DqnConfig config = switch (args[0]) {
            case "cleanrl" -> DqnConfig.cleanRl();
            case "zoo" -> DqnConfig.rlZooCartPole();
            default -> throw new IllegalArgumentException("preset must be cleanrl or zoo, got " + args[0]);
        };
        String envId = args[1];
        System.out.println("kernels: " + Kernels.get().name() + ", config " + args[0] + ", " + envId);
        for (int i = 2; i < args.length; i++) {
            long seed = Long.parseLong(args[i]);
            VectorEnv env = VectorEnvs.make(envId, Map.of(), config.numEnvs(), 1);
            Dqn agent = new Dqn(env.singleObservationSpace(), env.singleActionSpace(), config, seed);
            long start = System.nanoTime();
            Trainer trainer = new Trainer(env, agent, config.totalSteps(), seed).run();
            double seconds = (System.nanoTime() - start) / 1e9;
            EpisodeStats eval = Evaluation.run(agent, Envs.make(envId), 10, 1_000_000 + seed);
            // Episodes that ended before the time limit (on MountainCar: reached the flag), and when the first did.
            Integer limit = Envs.spec(envId).maxEpisodeSteps();
            EpisodeLog episodes = trainer.episodes();
            int early = 0;
            long firstEarly = -1;
            for (int e = 0; e < episodes.size(); e++) {
                if (limit != null && episodes.lengthOf(e) < limit) {
                    early++;
                    firstEarly = firstEarly < 0 ? episodes.endStepOf(e) : firstEarly;
                }
            }
            System.out.printf(Locale.ROOT, "seed %d: %.2f s, %.0f steps/s, %d gradient updates, last-10 training return %.1f,"
                            + " greedy eval %.1f, %d of %d episodes ended before the time limit (first at step %d)%n",
                    seed, seconds, config.totalSteps() / seconds, agent.gradientUpdates(),
                    episodes.recentMeanReturn(10), eval.mean(), early, episodes.size(), firstEarly);
        }
    }
}
