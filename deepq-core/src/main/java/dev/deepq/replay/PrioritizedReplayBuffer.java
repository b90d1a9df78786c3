package dev.deepq.replay;

import dev.deepq.random.Rng;
import dev.deepq.state.StateException;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;

/**
 * Proportional prioritized experience replay (Schaul et al. 2016) over the storage of {@link ReplayBuffer}.
 *
 * <p>Transition {@code i} has priority {@code p_i = (|delta_i| + epsilon)^alpha} and is sampled with probability
 * {@code P(i) = p_i / sum_k p_k}. A transition that becomes sampleable gets the largest priority seen so far,
 * {@code max(|delta| + epsilon)^alpha} (1 before any update), so it is replayed at least once soon. Sampling is
 * stratified as in the paper and the OpenAI Baselines / SB3-style implementations: the total priority mass is cut into
 * {@code batchSize} equal segments and one transition is drawn from each. Importance-sampling weights are
 * {@code w_i = (N * P(i))^-beta / max_j w_j}, {@code N} the number of sampleable transitions and
 * {@code max_j w_j = (N * min_k P(k))^-beta}, so weights are at most 1. Priorities live in a {@link SumTree} (sampling
 * in O(log capacity)) and a {@link MinTree} (the max weight); slots that are not sampleable have priority 0.
 *
 * <p>Defaults: alpha 0.6, epsilon 1e-6, beta annealed 0.4 → 1 ({@link BetaSchedule}); set the current beta with
 * {@link #setBeta} (then {@link #sample(int, Rng, Batch)} uses it) or pass it to
 * {@link #sample(int, Rng, double, Batch)}.
 */
public final class PrioritizedReplayBuffer extends ReplayBuffer {
    public static final double DEFAULT_ALPHA = 0.6;
    public static final double DEFAULT_EPSILON = 1e-6;
    public static final double DEFAULT_BETA0 = 0.4;

    private final double alpha;
    private final double epsilon;
    private final SumTree sums;
    private final MinTree mins;
    /** The largest {@code |delta| + epsilon} seen (before the alpha exponent); new transitions get it. */
    private double maxPriority = 1.0;
    private double maxPriorityAlpha = 1.0;
    private double beta = DEFAULT_BETA0;

    /** alpha 0.6, epsilon 1e-6, beta 0.4 until {@link #setBeta} is called. */
    public PrioritizedReplayBuffer(ReplayConfig config) {
        this(config, DEFAULT_ALPHA, DEFAULT_EPSILON);
    }

