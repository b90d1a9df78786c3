package dev.deepq.nn;

import java.util.function.IntConsumer;

/**
 * The numeric kernels everything in {@code dev.deepq.nn} is built on: float32 matrix products, fused bias and
 * activation, reductions and element-wise updates on flat {@code float[]} arrays.
 *
 * <p>Matrices are row-major: element (r, c) of a matrix stored at {@code off} with leading dimension {@code ld} is
 * {@code x[off + r * ld + c]}. Output arrays must not overlap inputs. No method allocates.
 *
 * <p>Two implementations exist: one on the JDK's {@code jdk.incubator.vector} API and a plain-loop fallback. The
 * process-wide choice is made once, by {@link #get()}: the vector kernels when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} and C2 is on, else the scalar kernels with one logged warning saying
 * how to enable the fast path. The system property {@code deepq.kernels} ({@code auto}, {@code vector},
 * {@code scalar}) overrides the choice; {@link #scalar()} and {@link #vector()} give either implementation directly.
 * The system property {@code deepq.threads} (default 1) spreads large products over that many threads
 * ({@link #parallel(int)}), without changing any result.
 * Results of the two agree to float rounding, not bit for bit (the vector kernels use fused multiply-adds and sum
 * in a different order, which also depends on the machine's vector width); each is deterministic on its own.
 */
public interface Kernels {

    /** The kernels this process uses, selected once (see the class comment). */
    static Kernels get() {
        return KernelSelection.selected();
    }

    /** The portable plain-Java kernels. */
    static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /**
     * The {@code jdk.incubator.vector} kernels.
     *
     * @throws IllegalStateException if the JVM cannot run them (the message says why and what to do)
     */
    static Kernels vector() {
        return KernelSelection.vectorOrThrow();
    }

    /**
     * The {@code jdk.incubator.vector} kernels with each large matrix product (at least 2<sup>20</sup>
     * multiply-adds, such as a 256-wide layer on a batch of 64 or more) split by rows over {@code threads}
     * threads: the calling thread and {@code threads − 1} helper threads, which are daemons kept for the life of
     * the process, spin briefly between products and then sleep. Results are bit-identical to {@link #vector()}'s
     * for every thread count (each output element is computed by the same instructions whatever the split), so
     * the thread count is a speed setting only. One instance per thread count; if two threads use it at once, the
     * second computes its product alone. {@code parallel(1)} is {@link #vector()}. Setting the system property
     * {@code deepq.threads} makes {@link #get()} return {@code parallel(n)}.
     *
     * @throws IllegalStateException if the JVM cannot run the vector kernels
     * @throws IllegalArgumentException unless 1 ≤ threads ≤ 64
     */
    static Kernels parallel(int threads) {
        return KernelSelection.parallel(threads);
    }

    /** Whether {@link #vector()} is usable in this JVM. */
    static boolean vectorAvailable() {
        return KernelSelection.vectorProblem() == null;
    }

    /** A short description, e.g. {@code "vector (256-bit, 8 floats)"} or {@code "scalar"}. */
    String name();

