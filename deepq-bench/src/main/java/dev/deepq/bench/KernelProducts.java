package dev.deepq.bench;

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

    public static void main(String[] args) {
        Kernels kernels = Kernels.vector();
        System.out.println(kernels.name());
        // name, op, m, n, k : op f = matmul (A m×k, B k×n), a = transA (A k×m), b = transB (B n×k)
        String[] cases = {"fwdL2 f 84 128 120", "dXL2 a 120 128 84", "dWL2 b 84 120 128",
                          "fwdL1 f 120 128 4", "fwdL3 f 2 128 84", "dWL1 b 120 4 128", "dWL3 b 2 84 128", "dXL3 a 84 128 2",
                          "zfwd f 256 64 256", "zdX a 256 64 256", "zdW b 256 256 64"};
        Random rnd = new Random(1);
        float[] a = new float[300 * 300], b = new float[300 * 300], c = new float[300 * 300];
        for (int i = 0; i < a.length; i++) { a[i] = rnd.nextFloat() - 0.5f; b[i] = rnd.nextFloat() - 0.5f; }
        for (int round = 0; round < 3; round++) {
            StringBuilder sb = new StringBuilder();
            for (String cs : cases) {
                String[] f = cs.split(" ");
                String op = f[1]; int m = Integer.parseInt(f[2]), n = Integer.parseInt(f[3]), k = Integer.parseInt(f[4]);
                int reps = (int) Math.max(50, 3e8 / (2.0 * m * n * k));
                long best = Long.MAX_VALUE;
                for (int t = 0; t < 5; t++) {
                    long t0 = TM.getCurrentThreadCpuTime();
                    for (int r = 0; r < reps; r++) {
                        switch (op) {
                            case "f" -> kernels.matmul(a, 0, k, b, 0, n, c, 0, n, m, n, k, false);
                            case "a" -> kernels.matmulTransA(a, 0, m, b, 0, n, c, 0, n, m, n, k, false);
                            default -> kernels.matmulTransB(a, 0, k, b, 0, k, c, 0, n, m, n, k, false);
                        }
                    }
                    best = Math.min(best, TM.getCurrentThreadCpuTime() - t0);
                }
                double us = best / 1e3 / reps;
                sb.append(String.format(Locale.ROOT, "%-6s %7.2f us %6.1f GF/s | ", f[0], us, 2.0 * m * n * k / us / 1e3));
            }
            System.out.println(sb);
        }
    }
}
