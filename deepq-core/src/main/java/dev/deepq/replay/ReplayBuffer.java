package dev.deepq.replay;

import dev.deepq.random.Rng;
import dev.deepq.state.Checkpointable;
import dev.deepq.state.StateException;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.util.Arrays;

/**
 * Experience replay with preallocated columnar float32 storage, one ring per env stream, n-step returns and uniform
 * sampling. {@link PrioritizedReplayBuffer} adds proportional prioritized sampling on top.
 *
 * <h2>What is stored</h2>
 * The buffer is an array of {@code capacity} <em>slots</em>. Slot {@code s} owns {@code observations[s * obsSize ..]},
 * {@code actions[s * actionSize ..]} (an {@code int[]} for DISCRETE, a {@code float[]} for CONTINUOUS buffers),
 * {@code rewards[s]} and one byte of {@code flags[s]}. Each slot holds one observation, never two: a transition's
 * next observation is not stored with it but is the observation of the <em>following slot of the same env
 * stream</em>. Bookkeeping per slot is that one flag byte; everything else is per env stream ({@code allocated},
 * {@code pending}, {@code openChain}: a few numbers per env), so the bytes of a slot are the raw observation + action +
 * reward bytes plus one.
 *
 * <h2>Action masks</h2>
 * For envs with action masks (Taxi), the bootstrap value of a target must look only at the actions valid in the
 * bootstrap state. The buffer then keeps an optional <em>mask column</em>: each slot also holds the action mask of its
 * own observation, packed one bit per action ({@code ceil(A / 8)} bytes per slot, one byte for Taxi's 6 actions), so a
 * transition's next-state mask is, like its next observation, that of the slot it bootstraps from (for n-step
 * windows, the n-th next state; for an ended episode, its final observation's mask). The column exists only for
 * masked envs: the first {@code add}/{@code addBatch} that hands over next-state masks allocates it (once); slots
 * written before, and observations whose mask was never handed over (the start of a stream), count as "all actions
 * valid". A buffer that never sees a mask has no column and pays nothing. Sampled masks come back in
 * {@link Batch#nextActionMasks()}. The mask is part of the raw data of a masked env's transition; with it, Taxi's slot
 * is 4 + 4 + 4 + 1 raw bytes plus the flag byte.
 *
 * <h2>Env streams</h2>
 * Env {@code e} of a vector env owns the contiguous slots {@code [e * L, (e + 1) * L)}, {@code L = capacity / numEnvs},
 * and writes them as a ring, in time order. Slots are numbered per stream by a sequence counter ({@code allocated[e]}
 * slots handed out so far); sequence number {@code q} lives at position {@code q mod L}. Because a stream is one env's
 * history in order, "the following slot" is always the next step of the same env, whatever the other envs do, and a
 * slot's env is its index divided by {@code L}, so it need not be stored.
 *
 * <h2>Slot kinds (flag bits)</h2>
 * <ul>
 *   <li><b>transition</b> ({@code OBSERVED | TRANSITION}, plus {@code TERMINATED} / {@code TRUNCATED}): observation
 *       {@code o_t}, action {@code a_t}, reward {@code r_t}, how the step ended; {@code o_{t+1}} is in the next slot.
 *   <li><b>observation only</b> ({@code OBSERVED}): either the <em>pending</em> observation of a live episode (the
 *       newest observation of the stream, whose action is not known yet), or a <em>final</em> observation: the one an
 *       episode ended in. With the vector env's same-step autoreset the env hands that one over separately (as
 *       {@code finalObservation}) because its returned observation is already the next episode's first; it goes into
 *       the slot after the ending transition and the next episode starts in the slot after that. Such a slot is never
 *       sampled as the start of a transition. One slot per episode is the whole cost of keeping final observations.
 *   <li>{@code SAMPLEABLE} marks transitions that may start a sampled window (below).
 * </ul>
 * An {@code add(o_t, a_t, r_t, o_{t+1})} writes {@code o_t, a_t, r_t} into the stream's pending slot when that slot
 * holds exactly {@code o_t} (the usual case: it was written as the previous step's next observation), or into a newly
 * allocated slot otherwise, then writes {@code o_{t+1}} (or the final observation) into the next new slot. If an
 * {@code add} hands over an observation that does not continue a live stream (bitwise unequal to the pending one, as
 * when a caller resets an env by hand), the stream is <em>cut</em>: the pending slot stays as a final observation, so
 * the previous transition keeps its true next observation, and windows stop there and bootstrap from it, as on
 * truncation. A manual reset that lands in the very same observation is not a cut, and need not be (Markov property).
 *
 * <h2>n-step windows and when a transition becomes sampleable</h2>
 * The window of the transition in slot {@code s} runs over the transitions {@code s, s+1, ...} of its stream until,
 * after {@code m} of them, one of: {@code m = n}; the m-th transition terminated (target gets discount 0: never
 * bootstrap through termination); it was truncated (bootstrap from its final observation with {@code gamma^m}); the
 * next slot is observation-only (a cut). The bootstrap observation is always the slot after the m-th transition.
 * A transition becomes sampleable only when its window is complete (its episode ended within n steps, or n steps have
 * been added), so the newest {@code n - 1} transitions of a live episode wait, as in Dopamine; the per-stream
 * {@code openChain} counts those waiting ones. Once sampleable, a transition's target never changes.
 *
 * <h2>Wrap-around and overwrites</h2>
 * Allocating a slot overwrites the oldest slot of the stream; if it was sampleable it is withdrawn (and its priority
 * zeroed) first. Windows only look forward in time, and the slots after a sampleable transition up to its bootstrap
 * observation are all newer than it, so they are overwritten only after the transition itself: every sampleable
 * transition's window is intact. The pending slot a complete window may bootstrap from is later rewritten with the
 * very same observation (or kept, on a cut). The window and its bootstrap slot span at most {@code n + 1} slots while
 * the slot being allocated is the oldest; hence a stream needs {@code L >= n + 1}, which {@link ReplayConfig} checks.
 *
 * <h2>Capacity</h2>
 * The buffer holds up to {@code capacity} slots: about {@code capacity} transitions minus one slot per episode end in
 * the window (and {@code n - 1} waiting ones per stream). With CartPole's random-policy episodes (~22 steps) that is
 * about 4 % fewer transitions than slots; with long episodes, almost none.
 *
 * <p>Sampling is with replacement, over sampleable transitions, into a reused {@link Batch}; nothing is allocated by
 * {@code add}, {@code addBatch} or {@code sample}. Every input is checked before anything is written: a failing call
 * leaves the buffer unchanged. Not thread-safe: one thread adds (a vector env's threads hand their results to
 * {@link #addBatch}) and samples.
 *
 * <p>{@link #state()} exposes the storage arrays and ring positions so a checkpoint can save them, and
 * {@link #restore(State)} puts them back bit for bit.
 */