    /** How many threads compute one large matrix product (1 unless made by {@link #parallel(int)}). */
    default int threads() {
        return 1;
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, count): in order on the calling thread, or, for kernels made by
     * {@link #parallel(int)} with threads to spare, with the indices dealt round-robin to the calling thread and
     * the helpers (index i on thread i mod threads, each thread in increasing order); products started inside
     * {@code body} then run on one thread each. For independent pieces of work too small to split one by one,
     * such as the critics of an ensemble: each {@code body.accept(i)} must touch only its own state, and then the
     * results do not depend on the thread count. Allocates nothing (pass a {@code body} kept in a field).
     */
    default void forEach(int count, IntConsumer body) {
        for (int i = 0; i < count; i++) {
            body.accept(i);
        }
    }

    /**
     * C = A·B (or C += A·B when {@code accumulate}), with A m×k, B k×n, C m×n.
     */
    void matmul(float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate);

    /**
     * C = Aᵀ·B (or C += Aᵀ·B), with A stored k×m, B k×n, C m×n.
     */
    void matmulTransA(float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate);

    /**
     * C = A·Bᵀ (or C += A·Bᵀ), with A m×k, B stored n×k, C m×n.
     */
    void matmulTransB(float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate);

    /**
     * The fused forward pass of a dense layer on feature-major data: Y = act(W·X + b), with W m×k (leading dimension
     * k), X k×n (leading dimension n), Y m×n (leading dimension n) and one bias per row of Y ({@code bias} may be
     * null for no bias). {@code act} must be {@linkplain Activation#fusable() fusable}.
     */
    void linearForward(float[] w, int wOff, float[] x, int xOff, float[] bias, int biasOff,
                       float[] y, int yOff, int m, int n, int k, Activation act);

    /** In place: x[r, c] = act(x[r, c] + bias[r]) for an rows×cols block ({@code bias} may be null). */
    void addBiasActivation(float[] x, int xOff, int ld, int rows, int cols, float[] bias, int biasOff, Activation act);

    /** y[i] = act(x[i]) for n elements; {@code act} must be fusable. */
    void activation(Activation act, float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * dx[i] = dy[i]·act'(x[i]) for n elements, written in terms of the activation's output y (ReLU: y &gt; 0;
     * tanh: 1 − y²; identity: 1). {@code act} must be fusable.
     */
    void activationBackward(Activation act, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);

    /** out[r] = Σ_c x[r, c] (or += when {@code accumulate}). */
    void rowSums(float[] x, int xOff, int ld, int rows, int cols, float[] out, int outOff, boolean accumulate);

    /** out[c] = Σ_r x[r, c] (or += when {@code accumulate}). */
    void columnSums(float[] x, int xOff, int ld, int rows, int cols, float[] out, int outOff, boolean accumulate);

    /** out[r] = max_c x[r, c]. NaN propagates. */
    void rowMax(float[] x, int xOff, int ld, int rows, int cols, float[] out, int outOff);

    /** out[r] = the first c with the largest x[r, c] (NumPy's argmax: a NaN counts as the largest). */
    void rowArgmax(float[] x, int xOff, int ld, int rows, int cols, int[] out, int outOff);

    /** dst (cols×rows, compact) = srcᵀ, src rows×cols compact. */
    void transpose(float[] src, int srcOff, int rows, int cols, float[] dst, int dstOff);

    /** y[i] += alpha·x[i]. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** y[i] = alpha·x[i] + beta·y[i]. */
    void axpby(float alpha, float[] x, int xOff, float beta, float[] y, int yOff, int n);

    /** x[i] *= alpha. */
    void scale(float alpha, float[] x, int xOff, int n);

    /** Σ x[i]·y[i]. */
    float dot(float[] x, int xOff, float[] y, int yOff, int n);

    /** Σ x[i]². */
    float sumOfSquares(float[] x, int xOff, int n);

    /**
     * One element-wise Adam update as {@code torch.optim.Adam} computes it, over n elements from {@code off}:
     * <pre>
     *   g = grad + l2·param
     *   m = beta1·m + oneMinusBeta1·g
     *   v = beta2·v + oneMinusBeta2·g·g
     *   param = param − stepSize · m / (sqrt(v) / biasCorrection2Sqrt + eps)
     * </pre>
     * The caller computes the coefficients in double precision as PyTorch does (oneMinusBeta1 = 1 − beta1,
     * stepSize = lr / (1 − beta1^t), biasCorrection2Sqrt = sqrt(1 − beta2^t)) and rounds them to float.
     * Both implementations give bit-identical results (no fused multiply-add here).
     */
    void adamUpdate(float[] param, float[] grad, float[] m, float[] v, int off, int n,
                    float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                    float stepSize, float biasCorrection2Sqrt, float eps, float l2);
}
