package dev.deepq.nn;

import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on {@code jdk.incubator.vector}. Loaded only by {@link KernelSelection}, and only after it has checked that
 * the module is in the boot layer (this class does not link otherwise).
 *
 * <p>Why it looks the way it does (measured, see {@code shared/design.md}): C2 does not vectorize loops that read
 * and write one array at different offsets, so the hot loops use explicit vectors; the matrix product keeps a
 * register block of 4 rows × 2 vectors so each loaded B vector feeds 4 fused multiply-adds; remainders use scalar
 * loops rather than masked loads (masked tails were slow); each block is its own method because one huge kernel
 * method compiled badly, and sweeps the columns itself to save calls when k is small; helpers that take or return
 * vectors stay under the JIT's 35-bytecode always-inline size, so vectors never escape into objects and nothing is
 * allocated. Dot-product kernels (A·Bᵀ, matrix-vector) keep 4×2 or 4×1 accumulators and reduce once at the end.
 *
 * <p>Large products (at least 16 rows and 16 deep) run on packed copies of their operands: B in contiguous panels of
 * 2 vectors' width, A in contiguous 4-row blocks (see {@link #packed}); for 256-wide layers this lifted the products
 * from 40–60 to 75–85 GFLOP/s. Every output element of every blocked product, packed or not, is the same chain of
 * fused multiply-adds over p in order (pinned down by {@code KernelFmaChainTest}), so blocking, packing and the
 * row split between threads ({@link Kernels#parallel(int)}, {@link KernelWorkers}) never change a result.
 */
final class VectorKernels extends ScalarKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    /** How a matrix-product block starts: from zero, from the current C, or from the row's bias. */
    private static final int INIT_ZERO = 0;
    private static final int INIT_LOAD = 1;
    private static final int INIT_BIAS = 2;

    /** Activation codes inside the kernels (ordinal of the fusable {@link Activation}s). */
    private static final int ACT_IDENTITY = 0;
    private static final int ACT_RELU = 1;
    private static final int ACT_TANH = 2;

    /** Threads that compute one large product together (1: the calling thread alone). */
    private final int threads;
    /** The helper threads, or null for one thread. */
    private final KernelWorkers workers;
    /** Products with less work (m·n·k) run on the calling thread alone. */
    private final long parallelMinWork;
    /** Products split over threads so far (for tests). */
    private long parallelProducts;

    VectorKernels() {
        this(1);
    }

    /** Kernels whose large matrix products run on {@code threads} threads (the caller and threads − 1 helpers). */
    VectorKernels(int threads) {
        this(threads, PARALLEL_MIN_WORK);
    }

    /** As {@link #VectorKernels(int)}, splitting products of at least {@code parallelMinWork} multiply-adds. */
    VectorKernels(int threads, long parallelMinWork) {
        if (V < 4) {
            throw new IllegalStateException("this JVM offers float vectors of only " + S.vectorBitSize()
                    + " bits (check -XX:MaxVectorSize and -XX:UseAVX)");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.parallelMinWork = parallelMinWork;
        this.workers = threads == 1 ? null : new KernelWorkers(threads - 1, VectorKernels::runPart);
    }

    @Override
    public String name() {
        return "vector (" + S.vectorBitSize() + "-bit, " + V + " floats" + (threads > 1 ? ", " + threads
                + " threads" : "") + ")";
    }

    @Override
    public int threads() {
        return threads;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Matrix products

    @Override
    public void matmul(float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        int init = accumulate ? INIT_LOAD : INIT_ZERO;
        if (n == 1 && ldb == 1) {
            // A matrix-vector product: dot products along A's rows beat one-column "vectors".
            dotRows(a, aOff, lda, b, bOff, c, cOff, ldc, m, k, init, null, 0, ACT_IDENTITY);
        } else {
            gemm(a, aOff, lda, 1, b, bOff, ldb, false, c, cOff, ldc, m, n, k, init, null, 0, ACT_IDENTITY);
        }
    }

    @Override
    public void matmulTransA(float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        int init = accumulate ? INIT_LOAD : INIT_ZERO;
        if (n == 1 && ldc == 1) {
            // Cᵀ (1×m) = Bᵀ (1×k) · A (k×m): one row, vectorized along A's rows.
            gemm(b, bOff, 0, ldb, a, aOff, lda, false, c, cOff, 0, 1, m, k, init, null, 0, ACT_IDENTITY);
        } else {
            gemm(a, aOff, 1, lda, b, bOff, ldb, false, c, cOff, ldc, m, n, k, init, null, 0, ACT_IDENTITY);
        }
    }

    @Override
    public void matmulTransB(float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        int init = accumulate ? INIT_LOAD : INIT_ZERO;
        if (k == 1 && ldb == 1) {
            // An outer product (a batch of one) with Bᵀ one contiguous row: a rank-1 update, vectorized along n.
            gemm(a, aOff, lda, 1, b, bOff, 0, false, c, cOff, ldc, m, n, 1, init, null, 0, ACT_IDENTITY);
            return;
        }
        if (n >= 2 * V && m >= 4) {
            // A sum of outer products (the weight gradient dZ·Xᵀ over a batch): the register-blocked product on B
            // transposed (k·n copies for 2·m·n·k flops), rather than dot products whose horizontal lane sums cost
            // about as much as the multiply-adds when k is a batch of 64-128 (measured 370 -> 260 µs for 256×256,
            // batch 64).
            gemm(a, aOff, lda, 1, b, bOff, ldb, true, c, cOff, ldc, m, n, k, init, null, 0, ACT_IDENTITY);
            return;
        }
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int ai = aOff + i * lda;
            int ci = cOff + i * ldc;
            int j = dots4x2(a, ai, lda, b, bOff, ldb, c, ci, ldc, n, k, init == INIT_LOAD);
            for (; j < n; j++) {
                dot4x1(a, ai, lda, b, bOff + j * ldb, c, ci + j, ldc, k, init, null, 0, ACT_IDENTITY);
            }
        }
        for (; i < m; i++) {
            // One row of A against 4 rows of B at a time: the same 4-dot kernel with the roles swapped.
            int ai = aOff + i * lda;
            int ci = cOff + i * ldc;
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                dot4x1(b, bOff + j * ldb, ldb, a, ai, c, ci + j, 1, k, init, null, 0, ACT_IDENTITY);
            }
            for (; j < n; j++) {
                float sum = dotVector(a, ai, b, bOff + j * ldb, k);
                c[ci + j] = init == INIT_LOAD ? c[ci + j] + sum : sum;
            }
        }
    }

    @Override
    public void linearForward(float[] w, int wOff, float[] x, int xOff, float[] bias, int biasOff,
                              float[] y, int yOff, int m, int n, int k, Activation act) {
        requireFusable(act);
        int init = bias == null ? INIT_ZERO : INIT_BIAS;
        if (n == 1) {
            dotRows(w, wOff, k, x, xOff, y, yOff, 1, m, k, init, bias, biasOff, act.ordinal());
        } else {
            gemm(w, wOff, k, 1, x, xOff, n, false, y, yOff, n, m, n, k, init, bias, biasOff, act.ordinal());
        }
    }

    /**
     * C (m×n) = epilogue(init + A·B) with A(i, p) = a[aOff + i·ars + p·acs]. Rows go 4 at a time (then 2 at a time
     * for row-major A, then 1), each group sweeping all columns in blocks of 2 vectors (4 vectors for row pairs),
     * then 1 vector, then scalar columns. Row-major A (acs = 1) has its own block so that the JIT sees unit-stride
     * scalar loads and drops their bounds checks. Tanh is applied after the product, in one scalar pass.
     *
     * <p>A 6-row block (12 accumulators) measured no faster in a microbenchmark and 40 % slower inside DQN training:
     * with the bias and ReLU branches live, the JIT's register allocator spilled accumulators to the stack.
     */
    private void gemm(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb, boolean bTransposed,
                             float[] c, int cOff, int ldc, int m, int n, int k,
                             int init, float[] bias, int biasOff, int act) {
        int rowAct = act == ACT_TANH ? ACT_IDENTITY : act;
        if (PACKED && m >= PACK_MIN_ROWS && n >= NR && k >= PACK_MIN_DEPTH && (long) m * n * k >= PACK_MIN_WORK) {
            packed(a, aOff, ars, acs, b, bOff, ldb, bTransposed, c, cOff, ldc, m, n, k, init, bias, biasOff, rowAct);
        } else if (bTransposed) {
            float[] bt = Scratch.transposed(k * n);
            transposeBlocked(b, bOff, ldb, n, k, bt);
            rows(a, aOff, ars, acs, bt, 0, n, c, cOff, ldc, m, n, k, init, bias, biasOff, rowAct);
        } else {
            rows(a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, m, n, k, init, bias, biasOff, rowAct);
        }
        if (act == ACT_TANH) {
            tanhBlock(c, cOff, ldc, m, n);
        }
    }

    /**
     * False with {@code -Ddeepq.kernels.unpacked=true}: every product then runs through {@link #rows} on the unpacked
     * operands, as before packing existed (same results), so benchmarks can compare both in one build.
     */
    static final boolean PACKED = !Boolean.getBoolean("deepq.kernels.unpacked");
    /** Rows of A per packed block and columns of B per packed panel. */
    private static final int MR = 4;
    private static final int NR = 2 * V;
    /**
     * Products with fewer rows or less work (m·n·k) than this skip packing: copying the operands would cost more than
     * it saves (each packed element of B is used m times; measured 4×256×256: 11 µs unpacked, 26 µs packed).
     */
    private static final int PACK_MIN_ROWS = 16;
    /** With a short p loop (a first layer on a few inputs) the unpacked blocks keep B in L1 anyway. */
    private static final int PACK_MIN_DEPTH = 16;
    private static final long PACK_MIN_WORK = 1 << 15;

    /**
     * The product on packed operands: B (k×n, or stored n×k when {@code bTransposed}) copied into panels of NR
     * columns, each a contiguous k×NR block, and A into blocks of MR rows, each a contiguous k×MR block. Why: the
     * layers' matrices have power-of-two leading dimensions (256 floats = 1 KB), so the k rows of a column block
     * fall into a few cache sets and evict each other; in panels they are one contiguous run that stays in L1 while
     * every row block of A streams past it. Rows beyond the last full block and columns beyond the last full panel
     * go through {@link #rows} on the unpacked operands. Every element is still one fma chain over p in order, so
     * results are bit-identical to the unpacked blocks.
     */
    private void packed(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb, boolean bTransposed,
                               float[] c, int cOff, int ldc, int m, int n, int k,
                               int init, float[] bias, int biasOff, int act) {
        int panels = n / NR;
        int n0 = panels * NR;
        float[] bp = Scratch.packedB(panels * k * NR);
        if (workers != null && (long) m * n * k >= parallelMinWork && m >= 2 * MR * threads
                && workers.tryAcquire()) {
            try {
                parallelProducts++;
                packedInParallel(a, aOff, ars, acs, b, bOff, ldb, bTransposed, bp, c, cOff, ldc, m, panels, k, init,
                        bias, biasOff, act);
            } finally {
                workers.release();
            }
        } else {
            packPanels(b, bOff, ldb, bTransposed, k, 0, panels, bp);
            packedRows(a, aOff, ars, acs, bp, c, cOff, ldc, 0, m, panels, k, init, bias, biasOff, act);
        }
        if (n0 < n) {
            int tail = n - n0;
            if (bTransposed) {
                float[] bt = Scratch.transposed(k * tail);
                transposeBlocked(b, bOff + n0 * ldb, ldb, tail, k, bt);
                rows(a, aOff, ars, acs, bt, 0, tail, c, cOff + n0, ldc, m, tail, k, init, bias, biasOff, act);
            } else {
                rows(a, aOff, ars, acs, b, bOff + n0, ldb, c, cOff + n0, ldc, m, tail, k, init, bias, biasOff, act);
            }
        }
    }

    /** Products with less work (m·n·k) than this run on the calling thread alone (hand-off costs a few µs). */
    private static final long PARALLEL_MIN_WORK = 1 << 20;

    /**
     * A packed product split among the calling thread and the helpers. Part t first packs panels
     * [t·P/T, (t+1)·P/T) of B into the shared panel array; once every part has (a barrier), part t computes row
     * blocks [t·R/T, (t+1)·R/T) of the R full blocks of MR rows, the last part also the rows after them. The split
     * depends only on the shape and the thread count, and every output element goes through the same kernel as on
     * one thread.
     */
    private void packedInParallel(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                                  boolean bTransposed, float[] bp, float[] c, int cOff, int ldc, int m, int panels,
                                  int k, int init, float[] bias, int biasOff, int act) {
        int blocks = m / MR;
        int helpers = workers.helpers();
        workers.resetBarrier();
        for (int t = 1; t <= helpers; t++) {
            KernelWorkers.Slot slot = workers.slot(t - 1);
            slot.kind = KernelWorkers.PRODUCT;
            slot.a = a;
            slot.aOff = aOff;
            slot.ars = ars;
            slot.acs = acs;
            slot.b = b;
            slot.bOff = bOff;
            slot.ldb = ldb;
            slot.bTransposed = bTransposed;
            slot.panelFrom = share(panels, t);
            slot.panelTo = share(panels, t + 1);
            slot.bp = bp;
            slot.c = c;
            slot.cOff = cOff;
            slot.ldc = ldc;
            slot.from = MR * share(blocks, t);
            slot.to = t == helpers ? m : MR * share(blocks, t + 1);
            slot.panels = panels;
            slot.k = k;
            slot.init = init;
            slot.bias = bias;
            slot.biasOff = biasOff;
            slot.act = act;
            workers.post(t - 1);
        }
        packPanels(b, bOff, ldb, bTransposed, k, 0, share(panels, 1), bp);
        workers.arriveAndAwaitAll();
        packedRows(a, aOff, ars, acs, bp, c, cOff, ldc, 0, MR * share(blocks, 1), panels, k, init, bias, biasOff,
                act);
        for (int t = 0; t < helpers; t++) {
            workers.await(t);
        }
    }

    /** Where part t of {@code count} items split over the threads starts (t = threads: the end). */
    private int share(int count, int t) {
        return (int) ((long) t * count / threads);
    }

    /** Packs panels [from, to) of B into bp. */
    private static void packPanels(float[] b, int bOff, int ldb, boolean bTransposed, int k, int from, int to,
                                   float[] bp) {
        for (int jp = from; jp < to; jp++) {
            packPanel(b, bOff, ldb, bTransposed, k, jp * NR, bp, jp * k * NR);
        }
    }

    /** A helper thread's part of {@link #packedInParallel} or {@link #adamUpdate}. */
    private static void runPart(KernelWorkers.Slot s, KernelWorkers workers) {
        if (s.kind == KernelWorkers.TASK) {
            for (int i = s.from; i < s.to; i += s.step) {
                s.task.accept(i);
            }
            return;
        }
        if (s.kind == KernelWorkers.ADAM) {
            adamRange(s.param, s.grad, s.m, s.v, s.from, s.to, s.beta1, s.oneMinusBeta1, s.beta2, s.oneMinusBeta2,
                    s.stepSize, s.biasCorrection2Sqrt, s.eps, s.l2);
            return;
        }
        packPanels(s.b, s.bOff, s.ldb, s.bTransposed, s.k, s.panelFrom, s.panelTo, s.bp);
        workers.arriveAndAwaitAll();
        packedRows(s.a, s.aOff, s.ars, s.acs, s.bp, s.c, s.cOff, s.ldc, s.from, s.to, s.panels, s.k, s.init, s.bias,
                s.biasOff, s.act);
    }

    @Override
    public void forEach(int count, IntConsumer body) {
        if (workers == null || count < 2 || !workers.tryAcquire()) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        // While this thread holds the workers, products inside body (on any thread) find them busy and run alone.
        int parties = Math.min(threads, count);
        try {
            for (int t = 1; t < parties; t++) {
                KernelWorkers.Slot slot = workers.slot(t - 1);
                slot.kind = KernelWorkers.TASK;
                slot.task = body;
                slot.from = t;
                slot.to = count;
                slot.step = parties;
                workers.post(t - 1);
            }
            try {
                for (int i = 0; i < count; i += parties) {
                    body.accept(i);
                }
            } finally {
                for (int t = 0; t < parties - 1; t++) {
                    workers.await(t);
                }
            }
        } finally {
            workers.release();
        }
    }

    /** How many products were split over threads (read it only while no product runs). */
    long parallelProducts() {
        return parallelProducts;
    }

    /**
     * Rows {@code from} to {@code to} of C over the packed panels of B: 4 rows at a time, each block sweeping every
     * panel (so the block of A stays in L1 and C is written row by row), then single rows.
     */
    private static void packedRows(float[] a, int aOff, int ars, int acs, float[] bp, float[] c, int cOff, int ldc,
                                   int from, int to, int panels, int k, int init, float[] bias, int biasOff,
                                   int act) {
        boolean load = init == INIT_LOAD;
        float[] ap = Scratch.packedA(k * MR);
        int i = from;
        for (; i + MR <= to; i += MR) {
            int ai = aOff + i * ars;
            int ci = cOff + i * ldc;
            int bi = biasOff + i;
            float base0 = base(init, bias, bi);
            float base1 = base(init, bias, bi + 1);
            float base2 = base(init, bias, bi + 2);
            float base3 = base(init, bias, bi + 3);
            packBlock(a, ai, ars, acs, k, ap, 0);
            for (int jp = 0; jp < panels; jp++) {
                block4x2(ap, 0, bp, jp * k * NR, c, ci + jp * NR, ldc, k, load, base0, base1, base2, base3);
            }
            if (act == ACT_RELU) {
                reluRows(c, ci, ldc, MR, panels * NR);
            }
        }
        for (; i < to; i++) {
            for (int jp = 0; jp < panels; jp++) {
                row1x2(a, aOff + i * ars, acs, bp, jp * k * NR, c, cOff + i * ldc + jp * NR, k, init, bias,
                        biasOff + i, act);
            }
        }
    }

    /** x = max(x, 0) over a rows×cols block (cols a multiple of V). */
    private static void reluRows(float[] x, int off, int ld, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int xr = off + r * ld;
            for (int j = 0; j < cols; j += V) {
                FloatVector.fromArray(S, x, xr + j).max(0f).intoArray(x, xr + j);
            }
        }
    }

    /** bp[to + p·NR + j] = B(p, j0 + j): one panel of B, contiguous. */
    private static void packPanel(float[] b, int bOff, int ldb, boolean bTransposed, int k, int j0, float[] bp,
                                  int to) {
        if (!bTransposed) {
            int src = bOff + j0;
            for (int p = 0; p < k; p++) {
                FloatVector.fromArray(S, b, src + p * ldb).intoArray(bp, to + p * NR);
                FloatVector.fromArray(S, b, src + p * ldb + V).intoArray(bp, to + p * NR + V);
            }
        } else {
            // B(p, j) = b[bOff + j·ldb + p]: row j of the stored matrix becomes column j of the panel.
            for (int j = 0; j < NR; j++) {
                int src = bOff + (j0 + j) * ldb;
                for (int p = 0; p < k; p++) {
                    bp[to + p * NR + j] = b[src + p];
                }
            }
        }
    }

    private static final VectorSpecies<Float> S4 = FloatVector.SPECIES_128;

    /** ap[to + p·MR + r] = A(r, p) for MR rows from a[ai] (row stride ars, column stride acs). */
    private static void packBlock(float[] a, int ai, int ars, int acs, int k, float[] ap, int to) {
        if (ars == 1) {
            for (int p = 0; p < k; p++) {
                FloatVector.fromArray(S4, a, ai + p * acs).intoArray(ap, to + p * MR);
            }
        } else {
            for (int p = 0; p < k; p++) {
                int src = ai + p * acs;
                int dst = to + p * MR;
                ap[dst] = a[src];
                ap[dst + 1] = a[src + ars];
                ap[dst + 2] = a[src + 2 * ars];
                ap[dst + 3] = a[src + 3 * ars];
            }
        }
    }

    /**
     * One packed 4-row block of A (a[ai + p·MR + r]) times one packed panel of B, starting from the current C ({@code load}) or from
     * {@code base0..3} per row; stores the sums without activation (the caller applies ReLU in its own pass, so
     * this loop has no branches: with the activation inside, C2 compiled it measurably slower once every variant
     * had run).
     */
    private static void block4x2(float[] a, int ai, float[] bp, int bj, float[] c, int ci, int ldc, int k,
                                 boolean load, float base0, float base1, float base2, float base3) {
        FloatVector r00;
        FloatVector r01;
        FloatVector r10;
        FloatVector r11;
        FloatVector r20;
        FloatVector r21;
        FloatVector r30;
        FloatVector r31;
        if (load) {
            r00 = FloatVector.fromArray(S, c, ci);
            r01 = FloatVector.fromArray(S, c, ci + V);
            r10 = FloatVector.fromArray(S, c, ci + ldc);
            r11 = FloatVector.fromArray(S, c, ci + ldc + V);
            r20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
            r21 = FloatVector.fromArray(S, c, ci + 2 * ldc + V);
            r30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
            r31 = FloatVector.fromArray(S, c, ci + 3 * ldc + V);
        } else {
            r00 = FloatVector.broadcast(S, base0);
            r01 = r00;
            r10 = FloatVector.broadcast(S, base1);
            r11 = r10;
            r20 = FloatVector.broadcast(S, base2);
            r21 = r20;
            r30 = FloatVector.broadcast(S, base3);
            r31 = r30;
        }
        for (int p = 0; p < k; p++) {
            int bq = bj + p * NR;
            int aq = ai + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bq);
            FloatVector b1 = FloatVector.fromArray(S, bp, bq + V);
            FloatVector x = FloatVector.broadcast(S, a[aq]);
            r00 = x.fma(b0, r00);
            r01 = x.fma(b1, r01);
            x = FloatVector.broadcast(S, a[aq + 1]);
            r10 = x.fma(b0, r10);
            r11 = x.fma(b1, r11);
            x = FloatVector.broadcast(S, a[aq + 2]);
            r20 = x.fma(b0, r20);
            r21 = x.fma(b1, r21);
            x = FloatVector.broadcast(S, a[aq + 3]);
            r30 = x.fma(b0, r30);
            r31 = x.fma(b1, r31);
        }
        r00.intoArray(c, ci);
        r01.intoArray(c, ci + V);
        r10.intoArray(c, ci + ldc);
        r11.intoArray(c, ci + ldc + V);
        r20.intoArray(c, ci + 2 * ldc);
        r21.intoArray(c, ci + 2 * ldc + V);
        r30.intoArray(c, ci + 3 * ldc);
        r31.intoArray(c, ci + 3 * ldc + V);
    }

    /** One row of A (unpacked, column stride acs) times one packed panel of B. */
    private static void row1x2(float[] a, int ai, int acs, float[] bp, int bj, float[] c, int ci, int k,
                               int init, float[] bias, int bi, int act) {
        boolean load = init == INIT_LOAD;
        FloatVector r0 = start(load, c, ci, base(init, bias, bi));
        FloatVector r1 = start(load, c, ci + V, base(init, bias, bi));
        for (int p = 0; p < k; p++) {
            int bq = bj + p * NR;
            FloatVector x = FloatVector.broadcast(S, a[ai + p * acs]);
            r0 = x.fma(FloatVector.fromArray(S, bp, bq), r0);
            r1 = x.fma(FloatVector.fromArray(S, bp, bq + V), r1);
        }
        finish(r0, act, c, ci);
        finish(r1, act, c, ci + V);
    }

    /** The blocks of {@link #gemm}, for an activation other than tanh. */
    private static void rows(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, int m, int n, int k,
                             int init, float[] bias, int biasOff, int act) {
        boolean rowMajor = acs == 1;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int ai = aOff + i * ars;
            int ci = cOff + i * ldc;
            int bi = biasOff + i;
            int j = rowMajor
                    ? rows4x2(a, ai, ars, b, bOff, ldb, c, ci, ldc, n, k, init, bias, bi, act)
                    : strided4x2(a, ai, ars, acs, b, bOff, ldb, c, ci, ldc, n, k, init, bias, bi, act);
            for (; j + V <= n; j += V) {
                strided4x1(a, ai, ars, acs, b, bOff + j, ldb, c, ci + j, ldc, k, init, bias, bi, act);
            }
            if (j < n) {
                scalarBlock(a, ai, ars, acs, b, bOff + j, ldb, c, ci + j, ldc, 4, n - j, k, init, bias, bi, act);
            }
        }
        if (rowMajor) {
            for (; i + 2 <= m; i += 2) {
                int ai = aOff + i * ars;
                int ci = cOff + i * ldc;
                int bi = biasOff + i;
                int j = rows2x4(a, ai, ars, b, bOff, ldb, c, ci, ldc, n, k, init, bias, bi, act);
                for (; j + V <= n; j += V) {
                    block1x1(a, ai, acs, b, bOff + j, ldb, c, ci + j, k, init, bias, bi, act);
                    block1x1(a, ai + ars, acs, b, bOff + j, ldb, c, ci + ldc + j, k, init, bias, bi + 1, act);
                }
                if (j < n) {
                    scalarBlock(a, ai, ars, acs, b, bOff + j, ldb, c, ci + j, ldc, 2, n - j, k, init, bias, bi, act);
                }
            }
        }
        for (; i < m; i++) {
            int ai = aOff + i * ars;
            int ci = cOff + i * ldc;
            int bi = biasOff + i;
            int j = row1x4(a, ai, acs, b, bOff, ldb, c, ci, n, k, init, bias, bi, act);
            for (; j + V <= n; j += V) {
                block1x1(a, ai, acs, b, bOff + j, ldb, c, ci + j, k, init, bias, bi, act);
            }
            if (j < n) {
                scalarBlock(a, ai, ars, acs, b, bOff + j, ldb, c, ci + j, ldc, 1, n - j, k, init, bias, bi, act);
            }
        }
    }

    /** The initial accumulator: the current C, or a broadcast of the row's bias (or 0). Under 35 bytecodes. */
    private static FloatVector start(boolean load, float[] c, int ci, float base) {
        return load ? FloatVector.fromArray(S, c, ci) : FloatVector.broadcast(S, base);
    }

    private static float base(int init, float[] bias, int bi) {
        return init == INIT_BIAS ? bias[bi] : 0f;
    }

    /**
     * Applies ReLU when asked and stores. Under 35 bytecodes, so it inlines even at call sites the JIT thinks cold;
     * a helper that takes a vector and does not inline makes the vector a heap object (seen as ~100 KB allocated per
     * training step after a JVM had trained several network shapes on two threads). Tanh is applied by the callers
     * in a separate scalar pass ({@link #tanhBlock}).
     */
    private static void finish(FloatVector v, int act, float[] c, int ci) {
        (act == ACT_RELU ? v.max(0f) : v).intoArray(c, ci);
    }

    /**
     * tanh over an m×n block, after the product. Not VectorOperators.TANH: its intrinsic and its fallback round
     * differently, which would make results depend on when the JIT compiles a method.
     */
    private static void tanhBlock(float[] c, int cOff, int ldc, int m, int n) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] = (float) StrictMath.tanh(c[ci + j]);
            }
        }
    }

    /**
     * The sum of a vector's lanes in lane order, from the lanes stored into {@code lanes}: callers write
     * {@code v.intoArray(lanes, 0)} then call this. reduceLanes(ADD) leaves the order to the implementation, and the
     * interpreter's order differs from C2's, so results would depend on JIT timing; this order never changes. The
     * vector is stored by the caller rather than passed in: a helper that takes a vector and is not inlined (it was
     * not, once compiled on its own, with a variable lane index) boxes the vector on every call.
     */
    private static float sumLanes(float[] lanes) {
        float sum = lanes[0];
        for (int i = 1; i < V; i++) {
            sum += lanes[i];
        }
        return sum;
    }

    // In the blocks, row offsets (ci + r·ldc) are recomputed after the p loop rather than kept live through it:
    // fewer live registers in the loop measured faster.

    /**
     * 4 rows of a row-major A (leading dimension lda) × 2 vectors of B at a time, across the columns; returns the
     * first column not done.
     */
    private static int rows4x2(float[] a, int ai, int lda, float[] b, int bOff, int ldb, float[] c, int ci,
                               int ldc, int n, int k, int init, float[] bias, int bi, int act) {
        boolean load = init == INIT_LOAD;
        float base0 = base(init, bias, bi);
        float base1 = base(init, bias, bi + 1);
        float base2 = base(init, bias, bi + 2);
        float base3 = base(init, bias, bi + 3);
        int j = 0;
        for (; j + 2 * V <= n; j += 2 * V) {
            int cj = ci + j;
            FloatVector r00 = start(load, c, cj, base0);
            FloatVector r01 = start(load, c, cj + V, base0);
            FloatVector r10 = start(load, c, cj + ldc, base1);
            FloatVector r11 = start(load, c, cj + ldc + V, base1);
            FloatVector r20 = start(load, c, cj + 2 * ldc, base2);
            FloatVector r21 = start(load, c, cj + 2 * ldc + V, base2);
            FloatVector r30 = start(load, c, cj + 3 * ldc, base3);
            FloatVector r31 = start(load, c, cj + 3 * ldc + V, base3);
            int bj = bOff + j;
            for (int p = 0; p < k; p++) {
                int bp = bj + p * ldb;
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + V);
                FloatVector x = FloatVector.broadcast(S, a[ai + p]);
                r00 = x.fma(b0, r00);
                r01 = x.fma(b1, r01);
                x = FloatVector.broadcast(S, a[ai + lda + p]);
                r10 = x.fma(b0, r10);
                r11 = x.fma(b1, r11);
                x = FloatVector.broadcast(S, a[ai + 2 * lda + p]);
                r20 = x.fma(b0, r20);
                r21 = x.fma(b1, r21);
                x = FloatVector.broadcast(S, a[ai + 3 * lda + p]);
                r30 = x.fma(b0, r30);
                r31 = x.fma(b1, r31);
            }
            cj = ci + j;
            finish(r00, act, c, cj);
            finish(r01, act, c, cj + V);
            finish(r10, act, c, cj + ldc);
            finish(r11, act, c, cj + ldc + V);
            finish(r20, act, c, cj + 2 * ldc);
            finish(r21, act, c, cj + 2 * ldc + V);
            finish(r30, act, c, cj + 3 * ldc);
            finish(r31, act, c, cj + 3 * ldc + V);
        }
        return j;
    }

    /** 2 rows of a row-major A × 4 vectors of B at a time (outputs with few rows, such as 2 Q-values). */
    private static int rows2x4(float[] a, int ai, int lda, float[] b, int bOff, int ldb, float[] c, int ci,
                               int ldc, int n, int k, int init, float[] bias, int bi, int act) {
        boolean load = init == INIT_LOAD;
        float base0 = base(init, bias, bi);
        float base1 = base(init, bias, bi + 1);
        int j = 0;
        for (; j + 4 * V <= n; j += 4 * V) {
            int cj = ci + j;
            FloatVector r00 = start(load, c, cj, base0);
            FloatVector r01 = start(load, c, cj + V, base0);
            FloatVector r02 = start(load, c, cj + 2 * V, base0);
            FloatVector r03 = start(load, c, cj + 3 * V, base0);
            FloatVector r10 = start(load, c, cj + ldc, base1);
            FloatVector r11 = start(load, c, cj + ldc + V, base1);
            FloatVector r12 = start(load, c, cj + ldc + 2 * V, base1);
            FloatVector r13 = start(load, c, cj + ldc + 3 * V, base1);
            int bj = bOff + j;
            for (int p = 0; p < k; p++) {
                int bp = bj + p * ldb;
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + V);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * V);
                FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * V);
                FloatVector x = FloatVector.broadcast(S, a[ai + p]);
                r00 = x.fma(b0, r00);
                r01 = x.fma(b1, r01);
                r02 = x.fma(b2, r02);
                r03 = x.fma(b3, r03);
                x = FloatVector.broadcast(S, a[ai + lda + p]);
                r10 = x.fma(b0, r10);
                r11 = x.fma(b1, r11);
                r12 = x.fma(b2, r12);
                r13 = x.fma(b3, r13);
            }
            cj = ci + j;
            finish(r00, act, c, cj);
            finish(r01, act, c, cj + V);
            finish(r02, act, c, cj + 2 * V);
            finish(r03, act, c, cj + 3 * V);
            finish(r10, act, c, cj + ldc);
            finish(r11, act, c, cj + ldc + V);
            finish(r12, act, c, cj + ldc + 2 * V);
            finish(r13, act, c, cj + ldc + 3 * V);
        }
        return j;
    }

    /** 4 rows × 2 vectors at a time for any A strides (for Aᵀ·B the 4 values of one step are adjacent). */
    private static int strided4x2(float[] a, int ai, int ars, int acs, float[] b, int bOff, int ldb, float[] c,
                                  int ci, int ldc, int n, int k, int init, float[] bias, int bi, int act) {
        boolean load = init == INIT_LOAD;
        float base0 = base(init, bias, bi);
        float base1 = base(init, bias, bi + 1);
        float base2 = base(init, bias, bi + 2);
        float base3 = base(init, bias, bi + 3);
        int j = 0;
        for (; j + 2 * V <= n; j += 2 * V) {
            int cj = ci + j;
            FloatVector r00 = start(load, c, cj, base0);
            FloatVector r01 = start(load, c, cj + V, base0);
            FloatVector r10 = start(load, c, cj + ldc, base1);
            FloatVector r11 = start(load, c, cj + ldc + V, base1);
            FloatVector r20 = start(load, c, cj + 2 * ldc, base2);
            FloatVector r21 = start(load, c, cj + 2 * ldc + V, base2);
            FloatVector r30 = start(load, c, cj + 3 * ldc, base3);
            FloatVector r31 = start(load, c, cj + 3 * ldc + V, base3);
            int bj = bOff + j;
            for (int p = 0; p < k; p++) {
                int bp = bj + p * ldb;
                int ap = ai + p * acs;
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + V);
                FloatVector x = FloatVector.broadcast(S, a[ap]);
                r00 = x.fma(b0, r00);
                r01 = x.fma(b1, r01);
                x = FloatVector.broadcast(S, a[ap + ars]);
                r10 = x.fma(b0, r10);
                r11 = x.fma(b1, r11);
                x = FloatVector.broadcast(S, a[ap + 2 * ars]);
                r20 = x.fma(b0, r20);
                r21 = x.fma(b1, r21);
                x = FloatVector.broadcast(S, a[ap + 3 * ars]);
                r30 = x.fma(b0, r30);
                r31 = x.fma(b1, r31);
            }
            cj = ci + j;
            finish(r00, act, c, cj);
            finish(r01, act, c, cj + V);
            finish(r10, act, c, cj + ldc);
            finish(r11, act, c, cj + ldc + V);
            finish(r20, act, c, cj + 2 * ldc);
            finish(r21, act, c, cj + 2 * ldc + V);
            finish(r30, act, c, cj + 3 * ldc);
            finish(r31, act, c, cj + 3 * ldc + V);
        }
        return j;
    }

    private static void strided4x1(float[] a, int ai, int ars, int acs, float[] b, int bj, int ldb,
                                   float[] c, int ci, int ldc, int k, int init, float[] bias, int bi, int act) {
        boolean load = init == INIT_LOAD;
        FloatVector r0 = start(load, c, ci, base(init, bias, bi));
        FloatVector r1 = start(load, c, ci + ldc, base(init, bias, bi + 1));
        FloatVector r2 = start(load, c, ci + 2 * ldc, base(init, bias, bi + 2));
        FloatVector r3 = start(load, c, ci + 3 * ldc, base(init, bias, bi + 3));
        for (int p = 0; p < k; p++) {
            FloatVector bv = FloatVector.fromArray(S, b, bj + p * ldb);
            int ap = ai + p * acs;
            r0 = FloatVector.broadcast(S, a[ap]).fma(bv, r0);
            r1 = FloatVector.broadcast(S, a[ap + ars]).fma(bv, r1);
            r2 = FloatVector.broadcast(S, a[ap + 2 * ars]).fma(bv, r2);
            r3 = FloatVector.broadcast(S, a[ap + 3 * ars]).fma(bv, r3);
        }
        finish(r0, act, c, ci);
        finish(r1, act, c, ci + ldc);
        finish(r2, act, c, ci + 2 * ldc);
        finish(r3, act, c, ci + 3 * ldc);
    }

    /**
     * One row of A × 4 vectors of B at a time, across the columns; returns the first column not done. Four
     * independent accumulators: with one (a chain of dependent fused multiply-adds), a single-row product such as a
     * critic's 256 → 1 output layer ran at a quarter of the speed.
     */
    private static int row1x4(float[] a, int ai, int acs, float[] b, int bOff, int ldb, float[] c, int ci, int n,
                              int k, int init, float[] bias, int bi, int act) {
        boolean load = init == INIT_LOAD;
        float base = base(init, bias, bi);
        int j = 0;
        for (; j + 4 * V <= n; j += 4 * V) {
            int cj = ci + j;
            FloatVector r0 = start(load, c, cj, base);
            FloatVector r1 = start(load, c, cj + V, base);
            FloatVector r2 = start(load, c, cj + 2 * V, base);
            FloatVector r3 = start(load, c, cj + 3 * V, base);
            int bj = bOff + j;
            for (int p = 0; p < k; p++) {
                int bp = bj + p * ldb;
                FloatVector x = FloatVector.broadcast(S, a[ai + p * acs]);
                r0 = x.fma(FloatVector.fromArray(S, b, bp), r0);
                r1 = x.fma(FloatVector.fromArray(S, b, bp + V), r1);
                r2 = x.fma(FloatVector.fromArray(S, b, bp + 2 * V), r2);
                r3 = x.fma(FloatVector.fromArray(S, b, bp + 3 * V), r3);
            }
            cj = ci + j;
            finish(r0, act, c, cj);
            finish(r1, act, c, cj + V);
            finish(r2, act, c, cj + 2 * V);
            finish(r3, act, c, cj + 3 * V);
        }
        return j;
    }

    private static void block1x1(float[] a, int ai, int acs, float[] b, int bj, int ldb,
                                 float[] c, int ci, int k, int init, float[] bias, int bi, int act) {
        FloatVector r = start(init == INIT_LOAD, c, ci, base(init, bias, bi));
        for (int p = 0; p < k; p++) {
            r = FloatVector.broadcast(S, a[ai + p * acs]).fma(FloatVector.fromArray(S, b, bj + p * ldb), r);
        }
        finish(r, act, c, ci);
    }

    /** The columns left over after the vector blocks, for {@code rows} consecutive rows. */
    private static void scalarBlock(float[] a, int ai, int ars, int acs, float[] b, int bj, int ldb,
                                    float[] c, int ci, int ldc, int rows, int cols, int k,
                                    int init, float[] bias, int bi, int act) {
        for (int r = 0; r < rows; r++) {
            int ar = ai + r * ars;
            int cr = ci + r * ldc;
            for (int j = 0; j < cols; j++) {
                float sum = init == INIT_LOAD ? c[cr + j] : init == INIT_BIAS ? bias[bi + r] : 0f;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a[ar + p * acs], b[bj + p * ldb + j], sum);
                }
                c[cr + j] = activate(act, sum);
            }
        }
    }

    /**
     * c[i·ldc] = epilogue(init + dot(A row i, x)) for m rows of A (leading dimension lda) and a contiguous x:
     * a matrix-vector product, 4 rows at a time.
     */
    private static void dotRows(float[] a, int aOff, int lda, float[] x, int xOff, float[] c, int cOff, int ldc,
                                int m, int k, int init, float[] bias, int biasOff, int act) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int ai = aOff + i * lda;
            dot4x1(a, ai, lda, x, xOff, c, cOff + i * ldc, ldc, k, init, bias, biasOff + i, act);
        }
        for (; i < m; i++) {
            store(c, cOff + i * ldc, dotVector(a, aOff + i * lda, x, xOff, k), init, bias, biasOff + i, act);
        }
    }

    /** Four dot products of consecutive A rows with one x; results go to c[ci], c[ci + ldc], ... */
    private static void dot4x1(float[] a, int ai, int lda, float[] x, int xOff, float[] c, int ci, int ldc, int k,
                               int init, float[] bias, int bi, int act) {
        int a0 = ai;
        int a1 = ai + lda;
        int a2 = ai + 2 * lda;
        int a3 = ai + 3 * lda;
        float t0 = 0f;
        float t1 = 0f;
        float t2 = 0f;
        float t3 = 0f;
        int p = 0;
        if (k >= V) {
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            for (; p + V <= k; p += V) {
                FloatVector xv = FloatVector.fromArray(S, x, xOff + p);
                s0 = FloatVector.fromArray(S, a, a0 + p).fma(xv, s0);
                s1 = FloatVector.fromArray(S, a, a1 + p).fma(xv, s1);
                s2 = FloatVector.fromArray(S, a, a2 + p).fma(xv, s2);
                s3 = FloatVector.fromArray(S, a, a3 + p).fma(xv, s3);
            }
            float[] lanes = Scratch.lanes();
            s0.intoArray(lanes, 0);
            t0 = sumLanes(lanes);
            s1.intoArray(lanes, 0);
            t1 = sumLanes(lanes);
            s2.intoArray(lanes, 0);
            t2 = sumLanes(lanes);
            s3.intoArray(lanes, 0);
            t3 = sumLanes(lanes);
        }
        for (; p < k; p++) {
            float xp = x[xOff + p];
            t0 = Math.fma(a[a0 + p], xp, t0);
            t1 = Math.fma(a[a1 + p], xp, t1);
            t2 = Math.fma(a[a2 + p], xp, t2);
            t3 = Math.fma(a[a3 + p], xp, t3);
        }
        store(c, ci, t0, init, bias, bi, act);
        store(c, ci + ldc, t1, init, bias, bi + 1, act);
        store(c, ci + 2 * ldc, t2, init, bias, bi + 2, act);
        store(c, ci + 3 * ldc, t3, init, bias, bi + 3, act);
    }

    private static void store(float[] c, int ci, float sum, int init, float[] bias, int bi, int act) {
        float base = init == INIT_LOAD ? c[ci] : init == INIT_BIAS ? bias[bi] : 0f;
        c[ci] = activate(act, base + sum);
    }

    private static float activate(int act, float v) {
        return act == ACT_RELU ? Math.max(v, 0f) : act == ACT_TANH ? (float) StrictMath.tanh(v) : v;
    }

    /**
     * C[i..i+3, j..j+1] (+)= dot products of 4 rows of A with 2 rows of B, for j = 0, 2, 4, ...: each loaded vector
     * feeds 2 or 4 fused multiply-adds. Returns the first column not done.
     */
    private static int dots4x2(float[] a, int ai, int lda, float[] b, int bOff, int ldb, float[] c, int ci, int ldc,
                               int n, int k, boolean accumulate) {
        int j = 0;
        for (; j + 2 <= n; j += 2) {
            int bj = bOff + j * ldb;
            FloatVector s00 = FloatVector.zero(S);
            FloatVector s01 = FloatVector.zero(S);
            FloatVector s10 = FloatVector.zero(S);
            FloatVector s11 = FloatVector.zero(S);
            FloatVector s20 = FloatVector.zero(S);
            FloatVector s21 = FloatVector.zero(S);
            FloatVector s30 = FloatVector.zero(S);
            FloatVector s31 = FloatVector.zero(S);
            int p = 0;
            for (; p + V <= k; p += V) {
                FloatVector x0 = FloatVector.fromArray(S, b, bj + p);
                FloatVector x1 = FloatVector.fromArray(S, b, bj + ldb + p);
                FloatVector y = FloatVector.fromArray(S, a, ai + p);
                s00 = y.fma(x0, s00);
                s01 = y.fma(x1, s01);
                y = FloatVector.fromArray(S, a, ai + lda + p);
                s10 = y.fma(x0, s10);
                s11 = y.fma(x1, s11);
                y = FloatVector.fromArray(S, a, ai + 2 * lda + p);
                s20 = y.fma(x0, s20);
                s21 = y.fma(x1, s21);
                y = FloatVector.fromArray(S, a, ai + 3 * lda + p);
                s30 = y.fma(x0, s30);
                s31 = y.fma(x1, s31);
            }
            int cj = ci + j;
            float[] lanes = Scratch.lanes();
            float[] sums = Scratch.sums();
            s00.intoArray(lanes, 0);
            sums[0] = sumLanes(lanes);
            s01.intoArray(lanes, 0);
            sums[1] = sumLanes(lanes);
            s10.intoArray(lanes, 0);
            sums[2] = sumLanes(lanes);
            s11.intoArray(lanes, 0);
            sums[3] = sumLanes(lanes);
            s20.intoArray(lanes, 0);
            sums[4] = sumLanes(lanes);
            s21.intoArray(lanes, 0);
            sums[5] = sumLanes(lanes);
            s30.intoArray(lanes, 0);
            sums[6] = sumLanes(lanes);
            s31.intoArray(lanes, 0);
            sums[7] = sumLanes(lanes);
            dotFinish(a, ai, b, bj, ldb, p, k, c, cj, accumulate, sums[0], sums[1]);
            dotFinish(a, ai + lda, b, bj, ldb, p, k, c, cj + ldc, accumulate, sums[2], sums[3]);
            dotFinish(a, ai + 2 * lda, b, bj, ldb, p, k, c, cj + 2 * ldc, accumulate, sums[4], sums[5]);
            dotFinish(a, ai + 3 * lda, b, bj, ldb, p, k, c, cj + 3 * ldc, accumulate, sums[6], sums[7]);
        }
        return j;
    }

    /** Adds the scalar tail (p from {@code from} to k) to two dot products and stores them at c[ci], c[ci + 1]. */
    private static void dotFinish(float[] a, int ar, float[] b, int bj, int ldb, int from, int k,
                                  float[] c, int ci, boolean accumulate, float t0, float t1) {
        for (int p = from; p < k; p++) {
            float ap = a[ar + p];
            t0 = Math.fma(ap, b[bj + p], t0);
            t1 = Math.fma(ap, b[bj + ldb + p], t1);
        }
        if (accumulate) {
            c[ci] += t0;
            c[ci + 1] += t1;
        } else {
            c[ci] = t0;
            c[ci + 1] = t1;
        }
    }

    private static float dotVector(float[] x, int xOff, float[] y, int yOff, int n) {
        if (n < V) {
            return dotScalar(x, xOff, y, yOff, n);
        }
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        int i = 0;
        for (; i + 2 * V <= n; i += 2 * V) {
            s0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), s0);
            s1 = FloatVector.fromArray(S, x, xOff + i + V).fma(FloatVector.fromArray(S, y, yOff + i + V), s1);
        }
        for (; i + V <= n; i += V) {
            s0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), s0);
        }
        float[] lanes = Scratch.lanes();
        s0.add(s1).intoArray(lanes, 0);
        float sum = sumLanes(lanes);
        for (; i < n; i++) {
            sum = Math.fma(x[xOff + i], y[yOff + i], sum);
        }
        return sum;
    }


    /**
     * dst (cols×rows, compact) = the transpose of src (rows×cols, leading dimension ld), in 8×8 tiles: a plain
     * transpose writes one of the matrices with a large power-of-two stride, which maps to few cache sets
     * (measured 24 -> 17 µs for 256×64).
     */
    private static void transposeBlocked(float[] src, int srcOff, int ld, int rows, int cols, float[] dst) {
        for (int r0 = 0; r0 < rows; r0 += 8) {
            int r1 = Math.min(r0 + 8, rows);
            for (int c0 = 0; c0 < cols; c0 += 8) {
                int c1 = Math.min(c0 + 8, cols);
                for (int r = r0; r < r1; r++) {
                    int s = srcOff + r * ld;
                    for (int c = c0; c < c1; c++) {
                        dst[c * rows + r] = src[s + c];
                    }
                }
            }
        }
    }

    /**
     * Per-thread work space for a transposed operand, so the kernels allocate nothing once it has grown to the
     * largest shape used (one Kernels instance serves every network, possibly on several threads).
     */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);
        private float[] transposed = new float[0];
        private float[] packedA = new float[0];
        private float[] packedB = new float[0];
        private final float[] lanes = new float[V];
        private final float[] sums = new float[8];

        /** This thread's array of one vector's lanes. */
        static float[] lanes() {
            return PER_THREAD.get().lanes;
        }

        /** This thread's array for 8 dot products (a 4×2 block). */
        static float[] sums() {
            return PER_THREAD.get().sums;
        }

        /** This thread's array of at least n floats for packed rows of A. */
        static float[] packedA(int n) {
            Scratch s = PER_THREAD.get();
            if (s.packedA.length < n) {
                s.packedA = new float[n];
            }
            return s.packedA;
        }

        /** This thread's array of at least n floats for packed columns of B. */
        static float[] packedB(int n) {
            Scratch s = PER_THREAD.get();
            if (s.packedB.length < n) {
                s.packedB = new float[n];
            }
            return s.packedB;
        }

        /** This thread's array of at least n floats. */
        static float[] transposed(int n) {
            Scratch s = PER_THREAD.get();
            if (s.transposed.length < n) {
                s.transposed = new float[n];
            }
            return s.transposed;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bias, activations, reductions

    @Override
    public void addBiasActivation(float[] x, int xOff, int ld, int rows, int cols, float[] bias, int biasOff,
                                  Activation act) {
        requireFusable(act);
        if (act == Activation.TANH) {
            super.addBiasActivation(x, xOff, ld, rows, cols, bias, biasOff, act);
            return;
        }
        int code = act.ordinal();
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ld;
            float b = bias == null ? 0f : bias[biasOff + r];
            int c = 0;
            for (; c + V <= cols; c += V) {
                finish(FloatVector.fromArray(S, x, xr + c).add(b), code, x, xr + c);
            }
            for (; c < cols; c++) {
                x[xr + c] = applyScalar(act, x[xr + c] + b);
            }
        }
    }

    @Override
    public void activation(Activation act, float[] x, int xOff, float[] y, int yOff, int n) {
        requireFusable(act);
        if (act == Activation.TANH) {
            super.activation(act, x, xOff, y, yOff, n);
            return;
        }
        int code = act.ordinal();
        int i = 0;
        for (; i + V <= n; i += V) {
            finish(FloatVector.fromArray(S, x, xOff + i), code, y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = applyScalar(act, x[xOff + i]);
        }
    }

    @Override
    public void activationBackward(Activation act, float[] y, int yOff, float[] dy, int dyOff,
                                   float[] dx, int dxOff, int n) {
        switch (act) {
            case IDENTITY -> System.arraycopy(dy, dyOff, dx, dxOff, n);
            case RELU -> reluBackward(y, yOff, dy, dyOff, dx, dxOff, n);
            case TANH -> tanhBackward(y, yOff, dy, dyOff, dx, dxOff, n);
            default -> throw new IllegalArgumentException(act + " is not a fusable activation");
        }
    }

    private static void reluBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (; i + V <= n; i += V) {
            VectorMask<Float> positive = FloatVector.fromArray(S, y, yOff + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, dy, dyOff + i), positive).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
        }
    }

    private static void tanhBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (; i + V <= n; i += V) {
            FloatVector t = FloatVector.fromArray(S, y, yOff + i);
            FloatVector.fromArray(S, dy, dyOff + i).mul(one.sub(t.mul(t))).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            float t = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * (1f - t * t);
        }
    }

    @Override
    public void rowSums(float[] x, int xOff, int ld, int rows, int cols, float[] out, int outOff,
                        boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            float sum = sum(x, xOff + r * ld, cols);
            out[outOff + r] = accumulate ? out[outOff + r] + sum : sum;
        }
    }

    private static float sum(float[] x, int off, int n) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        int i = 0;
        for (; i + 2 * V <= n; i += 2 * V) {
            s0 = s0.add(FloatVector.fromArray(S, x, off + i));
            s1 = s1.add(FloatVector.fromArray(S, x, off + i + V));
        }
        for (; i + V <= n; i += V) {
            s0 = s0.add(FloatVector.fromArray(S, x, off + i));
        }
        float[] lanes = Scratch.lanes();
        s0.add(s1).intoArray(lanes, 0);
        float sum = sumLanes(lanes);
        for (; i < n; i++) {
            sum += x[off + i];
        }
        return sum;
    }

    @Override
    public void columnSums(float[] x, int xOff, int ld, int rows, int cols, float[] out, int outOff,
                           boolean accumulate) {
        int c = 0;
        for (; c + V <= cols; c += V) {
            FloatVector s = accumulate ? FloatVector.fromArray(S, out, outOff + c) : FloatVector.zero(S);
            for (int r = 0; r < rows; r++) {
                s = s.add(FloatVector.fromArray(S, x, xOff + r * ld + c));
            }
            s.intoArray(out, outOff + c);
        }
        for (; c < cols; c++) {
            float s = accumulate ? out[outOff + c] : 0f;
            for (int r = 0; r < rows; r++) {
                s += x[xOff + r * ld + c];
            }
            out[outOff + c] = s;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Element-wise

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector a = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (; i + V <= n; i += V) {
            FloatVector.fromArray(S, x, xOff + i).fma(a, FloatVector.fromArray(S, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }

    @Override
    public void axpby(float alpha, float[] x, int xOff, float beta, float[] y, int yOff, int n) {
        int i = 0;
        for (; i + V <= n; i += V) {
            FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
            FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
            xv.mul(alpha).add(yv.mul(beta)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = alpha * x[xOff + i] + beta * y[yOff + i];
        }
    }

    @Override
    public void scale(float alpha, float[] x, int xOff, int n) {
        int i = 0;
        for (; i + V <= n; i += V) {
            FloatVector.fromArray(S, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
        }
        for (; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    @Override
    public float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        return dotVector(x, xOff, y, yOff, n);
    }

    @Override
    public float sumOfSquares(float[] x, int xOff, int n) {
        return dotVector(x, xOff, x, xOff, n);
    }

    @Override
    public void adamUpdate(float[] param, float[] grad, float[] m, float[] v, int off, int n,
                           float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                           float stepSize, float biasCorrection2Sqrt, float eps, float l2) {
        // Element-wise and without fused multiply-adds: any split gives the same bits.
        if (workers != null && n >= PARALLEL_MIN_ADAM && workers.tryAcquire()) {
            try {
                int helpers = workers.helpers();
                for (int t = 1; t <= helpers; t++) {
                    KernelWorkers.Slot slot = workers.slot(t - 1);
                    slot.kind = KernelWorkers.ADAM;
                    slot.param = param;
                    slot.grad = grad;
                    slot.m = m;
                    slot.v = v;
                    slot.from = off + V * share(n / V, t);
                    slot.to = t == helpers ? off + n : off + V * share(n / V, t + 1);
                    slot.beta1 = beta1;
                    slot.oneMinusBeta1 = oneMinusBeta1;
                    slot.beta2 = beta2;
                    slot.oneMinusBeta2 = oneMinusBeta2;
                    slot.stepSize = stepSize;
                    slot.biasCorrection2Sqrt = biasCorrection2Sqrt;
                    slot.eps = eps;
                    slot.l2 = l2;
                    workers.post(t - 1);
                }
                adamRange(param, grad, m, v, off, off + V * share(n / V, 1), beta1, oneMinusBeta1, beta2,
                        oneMinusBeta2, stepSize, biasCorrection2Sqrt, eps, l2);
                for (int t = 0; t < helpers; t++) {
                    workers.await(t);
                }
            } finally {
                workers.release();
            }
            return;
        }
        adamRange(param, grad, m, v, off, off + n, beta1, oneMinusBeta1, beta2, oneMinusBeta2, stepSize,
                biasCorrection2Sqrt, eps, l2);
    }

    /** Adam on more elements than this is split over the threads. */
    private static final int PARALLEL_MIN_ADAM = 1 << 15;

    /** {@link #adamUpdate} on elements [from, end). */
    private static void adamRange(float[] param, float[] grad, float[] m, float[] v, int from, int end,
                                  float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                                  float stepSize, float biasCorrection2Sqrt, float eps, float l2) {
        int i = from;
        for (; i + V <= end; i += V) {
            FloatVector p = FloatVector.fromArray(S, param, i);
            FloatVector g = FloatVector.fromArray(S, grad, i).add(p.mul(l2));
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(beta1).add(g.mul(oneMinusBeta1));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(beta2).add(g.mul(oneMinusBeta2).mul(g));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector denom = vi.lanewise(VectorOperators.SQRT).div(biasCorrection2Sqrt).add(eps);
            p.sub(mi.div(denom).mul(stepSize)).intoArray(param, i);
        }
        adamScalar(param, grad, m, v, i, end, beta1, oneMinusBeta1, beta2, oneMinusBeta2,
                stepSize, biasCorrection2Sqrt, eps, l2);
    }
}