public class ReplayBuffer implements Checkpointable {
    static final byte OBSERVED = 1;
    static final byte TRANSITION = 2;
    static final byte TERMINATED = 4;
    static final byte TRUNCATED = 8;
    static final byte SAMPLEABLE = 16;
    private static final byte KNOWN_FLAGS = OBSERVED | TRANSITION | TERMINATED | TRUNCATED | SAMPLEABLE;

    private final ReplayConfig config;
    private final int streamCapacity;
    private final int obsSize;
    private final int actionSize;
    private final int numEnvs;
    private final int nStep;
    /** gamma^k for k = 0..n, in double: window sums are computed in double and rounded once. */
    private final double[] gammaPowers;

    private final float[] observations;
    private final int[] discreteActions;
    private final float[] continuousActions;
    private final float[] rewards;
    private final byte[] flags;
    /** Optional mask column: bit {@code a} of {@code actionMasks[s * maskBytes + a / 8]}; null until a mask arrives. */
    private byte[] actionMasks;
    /** Actions per mask in the mask column, 0 while there is none. */
    private int actionMaskSize;
    private int maskBytes;
    /** Per stream: slots handed out so far (sequence counter; position = counter mod L). */
    private final long[] allocated;
    /** Per stream: whether the newest slot holds the observation of a live episode, awaiting its action. */
    private final boolean[] pending;
    /** Per stream: how many of the newest transitions wait for their n-step window to complete (0..n-1). */
    private final int[] openChain;
    private int sampleable;

    private final int[] scalarAction = new int[1];

    public ReplayBuffer(ReplayConfig config) {
        this.config = config;
        this.streamCapacity = config.streamCapacity();
        this.obsSize = config.observationSize();
        this.actionSize = config.actionSize();
        this.numEnvs = config.numEnvs();
        this.nStep = config.nStep();
        this.gammaPowers = new double[nStep + 1];
        gammaPowers[0] = 1.0;
        for (int k = 1; k <= nStep; k++) {
            gammaPowers[k] = gammaPowers[k - 1] * config.gamma();
        }
        int slots = streamCapacity * numEnvs;
        this.observations = new float[slots * obsSize];
        boolean discrete = config.actionKind() == ActionKind.DISCRETE;
        this.discreteActions = discrete ? new int[slots * actionSize] : null;
        this.continuousActions = discrete ? null : new float[slots * actionSize];
        this.rewards = new float[slots];
        this.flags = new byte[slots];
        this.allocated = new long[numEnvs];
        this.pending = new boolean[numEnvs];
        this.openChain = new int[numEnvs];
    }

    public ReplayConfig config() {
        return config;
    }

    /** Slots in use: {@code streamCapacity() * numEnvs}. */
    public int capacity() {
        return streamCapacity * numEnvs;
    }

    /** Slots per env stream. */
    public int streamCapacity() {
        return streamCapacity;
    }

    /** How many transitions can be sampled now. */
    public int size() {
        return sampleable;
    }

    /** Whether the transition in {@code slot} can be sampled now (its n-step window is complete and intact). */
    public boolean isSampleable(int slot) {
        checkSlot(slot);
        return (flags[slot] & SAMPLEABLE) != 0;
    }

    /** Actions per stored action mask, 0 while the buffer has no mask column (see the class comment). */
    public int actionMaskSize() {
        return actionMaskSize;
    }

    /** A batch with room for {@code rows} transitions of this buffer's shape. */
    public Batch newBatch(int rows) {
        return new Batch(rows, config);
    }

    /** Bytes of the arrays this buffer allocated (storage, per-stream bookkeeping, array headers). */
    public long allocatedBytes() {
        long header = 16;
        long bytes = header + 4L * observations.length;
        bytes += header + 4L * capacity() * actionSize;
        bytes += header + 4L * rewards.length;
        bytes += header + flags.length;
        bytes += actionMasks == null ? 0 : header + actionMasks.length;
        bytes += 3 * header + 8L * numEnvs + numEnvs + 4L * numEnvs;
        bytes += header + 8L * gammaPowers.length;
        return bytes;
    }

