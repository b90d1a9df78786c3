package dev.deepq.bench;

import dev.deepq.algo.Sac;
import dev.deepq.algo.SacConfig;
import dev.deepq.algo.SacSteps;
import dev.deepq.env.Envs;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The SAC update of {@link SacUpdateBenchmark} timed by the calling thread's CPU time (less disturbed than wall time
 * when other jobs share the machine's two cores): after {@code warmup} steps, {@code rounds} rounds of {@code steps}
 * steps; prints each round's µs per step and the median. With a second kernel thread on, the worker's CPU time is
 * not counted, so this mode reports wall time instead. Run: {@code java --add-modules jdk.incubator.vector -cp
 * deepq-bench/target/benchmarks.jar dev.deepq.bench.SacUpdateTiming [warmup steps rounds]}.
 */
public final class SacUpdateTiming {
    private SacUpdateTiming() {}

    public static void main(String[] args) {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        boolean wall = Boolean.getBoolean("timing.wall");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Sac sac = new Sac(Envs.make("Pendulum-v1").observationSpace(), Envs.make("Pendulum-v1").actionSpace(),
                SacConfig.rlZooPendulum(), 1);
        SacUpdateBenchmark.fillReplay(sac, 10_000);
        for (int i = 0; i < warmup; i++) {
            SacSteps.trainStep(sac);
        }
        double[] us = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = wall ? System.nanoTime() : threads.getCurrentThreadCpuTime();
            for (int i = 0; i < steps; i++) {
                SacSteps.trainStep(sac);
            }
            long t1 = wall ? System.nanoTime() : threads.getCurrentThreadCpuTime();
            us[r] = (t1 - t0) / 1e3 / steps;
        }
        double[] sorted = us.clone();
        Arrays.sort(sorted);
        double median = sorted[rounds / 2];
        System.out.printf(Locale.ROOT, "SAC update %s: rounds %s µs, median %.0f µs = %.1f GFLOP/s executed"
                        + " (%.1f MFLOP), best %.0f µs%n", wall ? "wall" : "thread CPU", Arrays.toString(round(us)),
                median, SacUpdateBenchmark.sacFlops(false) / median / 1e3, SacUpdateBenchmark.sacFlops(false) / 1e6,
                sorted[0]);
    }

    private static long[] round(double[] x) {
        long[] r = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = Math.round(x[i]);
        }
        return r;
    }
}
