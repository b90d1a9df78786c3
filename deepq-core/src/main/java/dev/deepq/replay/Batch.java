package dev.deepq.replay;

/**
 * A reusable block of sampled transitions, row-major and flat, ready for a network: row {@code i} of
 * {@link #observations()} is {@code observations()[i * observationSize .. (i + 1) * observationSize)}.
 *
 * <p>Make one with {@link ReplayBuffer#newBatch(int)} and pass it to every {@code sample} call; sampling overwrites
 * it and allocates nothing. Only the first {@link #size()} rows are meaningful.
 *
 * <p>With n-step returns, row {@code i} describes the window that starts at the sampled transition and runs for
 * {@code m = steps()[i]} transitions ({@code m <= n}; fewer when the episode ended or the env stream was cut inside
 * the window): {@code rewards()[i]} is {@code sum_{k<m} gamma^k r_{t+k}}, {@code nextObservations()} holds the
 * observation after the window (the episode's final observation when it ended there) and {@code discounts()[i]} is
 * {@code gamma^m * (1 - terminated)}, so the target is {@code rewards + discounts * V(nextObservations)}.
 *
 * <p>For a buffer with action masks, {@link #nextActionMasks()} holds the valid actions of each bootstrap observation,
 * so {@code V} can take its max over valid actions only. Its array is made by the first sample from a masked buffer.
 */
public final class Batch {
    private final int capacity;
    private final int observationSize;
    private final ActionKind actionKind;
    private final int actionSize;
    private final float[] observations;
    private final float[] nextObservations;
    private final int[] discreteActions;
    private final float[] continuousActions;
    private final float[] rewards;
    private final float[] discounts;
    private final float[] terminated;
    private final int[] steps;
    private final int[] indices;
    private final float[] weights;
    /** Room for masks, made on the first sample from a masked buffer; rows are meaningful while actionMaskSize > 0. */
    private boolean[] nextActionMasks;
    private int actionMaskSize;
    /** Each stream's slot counter when the batch was sampled: tells later which sampled slots were overwritten. */
    final long[] allocatedAtSample;
    int size;

    Batch(int capacity, ReplayConfig config) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("a batch needs room for at least 1 row, got " + capacity);
        }
        this.capacity = capacity;
        this.observationSize = config.observationSize();
        this.actionKind = config.actionKind();
        this.actionSize = config.actionSize();
        this.observations = new float[Math.multiplyExact(capacity, observationSize)];
        this.nextObservations = new float[Math.multiplyExact(capacity, observationSize)];
        int actionNumbers = Math.multiplyExact(capacity, actionSize);
        this.discreteActions = actionKind == ActionKind.DISCRETE ? new int[actionNumbers] : null;
        this.continuousActions = actionKind == ActionKind.CONTINUOUS ? new float[actionNumbers] : null;
        this.rewards = new float[capacity];
        this.discounts = new float[capacity];
        this.terminated = new float[capacity];
        this.steps = new int[capacity];
        this.indices = new int[capacity];
        this.weights = new float[capacity];
        this.allocatedAtSample = new long[config.numEnvs()];
    }

    /** The most rows this batch can hold. */
    public int capacity() {
        return capacity;
    }

    /** Rows filled by the last sample. */
    public int size() {
        return size;
    }

    public int observationSize() {
        return observationSize;
    }

    public ActionKind actionKind() {
        return actionKind;
    }

    public int actionSize() {
        return actionSize;
    }

    /** The observations the sampled transitions start from. */
    public float[] observations() {
        return observations;
    }

    /** The bootstrap observations: {@code m} steps after the start, or the final observation of an ended episode. */
    public float[] nextObservations() {
        return nextObservations;
    }

    /** The actions taken at the start observations (DISCRETE buffers; null otherwise). */
    public int[] discreteActions() {
        return discreteActions;
    }

    /** The actions taken at the start observations (CONTINUOUS buffers; null otherwise). */
    public float[] continuousActions() {
        return continuousActions;
    }

    /** The (n-step) discounted reward sums, computed in double and rounded once to float. */
    public float[] rewards() {
        return rewards;
    }

    /** {@code gamma^m * (1 - terminated)}: the factor for the bootstrap value, 0 after a termination. */
    public float[] discounts() {
        return discounts;
    }

    /** 1 where the episode terminated inside the window (never bootstrap), else 0. Truncation is not termination. */
    public float[] terminated() {
        return terminated;
    }

    /** {@code m}: how many transitions each window spans (1..n). */
    public int[] steps() {
        return steps;
    }

    /**
     * The valid actions of each bootstrap observation ({@link #nextObservations()}), {@code A} flags per row, row
     * {@code i} at {@code i * A}, {@code A = }{@link #actionMaskSize()}; null when the buffer stores no masks.
     */
    public boolean[] nextActionMasks() {
        return actionMaskSize == 0 ? null : nextActionMasks;
    }

    /** Actions per row of {@link #nextActionMasks()}, 0 when the sampled buffer stores no masks. */
    public int actionMaskSize() {
        return actionMaskSize;
    }

    /** Sets the mask width of the coming rows; makes the mask array the first time (or if the width changes). */
    void useActionMasks(int size) {
        if (size > 0 && (nextActionMasks == null || nextActionMasks.length != Math.multiplyExact(capacity, size))) {
            nextActionMasks = new boolean[Math.multiplyExact(capacity, size)];
        }
        actionMaskSize = size;
    }

    /** The buffer slots sampled, for {@link PrioritizedReplayBuffer#updatePriorities}. */
    public int[] indices() {
        return indices;
    }

    /** Importance-sampling weights (prioritized replay; all 1 for uniform sampling). */
    public float[] weights() {
        return weights;
    }

    boolean fits(ReplayConfig config) {
        return observationSize == config.observationSize() && actionKind == config.actionKind()
                && actionSize == config.actionSize() && allocatedAtSample.length == config.numEnvs();
    }
}