    // ---------------------------------------------------------------------------------------------------- adding

    /**
     * Adds one transition of env stream {@code env} (Discrete action).
     *
     * @param observation the observation the action was taken in
     * @param nextObservation the observation after the step: for an episode that ended, its final observation (not
     *     the first observation of the next episode)
     */
    public void add(int env, double[] observation, int action, double reward, boolean terminated, boolean truncated,
            double[] nextObservation) {
        add(env, observation, action, reward, terminated, truncated, nextObservation, null);
    }

    /**
     * Adds one transition of env stream {@code env} (Discrete action) with the action mask of its next observation.
     *
     * @param nextActionMask the valid actions in {@code nextObservation} (for an episode that ended, in its final
     *     observation), or null when the env has no mask; see "Action masks" in the class comment
     */
    public void add(int env, double[] observation, int action, double reward, boolean terminated, boolean truncated,
            double[] nextObservation, boolean[] nextActionMask) {
        if (config.actionKind() != ActionKind.DISCRETE || actionSize != 1) {
            throw new IllegalArgumentException("ReplayBuffer.add: an int action fits a DISCRETE buffer of actionSize 1;"
                    + " this buffer stores " + config.actionKind() + " actions of size " + actionSize);
        }
        checkSingle(env, observation, reward, nextObservation);
        if (nextActionMask != null) {
            prepareMaskColumn("ReplayBuffer.add", "nextActionMask", nextActionMask.length);
        }
        scalarAction[0] = action;
        write(env, observation, 0, scalarAction, null, 0, reward, terminated, truncated, nextObservation, 0,
                nextActionMask, 0);
    }

    /** Adds one transition of env stream {@code env} with an integer vector action (MultiDiscrete, MultiBinary). */
    public void add(int env, double[] observation, int[] action, double reward, boolean terminated, boolean truncated,
            double[] nextObservation) {
        if (config.actionKind() != ActionKind.DISCRETE) {
            throw new IllegalArgumentException("ReplayBuffer.add: int[] actions need a DISCRETE buffer; this buffer"
                    + " stores CONTINUOUS actions (pass a double[])");
        }
        checkLength("ReplayBuffer.add", "action", action.length, actionSize);
        checkSingle(env, observation, reward, nextObservation);
        write(env, observation, 0, action, null, 0, reward, terminated, truncated, nextObservation, 0, null, 0);
    }

    /** Adds one transition of env stream {@code env} with a continuous action. */
    public void add(int env, double[] observation, double[] action, double reward, boolean terminated,
            boolean truncated, double[] nextObservation) {
        if (config.actionKind() != ActionKind.CONTINUOUS) {
            throw new IllegalArgumentException("ReplayBuffer.add: double[] actions need a CONTINUOUS buffer; this"
                    + " buffer stores DISCRETE actions (pass an int or int[])");
        }
        checkLength("ReplayBuffer.add", "action", action.length, actionSize);
        checkSingle(env, observation, reward, nextObservation);
        checkFinite("ReplayBuffer.add", "action", action, 0, actionSize, env);
        write(env, observation, 0, null, action, 0, reward, terminated, truncated, nextObservation, 0, null, 0);
    }

    /**
     * Adds one step of a vector env: row {@code e} of every array belongs to env stream {@code e} (envs are added in
     * order 0, 1, ...). Integer actions, flattened: {@code actions[e * actionSize ..]}.
     *
     * @param observations the observations the actions were taken in, {@code numEnvs * observationSize}
     * @param nextObservations the observations the vector env returned; for envs whose episode ended these are already
     *     the next episode's first observations and are not used
     * @param hasFinalObservation per env, whether its episode ended and {@code finalObservations} holds its final
     *     observation (must equal {@code terminated || truncated})
     * @param finalObservations {@code numEnvs * observationSize}; row {@code e} is read where
     *     {@code hasFinalObservation[e]}
     */
    public void addBatch(double[] observations, int[] actions, double[] rewards, boolean[] terminated,
            boolean[] truncated, double[] nextObservations, boolean[] hasFinalObservation,
            double[] finalObservations) {
        addBatch(observations, actions, rewards, terminated, truncated, nextObservations, hasFinalObservation,
                finalObservations, null);
    }

    /**
     * {@link #addBatch(double[], int[], double[], boolean[], boolean[], double[], boolean[], double[])} with the
     * action masks of the next observations.
     *
     * @param nextActionMasks {@code numEnvs * A} flags, row {@code e} the valid actions in env {@code e}'s next
     *     observation: for an episode that ended, in its <em>final</em> observation (not the reset one's), as
     *     {@code StepBatch.nextActionMasks()} holds them; null when the env has no mask
     */
    public void addBatch(double[] observations, int[] actions, double[] rewards, boolean[] terminated,
            boolean[] truncated, double[] nextObservations, boolean[] hasFinalObservation,
            double[] finalObservations, boolean[] nextActionMasks) {
        if (config.actionKind() != ActionKind.DISCRETE) {
            throw new IllegalArgumentException("ReplayBuffer.addBatch: int[] actions need a DISCRETE buffer; this"
                    + " buffer stores CONTINUOUS actions (pass a double[])");
        }
        checkLength("ReplayBuffer.addBatch", "actions", actions.length, numEnvs * actionSize);
        checkBatch(observations, rewards, terminated, truncated, nextObservations, hasFinalObservation,
                finalObservations);
        int maskSize = 0;
        if (nextActionMasks != null) {
            if (nextActionMasks.length == 0 || nextActionMasks.length % numEnvs != 0) {
                throw new IllegalArgumentException("ReplayBuffer.addBatch: nextActionMasks has length "
                        + nextActionMasks.length + ", expected numEnvs (" + numEnvs + ") x actions per mask");
            }
            maskSize = nextActionMasks.length / numEnvs;
            prepareMaskColumn("ReplayBuffer.addBatch", "nextActionMasks per env", maskSize);
        }
        for (int e = 0; e < numEnvs; e++) {
            double[] next = hasFinalObservation[e] ? finalObservations : nextObservations;
            write(e, observations, e * obsSize, actions, null, e * actionSize, rewards[e], terminated[e],
                    truncated[e], next, e * obsSize, nextActionMasks, e * maskSize);
        }
    }

