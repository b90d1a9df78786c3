package dev.deepq.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's fused-multiply-add ceiling as the Vector API reaches it: twelve independent accumulator chains
 * (enough to cover the FMA latency on two pipes) on registers, no memory traffic, timed by each thread's CPU time.
 * Every speed target in BENCHMARKS.md is weighed against this number, so it is measured here rather than taken from
 * a data sheet: on a shared VM the core's sibling tenants decide how much of the data-sheet peak one gets.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp deepq-bench/target/benchmarks.jar
 * dev.deepq.bench.FmaPeak [rounds] [threads ...]} (default 40 rounds, threads 1 and 2). With T threads the T loops
 * run at once, meeting at a barrier before every round; "together" is the sum of their rates in a round, the
 * throughput the machine gives T busy threads.
 */
public final class FmaPeak {
    private FmaPeak() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;
    /** FMAs per chain per timed round: ~0.1 s of work at 100 GFLOP/s. */
    private static final int ITERATIONS = 400_000_000 / S.length();
    private static final ThreadMXBean TM = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int rounds;
        int[] threadCounts;
        try {
            rounds = args.length > 0 ? parsePositive(args[0], "rounds") : 40;
            threadCounts = args.length > 1
                    ? Arrays.stream(args, 1, args.length).mapToInt(a -> parsePositive(a, "threads")).toArray()
                    : new int[] {1, 2};
        } catch (IllegalArgumentException e) {
            System.err.println("FmaPeak: " + e.getMessage() + "; usage: FmaPeak [rounds] [threads ...]");
            System.exit(2);
            return;
        }
        double flopsPerRound = 2.0 * CHAINS * S.length() * ITERATIONS;
        System.out.printf(Locale.ROOT, "%s, %d chains, %.2f GFLOP per round per thread, %d rounds after 5 warm-up%n",
                S, CHAINS, flopsPerRound / 1e9, rounds);
        for (int threads : threadCounts) {
            double[][] rates = measure(threads, rounds, flopsPerRound);
            double[] together = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                for (int t = 0; t < threads; t++) {
                    together[r] += rates[t][r];
                }
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%d thread%s:", threads,
                    threads == 1 ? "" : "s"));
            for (int t = 0; t < threads; t++) {
                double[] sorted = rates[t].clone();
                Arrays.sort(sorted);
                line.append(String.format(Locale.ROOT, " thread %d best %.1f median %.1f worst %.1f GFLOP/s;", t,
                        sorted[rounds - 1], sorted[rounds / 2], sorted[0]));
            }
            Arrays.sort(together);
            if (threads > 1) {
                line.append(String.format(Locale.ROOT, " together best %.1f median %.1f GFLOP/s",
                        together[rounds - 1], together[rounds / 2]));
            }
            System.out.println(line);
        }
    }

    static int parsePositive(String text, String what) {
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " must be a positive integer, got '" + text + "'");
    }

    /** GFLOP/s of each thread in each round (thread CPU time). */
    private static double[][] measure(int threads, int rounds, double flopsPerRound) throws Exception {
        double[][] rates = new double[threads][rounds];
        CyclicBarrier barrier = new CyclicBarrier(threads);
        Thread[] workers = new Thread[threads];
        Exception[] failure = new Exception[1];
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = new Thread(() -> {
                try {
                    float sink = 0;
                    for (int r = -5; r < rounds; r++) {
                        barrier.await();
                        long start = TM.getCurrentThreadCpuTime();
                        sink += chains(ITERATIONS, 1e-7f * (id + 1));
                        long cpu = TM.getCurrentThreadCpuTime() - start;
                        if (r >= 0) {
                            rates[id][r] = flopsPerRound / cpu;
                        }
                    }
                    if (sink == 42f) {
                        System.out.println("(unlikely sum, printed so the loop is not dead code)");
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
            }, "fma-" + t);
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return rates;
    }

    private static float chains(int iterations, float step) {
        FloatVector x = FloatVector.broadcast(S, 1f - step);
        FloatVector y = FloatVector.broadcast(S, step);
        FloatVector a0 = FloatVector.broadcast(S, 0.0f);
        FloatVector a1 = FloatVector.broadcast(S, 0.1f);
        FloatVector a2 = FloatVector.broadcast(S, 0.2f);
        FloatVector a3 = FloatVector.broadcast(S, 0.3f);
        FloatVector a4 = FloatVector.broadcast(S, 0.4f);
        FloatVector a5 = FloatVector.broadcast(S, 0.5f);
        FloatVector a6 = FloatVector.broadcast(S, 0.6f);
        FloatVector a7 = FloatVector.broadcast(S, 0.7f);
        FloatVector a8 = FloatVector.broadcast(S, 0.8f);
        FloatVector a9 = FloatVector.broadcast(S, 0.9f);
        FloatVector a10 = FloatVector.broadcast(S, 1.0f);
        FloatVector a11 = FloatVector.broadcast(S, 1.1f);
        for (int i = 0; i < iterations; i++) {
            // a ← a·x + y stays bounded (x < 1), so no chain overflows or goes subnormal.
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
