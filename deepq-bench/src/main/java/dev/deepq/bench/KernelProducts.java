package dev.deepq.bench;

import dev.deepq.nn.Activation;
import dev.deepq.nn.Kernels;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Random;

/**
 * GFLOP/s of the matrix products one DQN update runs, per product shape (CleanRL's 4-120-84-2 net at batch 128, and
 * RL Zoo's 256-256 layer at batch 64): best of 5 timings of the calling thread's CPU time, so a busy second core
 * disturbs it less than wall time would. Run: {@code java --add-modules jdk.incubator.vector -cp
 * deepq-bench/target/benchmarks.jar dev.deepq.bench.KernelProducts}.
 */
public final class KernelProducts {
    private KernelProducts() {}

    private static final ThreadMXBean TM = ManagementFactory.getThreadMXBean();
    private static boolean wall;

    private static long now() {
        return wall ? System.nanoTime() : TM.getCurrentThreadCpuTime();
    }

    public static void main(String[] args) {
        // -Dthreads=N times Kernels.parallel(N) by wall time (the helpers' CPU time is not the caller's).
        int threads = Integer.getInteger("threads", 1);
        Kernels kernels = Kernels.parallel(threads);
        wall = threads > 1;
        System.out.println(kernels.name());
        // name, op, m, n, k : op f = matmul (A m×k, B k×n), a = transA (A k×m), b = transB (B n×k)
        String[] cases = args.length > 0 && args[0].equals("sac") ? SAC_CASES : DQN_CASES;
        if (args.length > 1) {
            cases = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        run(kernels, cases);
    }

    /** The products of a SAC update on Pendulum (256-256 nets, batch 256; critic input 4, actor output 2). */
    static final String[] SAC_CASES = {"fwd2 f 256 256 256", "dX2 a 256 256 256", "dW2 b 256 256 256",
                                       "fwd1 f 256 256 4", "dW1 b 256 4 256", "dX1 a 4 256 256",
                                       "fwd3 f 1 256 256", "dW3 b 1 256 256", "dX3 a 256 256 1",
                                       "afwd3 f 2 256 256", "adW3 b 2 256 256", "adX3 a 256 256 2"};
    static final String[] DQN_CASES = {"fwdL2 f 84 128 120", "dXL2 a 120 128 84", "dWL2 b 84 120 128",
                          "fwdL1 f 120 128 4", "fwdL3 f 2 128 84", "dWL1 b 120 4 128", "dWL3 b 2 84 128", "dXL3 a 84 128 2",
                          "zfwd f 256 64 256", "zdX a 256 64 256", "zdW b 256 256 64"};

    static void run(Kernels kernels, String[] cases) {
        Random rnd = new Random(1);
        // -Dbuffers=N rotates through N operand sets, so that (for N of 8 or more) the operands come from L3 as they
        // do inside a training step, rather than staying in L2.
        int sets = Integer.getInteger("buffers", 1);
        float[][] as = new float[sets][], bs = new float[sets][], cs3 = new float[sets][];
        for (int s = 0; s < sets; s++) {
            as[s] = new float[260 * 260];
            bs[s] = new float[260 * 260];
            cs3[s] = new float[260 * 260];
            for (int i = 0; i < as[s].length; i++) { as[s][i] = rnd.nextFloat() - 0.5f; bs[s][i] = rnd.nextFloat() - 0.5f; }
        }
        for (int round = 0; round < 3; round++) {
            StringBuilder sb = new StringBuilder();
            for (String cs : cases) {
                String[] f = cs.split(" ");
                String op = f[1]; int m = Integer.parseInt(f[2]), n = Integer.parseInt(f[3]), k = Integer.parseInt(f[4]);
                int reps = (int) Math.max(3, 6e7 / (2.0 * m * n * k));
                long best = Long.MAX_VALUE;
                for (int t = 0; t < 25; t++) {
                    long t0 = now();
                    for (int r = 0; r < reps; r++) {
                        float[] a = as[r % sets], b = bs[r % sets], c = cs3[r % sets];
                        switch (op) {
                            case "f" -> kernels.matmul(a, 0, k, b, 0, n, c, 0, n, m, n, k, false);
                            case "a" -> kernels.matmulTransA(a, 0, m, b, 0, n, c, 0, n, m, n, k, false);
                            case "l" -> kernels.linearForward(a, 0, b, 0, b, 0, c, 0, m, n, k, Activation.RELU);
                            case "g" -> kernels.matmulTransB(a, 0, k, b, 0, k, c, 0, n, m, n, k, true);
                            default -> kernels.matmulTransB(a, 0, k, b, 0, k, c, 0, n, m, n, k, false);
                        }
                    }
                    best = Math.min(best, now() - t0);
                }
                double us = best / 1e3 / reps;
                sb.append(String.format(Locale.ROOT, "%-6s %-12s %8.2f us %5.1f GF/s%n", f[0], cs.substring(f[0].length()).trim(), us,
                        2.0 * m * n * k / us / 1e3));
            }
            System.out.println("round " + round + "\n" + sb);
        }
    }
}