    /** {@link #addBatch(double[], int[], double[], boolean[], boolean[], double[], boolean[], double[])} for
     * continuous actions. */
    public void addBatch(double[] observations, double[] actions, double[] rewards, boolean[] terminated,
            boolean[] truncated, double[] nextObservations, boolean[] hasFinalObservation,
            double[] finalObservations) {
        if (config.actionKind() != ActionKind.CONTINUOUS) {
            throw new IllegalArgumentException("ReplayBuffer.addBatch: double[] actions need a CONTINUOUS buffer;"
                    + " this buffer stores DISCRETE actions (pass an int[])");
        }
        checkLength("ReplayBuffer.addBatch", "actions", actions.length, numEnvs * actionSize);
        checkBatch(observations, rewards, terminated, truncated, nextObservations, hasFinalObservation,
                finalObservations);
        for (int e = 0; e < numEnvs; e++) {
            checkFinite("ReplayBuffer.addBatch", "actions", actions, e * actionSize, actionSize, e);
        }
        for (int e = 0; e < numEnvs; e++) {
            writeBatchRow(e, observations, null, actions, rewards, terminated, truncated, nextObservations,
                    hasFinalObservation, finalObservations);
        }
    }

    private void writeBatchRow(int e, double[] obs, int[] intActions, double[] realActions, double[] rewards,
            boolean[] terminated, boolean[] truncated, double[] nextObs, boolean[] hasFinal, double[] finalObs) {
        double[] next = hasFinal[e] ? finalObs : nextObs;
        write(e, obs, e * obsSize, intActions, realActions, e * actionSize, rewards[e], terminated[e], truncated[e],
                next, e * obsSize, null, 0);
    }