    /**
     * @param alpha how strongly priorities skew sampling (0 = uniform)
     * @param epsilon added to |delta| so no transition's priority is 0
     */
    public PrioritizedReplayBuffer(ReplayConfig config, double alpha, double epsilon) {
        super(config);
        if (!(alpha >= 0 && alpha <= 1e3)) {
            throw new IllegalArgumentException("alpha must be >= 0 (0.6 by default), got " + alpha);
        }
        if (!(epsilon > 0 && epsilon < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("epsilon must be > 0 and finite (1e-6 by default), got " + epsilon);
        }
        this.alpha = alpha;
        this.epsilon = epsilon;
        this.sums = new SumTree(capacity());
        this.mins = new MinTree(capacity());
    }

    public double alpha() {
        return alpha;
    }

    public double epsilon() {
        return epsilon;
    }

    /** The beta {@link #sample(int, Rng, Batch)} uses. */
    public double beta() {
        return beta;
    }

    /** Sets the beta {@link #sample(int, Rng, Batch)} uses, typically {@link BetaSchedule#value} of the step. */
    public void setBeta(double beta) {
        this.beta = checkBeta(beta);
    }

    /** The largest {@code |delta| + epsilon} seen so far (1 before any update); new transitions get its alpha power. */
    public double maxPriority() {
        return maxPriority;
    }

    /** The priority {@code p_i} (after the alpha exponent) of {@code slot}; 0 if it holds no sampleable transition. */
    public double priority(int slot) {
        if (slot < 0 || slot >= capacity()) {
            throw new IllegalArgumentException("slot " + slot + " is outside the buffer (valid: 0.."
                    + (capacity() - 1) + ")");
        }
        return sums.get(slot);
    }

    /** The sum of all priorities. */
    public double totalPriority() {
        return sums.total();
    }

    @Override
    void onSampleable(int slot) {
        sums.set(slot, maxPriorityAlpha);
        mins.set(slot, maxPriorityAlpha);
    }

    @Override
    void onWithdrawn(int slot) {
        sums.set(slot, 0.0);
        mins.set(slot, Double.POSITIVE_INFINITY);
    }

    /** Samples with the current {@link #beta()}. */
    @Override
    public void sample(int batchSize, Rng rng, Batch out) {
        sample(batchSize, rng, beta, out);
    }

    /**
     * Samples {@code batchSize} transitions proportionally to their priorities, one from each of {@code batchSize}
     * equal segments of the priority mass, with importance-sampling weights for exponent {@code beta}.
     */
    public void sample(int batchSize, Rng rng, double beta, Batch out) {
        checkBeta(beta);
        checkSampleRequest(batchSize, out);
        double total = sums.total();
        double segment = total / batchSize;
        double count = size();
        double maxWeight = Math.pow(count * (mins.min() / total), -beta);
        float[] weights = out.weights();
        for (int row = 0; row < batchSize; row++) {
            double mass = (row + rng.random()) * segment;
            int slot = sums.find(mass);
            fill(slot, out, row);
            double probability = sums.get(slot) / total;
            weights[row] = (float) (Math.pow(count * probability, -beta) / maxWeight);
        }
        finishBatch(out, batchSize);
    }

    /**
     * Sets the priorities of the transitions in {@code indices} from their TD errors:
     * {@code p = (|delta| + epsilon)^alpha}. Slots that no longer hold a sampleable transition are skipped; a slot
     * overwritten by a newer sampleable transition since it was sampled cannot be told apart here and gets the new
     * priority (as in reference implementations) — {@link #updatePriorities(Batch, float[])} tells them apart.
     * Duplicate indices: the last one wins.
     */
    public void updatePriorities(int[] indices, float[] tdErrors) {
        if (indices.length != tdErrors.length) {
            throw new IllegalArgumentException("updatePriorities: " + indices.length + " indices but "
                    + tdErrors.length + " TD errors");
        }
        checkUpdate(indices, tdErrors, indices.length);
        for (int i = 0; i < indices.length; i++) {
            if (isSampleable(indices[i])) {
                setPriority(indices[i], tdErrors[i]);
            }
        }
        refreshMax();
    }

    /**
     * Sets the priorities of the first {@code batch.size()} sampled transitions from {@code tdErrors[0..size)},
     * skipping those whose slot was overwritten since {@code batch} was sampled.
     */
    public void updatePriorities(Batch batch, float[] tdErrors) {
        if (!batch.fits(config())) {
            throw new IllegalArgumentException("updatePriorities: the batch was not sampled from this buffer's shape");
        }
        int n = batch.size();
        if (tdErrors.length < n) {
            throw new IllegalArgumentException("updatePriorities: the batch has " + n + " rows but only "
                    + tdErrors.length + " TD errors were given");
        }
        int[] indices = batch.indices();
        checkUpdate(indices, tdErrors, n);
        for (int i = 0; i < n; i++) {
            int slot = indices[i];
            if (!overwrittenSince(batch, slot) && isSampleable(slot)) {
                setPriority(slot, tdErrors[i]);
            }
        }
        refreshMax();
    }

    private void checkUpdate(int[] indices, float[] tdErrors, int n) {
        for (int i = 0; i < n; i++) {
            int slot = indices[i];
            if (slot < 0 || slot >= capacity()) {
                throw new IllegalArgumentException("updatePriorities: indices[" + i + "] = " + slot
                        + " is outside the buffer (valid: 0.." + (capacity() - 1) + ")");
            }
            float delta = tdErrors[i];
            if (!Float.isFinite(delta)) {
                throw new IllegalArgumentException("updatePriorities: tdErrors[" + i + "] (slot " + slot + ") is "
                        + delta + "; TD errors must be finite");
            }
        }
    }

    private void setPriority(int slot, float tdError) {
        double raw = Math.abs((double) tdError) + epsilon;
        double p = Math.pow(raw, alpha);
        sums.set(slot, p);
        mins.set(slot, p);
        if (raw > maxPriority) {
            maxPriority = raw;
        }
    }

    private void refreshMax() {
        maxPriorityAlpha = Math.pow(maxPriority, alpha);
    }

    private static double checkBeta(double beta) {
        if (!(beta >= 0 && beta <= 1)) {
            throw new IllegalArgumentException("beta must be in [0, 1], got " + beta);
        }
        return beta;
    }

    // ---------------------------------------------------------------------------------------------------- state

    /**
     * The storage state plus what prioritized sampling adds. {@code priorities} is a copy of the sum tree's leaves
     * (the inner nodes are a pure function of them and are rebuilt bit for bit); 0 for slots that are not sampleable.
     */
    public record PriorityState(
            ReplayBuffer.State storage,
            double[] priorities,
            double maxPriority,
            double alpha,
            double epsilon,
            double beta) {

        /** A deep copy, detached from the buffer. */
        public PriorityState copy() {
            return new PriorityState(storage.copy(), priorities.clone(), maxPriority, alpha, epsilon, beta);
        }
    }

    /** The storage (live arrays, see {@link ReplayBuffer.State}), a copy of the priorities, max priority and beta. */
    public PriorityState priorityState() {
        double[] priorities = new double[capacity()];
        sums.leavesTo(priorities);
        return new PriorityState(state(), priorities, maxPriority, alpha, epsilon, beta);
    }

    /** Restores storage, priorities and max priority from {@link #priorityState()} of a buffer of the same shape. */
    public void restore(PriorityState state) {
        if (Double.compare(state.alpha(), alpha) != 0 || Double.compare(state.epsilon(), epsilon) != 0) {
            throw new IllegalArgumentException("cannot restore a prioritized replay state with alpha=" + state.alpha()
                    + ", epsilon=" + state.epsilon() + " into a buffer with alpha=" + alpha + ", epsilon=" + epsilon);
        }
        double[] priorities = state.priorities();
        if (priorities.length != capacity()) {
            throw new IllegalArgumentException("restore: priorities has length " + priorities.length + ", expected "
                    + capacity());
        }
        if (!(state.maxPriority() >= epsilon && state.maxPriority() < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("restore: maxPriority " + state.maxPriority()
                    + " must be finite and >= epsilon");
        }
        checkBeta(state.beta());
        byte[] flags = state.storage().flags();
        if (flags.length == capacity()) {
            for (int s = 0; s < priorities.length; s++) {
                double p = priorities[s];
                boolean sampleableSlot = (flags[s] & SAMPLEABLE) != 0;
                if (!(p >= 0 && p < Double.POSITIVE_INFINITY) || (p > 0) != sampleableSlot) {
                    throw new IllegalArgumentException("restore: priority of slot " + s + " is " + p + " but the slot "
                            + (sampleableSlot ? "is" : "is not") + " sampleable (need p > 0 exactly for sampleable"
                            + " slots, finite)");
                }
            }
        }
        restoreStorage(state.storage());
        sums.rebuild(priorities);
        mins.rebuild(priorities, capacity());
        maxPriority = state.maxPriority();
        refreshMax();
        beta = state.beta();
    }

    /** Not supported: a storage state alone has no priorities. Use {@link #restore(PriorityState)}. */
    @Override
    public void restore(State state) {
        throw new UnsupportedOperationException("a prioritized buffer restores from a PriorityState (storage plus"
                + " priorities); use restore(priorityState)");
    }

    /** Saves the storage plus the priorities (the sum tree's leaves), max priority and beta. */
    @Override
    public void saveState(StateWriter out) {
        super.saveState(out);
        PriorityState s = priorityState();
        out.putDoubles("priorities", s.priorities());
        out.putDouble("max_priority", s.maxPriority());
        out.putDouble("beta", s.beta());
    }

    @Override
    public void restoreState(StateReader in) {
        State storage = readState(in);
        double[] priorities = new double[capacity()];
        in.readDoubles("priorities", priorities);
        try {
            restore(new PriorityState(storage, priorities, in.getDouble("max_priority"), alpha, epsilon,
                    in.getDouble("beta")));
        } catch (StateException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw in.error("priorities", e.getMessage());
        }
    }

    /** Bytes of the arrays this buffer allocated, storage plus the two priority trees. */
    @Override
    public long allocatedBytes() {
        return super.allocatedBytes() + 2 * (16 + 8L * sums.nodes().length);
    }

    SumTree sumTree() {
        return sums;
    }

    MinTree minTree() {
        return mins;
    }
}
