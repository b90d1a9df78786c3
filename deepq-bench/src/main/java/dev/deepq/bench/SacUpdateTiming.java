package dev.deepq.bench;

import dev.deepq.algo.SacSteps;
import dev.deepq.nn.Kernels;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The updates of {@link SacUpdateBenchmark} timed by the calling thread's CPU time, which other jobs on the machine's
 * two shared cores disturb less than wall time: after {@code warmup} updates, {@code rounds} rounds of {@code steps}
 * updates; prints the median and the best round in µs per update. {@code what} is {@code sac},
 * {@code ensemble-separate}, {@code ensemble-batched} or {@code dqn-SHAPE} ({@link MlpUpdateBenchmark}'s DQN update,
 * e.g. {@code dqn-4-120-84-2/128}). GFLOP/s of {@code sac} count the products {@code Sac} runs (547.0 MFLOP: the
 * actor step runs the critics' {@code backwardInputOnly} and reuses the actor's forward pass on s);
 * {@code sac-full-count} divides by the 649.6 MFLOP of a SAC update without those savings (Stable-Baselines3's). With {@code -Ddeepq.threads=2} the helper thread's CPU
 * time is not the caller's, so give {@code -Dtiming.wall=true} to time by the wall clock (both ways are comparable
 * only to runs timed the same way). Run: {@code java --add-modules jdk.incubator.vector -cp
 * deepq-bench/target/benchmarks.jar dev.deepq.bench.SacUpdateTiming sac 400 5 60}.
 */
public final class SacUpdateTiming {
    private SacUpdateTiming() {}

    public static void main(String[] args) {
        String what = args.length > 0 ? args[0] : "sac";
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        boolean wall = Boolean.getBoolean("timing.wall");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Runnable update;
        double flops;
        switch (what) {
            case "sac", "sac-full-count" -> {
                SacUpdateBenchmark.SacState s = new SacUpdateBenchmark.SacState();
                s.setUp();
                update = () -> SacSteps.trainStep(s.sac);
                flops = what.equals("sac") ? SacUpdateBenchmark.sacFlops(true, true)
                        : SacUpdateBenchmark.sacFlops(false, false);
            }
            case "ensemble-separate", "ensemble-batched" -> {
                SacUpdateBenchmark.EnsembleState s = new SacUpdateBenchmark.EnsembleState();
                s.critics = 10;
                s.layout = what.substring("ensemble-".length());
                s.setUp();
                SacUpdateBenchmark bench = new SacUpdateBenchmark();
                update = () -> bench.ensemble(s);
                flops = SacUpdateBenchmark.ensembleFlops(10);
            }
            default -> {
                if (!what.startsWith("dqn-")) {
                    throw new IllegalArgumentException("what must be sac, sac-full-count, ensemble-separate,"
                            + " ensemble-batched or dqn-SHAPE (e.g. dqn-4-64-64-2/128), got " + what);
                }
                MlpUpdateBenchmark bench = new MlpUpdateBenchmark();
                bench.kernels = "vector";
                bench.shape = what.substring("dqn-".length());
                bench.loss = "huber";
                bench.setUp();
                update = bench::update;
                flops = MlpUpdateBenchmark.updateFlops(bench.shape);
            }
        }
        for (int i = 0; i < warmup; i++) {
            update.run();
        }
        double[] us = new double[rounds];
        com.sun.management.ThreadMXBean memory = (com.sun.management.ThreadMXBean) threads;
        long allocatedBefore = 0;
        for (int r = 0; r < rounds; r++) {
            if (r == rounds / 2) {
                allocatedBefore = memory.getCurrentThreadAllocatedBytes();
            }
            long t0 = wall ? System.nanoTime() : threads.getCurrentThreadCpuTime();
            for (int i = 0; i < steps; i++) {
                update.run();
            }
            long t1 = wall ? System.nanoTime() : threads.getCurrentThreadCpuTime();
            us[r] = (t1 - t0) / 1e3 / steps;
        }
        double allocatedPerUpdate = (memory.getCurrentThreadAllocatedBytes() - allocatedBefore)
                / (double) ((rounds - rounds / 2) * steps);
        double[] sorted = us.clone();
        Arrays.sort(sorted);
        double median = sorted[rounds / 2];
        System.out.printf(Locale.ROOT, "%s, %s, %s time: median %.0f µs (%.1f GFLOP/s of %.1f MFLOP), best %.0f µs"
                        + " (%.1f GFLOP/s); %.1f bytes allocated per update in the second half (calling thread)%n",
                what, Kernels.get().name(), wall ? "wall" : "thread CPU", median, flops / median / 1e3, flops / 1e6,
                sorted[0], flops / sorted[0] / 1e3, allocatedPerUpdate);
    }
}