    /**
     * Makes sure the mask column exists for masks of {@code size} actions: allocates it on the first mask (every slot
     * "all valid"), refuses a mask of another size later. Called before anything is written.
     */
    private void prepareMaskColumn(String method, String what, int size) {
        if (actionMasks != null) {
            if (size != actionMaskSize) {
                throw new IllegalArgumentException(method + ": " + what + " has " + size + " actions, but this buffer"
                        + " stores action masks of " + actionMaskSize + " actions");
            }
            return;
        }
        if (size <= 0) {
            throw new IllegalArgumentException(method + ": " + what + " has no actions; pass null for an env without"
                    + " action masks");
        }
        int bytes = (size + 7) / 8;
        long total = (long) capacity() * bytes;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(method + ": masks of " + size + " actions for " + capacity()
                    + " slots exceed the largest Java array");
        }
        byte[] column = new byte[(int) total];
        actionMaskSize = size;
        maskBytes = bytes;
        actionMasks = column;
        for (int s = 0; s < capacity(); s++) {
            storeMask(s, null, 0);
        }
    }

    /** Packs {@code mask[offset .. offset + A)} into {@code slot}'s mask bits; null means all actions valid. */
    private void storeMask(int slot, boolean[] mask, int offset) {
        int to = slot * maskBytes;
        for (int b = 0; b < maskBytes; b++) {
            int bits = 0;
            int first = b * 8;
            int last = Math.min(first + 8, actionMaskSize);
            for (int a = first; a < last; a++) {
                if (mask == null || mask[offset + a]) {
                    bits |= 1 << (a - first);
                }
            }
            actionMasks[to + b] = (byte) bits;
        }
    }

    /** Stores one validated transition; see the class comment for the slot scheme. */
    private void write(int env, double[] obs, int obsOffset, int[] intActions, double[] realActions, int actionOffset,
            double reward, boolean terminated, boolean truncated, double[] next, int nextOffset, boolean[] nextMask,
            int maskOffset) {
        int base = env * streamCapacity;
        int slot;
        if (pending[env]) {
            long pendingSeq = allocated[env] - 1;
            slot = base + position(pendingSeq);
            if (!holdsObservation(slot, obs, obsOffset)) {
                // A cut: the pending slot stays as the final observation of the transitions before it.
                closeChain(env, pendingSeq - 1);
                slot = allocate(env);
                storeObservation(slot, obs, obsOffset);
                if (actionMasks != null) {
                    storeMask(slot, null, 0);
                }
            }
        } else {
            slot = allocate(env);
            storeObservation(slot, obs, obsOffset);
            if (actionMasks != null) {
                // The mask of a stream's first observation is not handed over; no window bootstraps from it.
                storeMask(slot, null, 0);
            }
        }
        if (intActions != null) {
            System.arraycopy(intActions, actionOffset, discreteActions, slot * actionSize, actionSize);
        } else {
            int to = slot * actionSize;
            for (int i = 0; i < actionSize; i++) {
                continuousActions[to + i] = (float) realActions[actionOffset + i];
            }
        }
        rewards[slot] = (float) reward;
        flags[slot] = (byte) (OBSERVED | TRANSITION | (terminated ? TERMINATED : 0) | (truncated ? TRUNCATED : 0));
        long seq = allocated[env] - 1;

        int nextSlot = allocate(env);
        storeObservation(nextSlot, next, nextOffset);
        flags[nextSlot] = OBSERVED;
        if (actionMasks != null) {
            storeMask(nextSlot, nextMask, maskOffset);
        }

        boolean ended = terminated || truncated;
        pending[env] = !ended;
        openChain[env]++;
        if (ended) {
            closeChain(env, seq);
        } else if (openChain[env] == nStep) {
            markSampleable(base + position(seq - nStep + 1));
            openChain[env] = nStep - 1;
        }
    }

    /** Makes the waiting transitions of {@code env}'s live chain, which ends at sequence {@code lastSeq}, sampleable. */
    private void closeChain(int env, long lastSeq) {
        int base = env * streamCapacity;
        for (int k = openChain[env] - 1; k >= 0; k--) {
            markSampleable(base + position(lastSeq - k));
        }
        openChain[env] = 0;
    }

    /** Hands out the next slot of {@code env}'s stream, withdrawing whatever it held. */
    private int allocate(int env) {
        int slot = env * streamCapacity + position(allocated[env]);
        allocated[env]++;
        if ((flags[slot] & SAMPLEABLE) != 0) {
            sampleable--;
            onWithdrawn(slot);
        }
        flags[slot] = 0;
        return slot;
    }

    private void markSampleable(int slot) {
        flags[slot] |= SAMPLEABLE;
        sampleable++;
        onSampleable(slot);
    }

    private int position(long seq) {
        return (int) (seq % streamCapacity);
    }

    private boolean holdsObservation(int slot, double[] obs, int offset) {
        int from = slot * obsSize;
        for (int i = 0; i < obsSize; i++) {
            if (Float.floatToRawIntBits((float) obs[offset + i]) != Float.floatToRawIntBits(observations[from + i])) {
                return false;
            }
        }
        return true;
    }

    private void storeObservation(int slot, double[] obs, int offset) {
        int to = slot * obsSize;
        for (int i = 0; i < obsSize; i++) {
            observations[to + i] = (float) obs[offset + i];
        }
    }

    /** Called when a transition becomes sampleable (its window completed). */
    void onSampleable(int slot) {}

    /** Called when a sampleable transition is overwritten. */
    void onWithdrawn(int slot) {}

    // ---------------------------------------------------------------------------------------------------- sampling

    /**
     * Samples {@code batchSize} sampleable transitions uniformly, with replacement, into {@code out} (weights 1).
     *
     * @throws IllegalArgumentException if {@code batchSize} exceeds {@link #size()} or {@code out}'s capacity
     */
    public void sample(int batchSize, Rng rng, Batch out) {
        checkSampleRequest(batchSize, out);
        int filled = 0;
        for (int e = 0; e < numEnvs; e++) {
            filled += filled(e);
        }
        boolean full = filled == capacity();
        float[] weights = out.weights();
        for (int row = 0; row < batchSize; row++) {
            int slot;
            do {
                int u = (int) rng.integers(filled);
                slot = full ? u : filledSlot(u);
            } while ((flags[slot] & SAMPLEABLE) == 0);
            fill(slot, out, row);
            weights[row] = 1f;
        }
        finishBatch(out, batchSize);
    }

    /** The {@code u}-th written slot, counting stream by stream (streams fill from their first position). */
    private int filledSlot(int u) {
        int e = 0;
        int f = filled(0);
        while (u >= f) {
            u -= f;
            e++;
            f = filled(e);
        }
        return e * streamCapacity + u;
    }

    private int filled(int env) {
        return (int) Math.min(allocated[env], streamCapacity);
    }

    /**
     * Copies the sampleable transition in {@code slot}, with its n-step window, into row {@code row} of {@code out}
     * (weight 1). For inspection and tests; it does not change {@code out.size()}, and priorities of rows read this
     * way are updated with {@link PrioritizedReplayBuffer#updatePriorities(int[], float[])}.
     */
    public void read(int slot, Batch out, int row) {
        checkSlot(slot);
        if ((flags[slot] & SAMPLEABLE) == 0) {
            throw new IllegalArgumentException("slot " + slot + " holds no sampleable transition");
        }
        if (!out.fits(config)) {
            throw new IllegalArgumentException("the batch was made for another buffer shape; use newBatch()");
        }
        if (row < 0 || row >= out.capacity()) {
            throw new IllegalArgumentException("row " + row + " is outside the batch (capacity " + out.capacity()
                    + ")");
        }
        prepareBatchMasks(out);
        fill(slot, out, row);
        out.weights()[row] = 1f;
    }

    final void checkSampleRequest(int batchSize, Batch out) {
        if (!out.fits(config)) {
            throw new IllegalArgumentException("the batch was made for another buffer shape (observationSize "
                    + out.observationSize() + ", " + out.actionKind() + " actions of size " + out.actionSize()
                    + "); use this buffer's newBatch()");
        }
        if (batchSize <= 0 || batchSize > out.capacity()) {
            throw new IllegalArgumentException("batch size must be in [1, " + out.capacity()
                    + "] (the batch's capacity), got " + batchSize);
        }
        if (batchSize > sampleable) {
            throw new IllegalArgumentException("cannot sample " + batchSize + " transitions: the buffer holds "
                    + sampleable + " sampleable transition(s) (newest n-1 of live episodes wait for their n-step"
                    + " window); add more before sampling");
        }
        prepareBatchMasks(out);
    }

    /** Gives {@code out} room for this buffer's masks (once) and says whether rows carry masks. */
    final void prepareBatchMasks(Batch out) {
        out.useActionMasks(actionMaskSize);
    }

    final void finishBatch(Batch out, int batchSize) {
        out.size = batchSize;
        System.arraycopy(allocated, 0, out.allocatedAtSample, 0, numEnvs);
    }

    /** Writes the transition in {@code slot} and its n-step target into {@code row}; see the class comment. */
    final void fill(int slot, Batch out, int row) {
        int base = slot - slot % streamCapacity;
        System.arraycopy(observations, slot * obsSize, out.observations(), row * obsSize, obsSize);
        if (discreteActions != null) {
            System.arraycopy(discreteActions, slot * actionSize, out.discreteActions(), row * actionSize, actionSize);
        } else {
            System.arraycopy(continuousActions, slot * actionSize, out.continuousActions(), row * actionSize,
                    actionSize);
        }
        double sum = 0;
        int steps = 0;
        boolean terminatedInside = false;
        int position = slot - base;
        while (true) {
            int s = base + position;
            byte f = flags[s];
            sum += gammaPowers[steps] * rewards[s];
            steps++;
            position = position + 1 == streamCapacity ? 0 : position + 1;
            if ((f & TERMINATED) != 0) {
                terminatedInside = true;
                break;
            }
            if ((f & TRUNCATED) != 0 || steps == nStep || (flags[base + position] & TRANSITION) == 0) {
                break;
            }
        }
        int bootstrapSlot = base + position;
        System.arraycopy(observations, bootstrapSlot * obsSize, out.nextObservations(), row * obsSize, obsSize);
        if (actionMasks != null) {
            boolean[] masks = out.nextActionMasks();
            int to = row * actionMaskSize;
            int from = bootstrapSlot * maskBytes;
            for (int a = 0; a < actionMaskSize; a++) {
                masks[to + a] = (actionMasks[from + (a >> 3)] & (1 << (a & 7))) != 0;
            }
        }
        out.rewards()[row] = (float) sum;
        out.discounts()[row] = terminatedInside ? 0f : (float) gammaPowers[steps];
        out.terminated()[row] = terminatedInside ? 1f : 0f;
        out.steps()[row] = steps;
        out.indices()[row] = slot;
    }

    /** Whether {@code slot} was overwritten after {@code batch} was sampled from this buffer. */
    final boolean overwrittenSince(Batch batch, int slot) {
        int env = slot / streamCapacity;
        long then = batch.allocatedAtSample[env];
        long now = allocated[env];
        if (now - then >= streamCapacity) {
            return true;
        }
        int position = slot - env * streamCapacity;
        long firstAfter = then + Math.floorMod(position - then, (long) streamCapacity);
        return firstAfter < now;
    }

    // ---------------------------------------------------------------------------------------------------- state

    /**
     * Everything an exact resume needs. The arrays are this buffer's own storage, not copies (a large buffer would
     * otherwise double in memory at every checkpoint): write them out before the next {@code add}, or {@link #copy()}.
     * Arrays in a record compare by reference; compare the contents with {@link Arrays#equals}.
     *
     * @param discreteActions null for CONTINUOUS buffers
     * @param continuousActions null for DISCRETE buffers
     * @param allocated per stream, slots handed out so far (the ring position is this modulo the stream capacity)
     * @param pending per stream, whether the newest slot is a live episode's observation awaiting its action
     * @param openChain per stream, newest transitions still waiting for their n-step window
     * @param actionMaskSize actions per mask of the mask column, 0 when the buffer has none
     * @param actionMasks the mask column ({@code ceil(actionMaskSize / 8)} bytes per slot, bit {@code a} of byte
     *     {@code a / 8} set when action {@code a} is valid in the slot's observation), null when there is none
     */
    public record State(
            ReplayConfig config,
            float[] observations,
            int[] discreteActions,
            float[] continuousActions,
            float[] rewards,
            byte[] flags,
            long[] allocated,
            boolean[] pending,
            int[] openChain,
            int actionMaskSize,
            byte[] actionMasks) {

        /** A deep copy, detached from the buffer. */
        public State copy() {
            return new State(config, observations.clone(), discreteActions == null ? null : discreteActions.clone(),
                    continuousActions == null ? null : continuousActions.clone(), rewards.clone(), flags.clone(),
                    allocated.clone(), pending.clone(), openChain.clone(), actionMaskSize,
                    actionMasks == null ? null : actionMasks.clone());
        }
    }

    /** The live storage and ring positions (not copies; see {@link State}). */
    public State state() {
        return new State(config, observations, discreteActions, continuousActions, rewards, flags, allocated, pending,
                openChain, actionMaskSize, actionMasks);
    }

    /**
     * Replaces this buffer's contents with {@code state} (copied in), which must come from a buffer of the same
     * {@link ReplayConfig}. Checks the state's consistency first and leaves the buffer unchanged if it fails.
     */
    public void restore(State state) {
        restoreStorage(state);
    }

    final void restoreStorage(State state) {
        if (!config.equals(state.config())) {
            throw new IllegalArgumentException("cannot restore a replay state of " + state.config()
                    + " into a buffer of " + config);
        }
        checkLength("restore", "observations", state.observations().length, observations.length);
        if (discreteActions != null) {
            checkLength("restore", "discreteActions", state.discreteActions() == null ? -1
                    : state.discreteActions().length, discreteActions.length);
        } else {
            checkLength("restore", "continuousActions", state.continuousActions() == null ? -1
                    : state.continuousActions().length, continuousActions.length);
        }
        checkLength("restore", "rewards", state.rewards().length, rewards.length);
        checkLength("restore", "flags", state.flags().length, flags.length);
        checkLength("restore", "allocated", state.allocated().length, numEnvs);
        checkLength("restore", "pending", state.pending().length, numEnvs);
        checkLength("restore", "openChain", state.openChain().length, numEnvs);
        int maskSize = state.actionMaskSize();
        int stateMaskBytes = (maskSize + 7) / 8;
        if (maskSize < 0 || (maskSize == 0) != (state.actionMasks() == null)) {
            throw new IllegalArgumentException("restore: actionMaskSize is " + maskSize + " but the mask column is "
                    + (state.actionMasks() == null ? "missing" : "present") + " (need a column exactly when"
                    + " actionMaskSize > 0)");
        }
        if (maskSize > 0) {
            if (state.actionMasks().length != (long) capacity() * stateMaskBytes) {
                throw new IllegalArgumentException("restore: actionMasks has length " + state.actionMasks().length
                        + ", expected " + ((long) capacity() * stateMaskBytes) + " (" + stateMaskBytes
                        + " byte(s) per slot)");
            }
            int unused = maskSize % 8 == 0 ? 0 : 0xFF & ~((1 << (maskSize % 8)) - 1);
            for (int s = 0; s < capacity(); s++) {
                if ((state.actionMasks()[s * stateMaskBytes + stateMaskBytes - 1] & unused) != 0) {
                    throw new IllegalArgumentException("restore: the action mask of slot " + s + " marks actions"
                            + " beyond the " + maskSize + " of the mask");
                }
            }
        }
        byte[] f = state.flags();
        for (int s = 0; s < f.length; s++) {
            byte v = f[s];
            boolean consistent = (v & ~KNOWN_FLAGS) == 0
                    && ((v & (TERMINATED | TRUNCATED | SAMPLEABLE)) == 0 || (v & TRANSITION) != 0)
                    && ((v & TRANSITION) == 0 || (v & OBSERVED) != 0);
            if (!consistent) {
                throw new IllegalArgumentException("restore: flags[" + s + "] = " + v + " is not a valid slot state");
            }
        }
        for (int e = 0; e < numEnvs; e++) {
            long a = state.allocated()[e];
            int open = state.openChain()[e];
            if (a < 0 || open < 0 || open >= nStep || (state.pending()[e] && a == 0)) {
                throw new IllegalArgumentException("restore: env stream " + e + " has allocated=" + a + ", pending="
                        + state.pending()[e] + ", openChain=" + open + " (need allocated >= 0, openChain in [0, "
                        + (nStep - 1) + "], pending only after a write)");
            }
            if (state.pending()[e] && f[e * streamCapacity + position(a - 1)] != OBSERVED) {
                throw new IllegalArgumentException("restore: env stream " + e + " is pending but its newest slot is"
                        + " not an observation-only slot");
            }
        }
        System.arraycopy(state.observations(), 0, observations, 0, observations.length);
        if (discreteActions != null) {
            System.arraycopy(state.discreteActions(), 0, discreteActions, 0, discreteActions.length);
        } else {
            System.arraycopy(state.continuousActions(), 0, continuousActions, 0, continuousActions.length);
        }
        System.arraycopy(state.rewards(), 0, rewards, 0, rewards.length);
        System.arraycopy(f, 0, flags, 0, flags.length);
        System.arraycopy(state.allocated(), 0, allocated, 0, numEnvs);
        System.arraycopy(state.pending(), 0, pending, 0, numEnvs);
        System.arraycopy(state.openChain(), 0, openChain, 0, numEnvs);
        if (maskSize == 0) {
            actionMasks = null;
        } else if (actionMasks == null || actionMasks.length != state.actionMasks().length) {
            actionMasks = state.actionMasks().clone();
        } else {
            System.arraycopy(state.actionMasks(), 0, actionMasks, 0, actionMasks.length);
        }
        actionMaskSize = maskSize;
        maskBytes = stateMaskBytes;
        int count = 0;
        for (byte v : flags) {
            if ((v & SAMPLEABLE) != 0) {
                count++;
            }
        }
        sampleable = count;
    }

    /** Saves the storage and ring positions ({@link #state()}) as named arrays. */
    @Override
    public void saveState(StateWriter out) {
        State s = state();
        out.putFloats("observations", s.observations());
        if (s.discreteActions() != null) {
            out.putInts("discrete_actions", s.discreteActions());
        } else {
            out.putFloats("continuous_actions", s.continuousActions());
        }
        out.putFloats("rewards", s.rewards());
        out.putBytes("flags", s.flags());
        out.putLongs("allocated", s.allocated());
        out.putBooleans("pending", s.pending());
        out.putInts("open_chain", s.openChain());
        if (s.actionMasks() != null) {
            out.putLong("action_mask_size", s.actionMaskSize());
            out.putBytes("action_masks", s.actionMasks());
        }
    }

    /** Restores what {@link #saveState} wrote into a buffer of the same {@link ReplayConfig} (checked first). */
    @Override
    public void restoreState(StateReader in) {
        try {
            restore(readState(in));
        } catch (StateException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw in.error("flags", e.getMessage());
        }
    }

    /** Reads a {@link State} shaped like this buffer's (lengths checked). */
    final State readState(StateReader in) {
        State own = state();
        float[] obs = new float[own.observations().length];
        in.readFloats("observations", obs);
        int[] discrete = null;
        float[] continuous = null;
        if (own.discreteActions() != null) {
            discrete = new int[own.discreteActions().length];
            in.readInts("discrete_actions", discrete);
        } else {
            continuous = new float[own.continuousActions().length];
            in.readFloats("continuous_actions", continuous);
        }
        float[] rewardsIn = new float[own.rewards().length];
        in.readFloats("rewards", rewardsIn);
        byte[] flagsIn = in.bytes("flags");
        in.checkLength("flags", flagsIn.length, own.flags().length);
        long[] allocatedIn = new long[numEnvs];
        in.readLongs("allocated", allocatedIn);
        boolean[] pendingIn = new boolean[numEnvs];
        in.readBooleans("pending", pendingIn);
        int[] openChainIn = new int[numEnvs];
        in.readInts("open_chain", openChainIn);
        int maskSize = 0;
        byte[] masksIn = null;
        if (in.has("action_mask_size") || in.has("action_masks")) {
            maskSize = in.getInt("action_mask_size", 1, Integer.MAX_VALUE / 8);
            masksIn = in.bytes("action_masks");
            in.checkLength("action_masks", masksIn.length, own.flags().length * ((maskSize + 7) / 8));
        }
        return new State(config, obs, discrete, continuous, rewardsIn, flagsIn, allocatedIn, pendingIn, openChainIn,
                maskSize, masksIn);
    }

    // ---------------------------------------------------------------------------------------------------- checks

    private void checkSingle(int env, double[] observation, double reward, double[] nextObservation) {
        if (env < 0 || env >= numEnvs) {
            throw new IllegalArgumentException("ReplayBuffer.add: env " + env + " is not a stream of this buffer"
                    + " (valid: 0.." + (numEnvs - 1) + ")");
        }
        checkLength("ReplayBuffer.add", "observation", observation.length, obsSize);
        checkLength("ReplayBuffer.add", "nextObservation", nextObservation.length, obsSize);
        checkFinite("ReplayBuffer.add", "observation", observation, 0, obsSize, env);
        checkFinite("ReplayBuffer.add", "nextObservation", nextObservation, 0, obsSize, env);
        checkReward("ReplayBuffer.add", reward, env);
    }

    private void checkBatch(double[] obs, double[] rewards, boolean[] terminated, boolean[] truncated,
            double[] nextObs, boolean[] hasFinal, double[] finalObs) {
        String m = "ReplayBuffer.addBatch";
        checkLength(m, "observations", obs.length, numEnvs * obsSize);
        checkLength(m, "rewards", rewards.length, numEnvs);
        checkLength(m, "terminated", terminated.length, numEnvs);
        checkLength(m, "truncated", truncated.length, numEnvs);
        checkLength(m, "nextObservations", nextObs.length, numEnvs * obsSize);
        checkLength(m, "hasFinalObservation", hasFinal.length, numEnvs);
        checkLength(m, "finalObservations", finalObs.length, numEnvs * obsSize);
        for (int e = 0; e < numEnvs; e++) {
            boolean ended = terminated[e] || truncated[e];
            if (hasFinal[e] != ended) {
                throw new IllegalArgumentException(m + ": env " + e + " has terminated=" + terminated[e]
                        + ", truncated=" + truncated[e] + " but hasFinalObservation=" + hasFinal[e]
                        + "; an env hands over a final observation exactly when its episode ends");
            }
            checkFinite(m, "observations", obs, e * obsSize, obsSize, e);
            checkFinite(m, ended ? "finalObservations" : "nextObservations", ended ? finalObs : nextObs,
                    e * obsSize, obsSize, e);
            checkReward(m, rewards[e], e);
        }
    }

    private static void checkReward(String method, double reward, int env) {
        if (!(Math.abs(reward) <= Float.MAX_VALUE)) {
            throw new IllegalArgumentException(method + ": reward of env " + env + " is " + reward
                    + (Double.isFinite(reward) ? ", which overflows float32" : "")
                    + "; replay stores finite float32 rewards");
        }
    }

    private static void checkFinite(String method, String what, double[] values, int offset, int count, int env) {
        for (int i = 0; i < count; i++) {
            double v = values[offset + i];
            if (!(Math.abs(v) <= Float.MAX_VALUE)) {
                throw new IllegalArgumentException(method + ": " + what + " of env " + env + ", element " + i
                        + ", is " + v + (Double.isFinite(v) ? ", which overflows float32" : "")
                        + "; replay stores finite float32 values");
            }
        }
    }

    private static void checkLength(String method, String what, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(method + ": " + what + " has length " + actual + ", expected "
                    + expected);
        }
    }

    private void checkSlot(int slot) {
        if (slot < 0 || slot >= capacity()) {
            throw new IllegalArgumentException("slot " + slot + " is outside the buffer (valid: 0.."
                    + (capacity() - 1) + ")");
        }
    }
}
