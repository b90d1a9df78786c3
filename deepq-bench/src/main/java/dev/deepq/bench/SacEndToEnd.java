package dev.deepq.bench;

import dev.deepq.algo.Sac;
import dev.deepq.algo.SacConfig;
import dev.deepq.env.Envs;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.eval.EpisodeStats;
import dev.deepq.eval.Evaluation;
import dev.deepq.nn.Kernels;
import dev.deepq.train.Callback;
import dev.deepq.train.Trainer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Map;

/**
 * End-to-end wall time of SAC on Pendulum-v1 with RL Zoo's settings (20k steps, 256-256 networks, batch 256, one
 * gradient step per env step), the run Stable-Baselines3 finishes in about 204 s on one core of the machine
 * ({@code deepq-bench/reference/sac_reference.py} is its PyTorch peer, timed on the same machine):
 * <pre>
 *   java --add-modules jdk.incubator.vector [-Ddeepq.threads=2] -cp deepq-bench/target/benchmarks.jar \
 *       dev.deepq.bench.SacEndToEnd SEED [SEED ...]
 * </pre>
 * Prints one line per seed: wall time of training (JVM start and evaluation excluded), the training thread's CPU
 * time, gradient updates, and a 10-episode deterministic evaluation.
 */
public final class SacEndToEnd {
    private SacEndToEnd() {}

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: SacEndToEnd SEED [SEED ...]");
            System.exit(2);
        }
        SacConfig config = SacConfig.rlZooPendulum();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.println("kernels: " + Kernels.get().name() + ", RL Zoo Pendulum-v1 SAC settings, "
                + config.totalSteps() + " steps");
        for (String arg : args) {
            long seed = Long.parseLong(arg);
            VectorEnv env = VectorEnvs.make("Pendulum-v1", Map.of(), config.numEnvs(), 1);
            Sac agent = new Sac(env.singleObservationSpace(), env.singleActionSpace(), config, seed);
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long[] cpuAtPhase = new long[5];
            new Trainer(env, agent, config.totalSteps(), seed).callback(new Callback() {
                @Override
                public void onStep(Trainer trainer) {
                    long step = trainer.step();
                    if (step % (config.totalSteps() / 4) == 0) {
                        cpuAtPhase[(int) (step / (config.totalSteps() / 4))] = threads.getCurrentThreadCpuTime();
                    }
                }
            }).run();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
            EpisodeStats eval = Evaluation.run(agent, Envs.make("Pendulum-v1"), 10, 1_000_000 + seed);
            System.out.printf(Locale.ROOT, "seed %d: %.1f s wall, %.1f s training-thread CPU (per quarter of the run:"
                    + " %.1f, %.1f, %.1f s), %d gradient updates, greedy eval %.1f%n", seed, seconds, cpuSeconds,
                    (cpuAtPhase[2] - cpuAtPhase[1]) / 1e9, (cpuAtPhase[3] - cpuAtPhase[2]) / 1e9,
                    (cpuAtPhase[4] - cpuAtPhase[3]) / 1e9, agent.gradientUpdates(), eval.mean());
        }
    }
}
