package dev.deepq.env.wrappers;

import dev.deepq.env.Env;
import dev.deepq.env.StepResult;
import dev.deepq.env.Wrapper;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;

/**
 * Records each episode's return, length and duration, as Gymnasium 0.29.1's {@code RecordEpisodeStatistics}.
 *
 * <p>On the step that ends an episode (terminated or truncated) the info gets {@link #RETURN_KEY "episode.r"} (the
 * sum of rewards), {@link #LENGTH_KEY "episode.l"} (the number of steps) and {@link #TIME_KEY "episode.t"} (seconds
 * since the episode's reset, rounded to microseconds). Gymnasium's nested {@code info["episode"]["r"]} becomes the
 * flat key {@code "episode.r"}. The time is the only wall-clock value in deepq: informational, never used in results.
 *
 * <p>As in Gymnasium, the return is accumulated in float32 (its {@code episode_returns} array is float32), so
 * {@code episode.r} equals Gymnasium's value exactly, also for non-integer rewards. A reset in mid-episode
 * discards the unfinished episode.
 *
 * <p>The last {@code queueSize} (default 100) finished episodes are kept, oldest first, like Gymnasium's
 * {@code return_queue} and {@code length_queue}. Nothing is allocated per step.
 */
public final class RecordEpisodeStatistics extends Wrapper {
    public static final String RETURN_KEY = "episode.r";
    public static final String LENGTH_KEY = "episode.l";
    public static final String TIME_KEY = "episode.t";
    public static final int DEFAULT_QUEUE_SIZE = 100;

    private final double[] returnQueue;
    private final int[] lengthQueue;
    /** Index of the next slot to write in the queues; together with {@link #queued} a ring buffer. */
    private int queueHead;
    private int queued;
    private long episodeCount;
    private float episodeReturn;
    private int episodeLength;
    private long episodeStartNanos;

    /** Records {@code env}'s episodes, keeping the last 100 (Gymnasium's default {@code deque_size}). */
    public RecordEpisodeStatistics(Env env) {
        this(env, DEFAULT_QUEUE_SIZE);
    }

    /** @param queueSize how many finished episodes to keep (Gymnasium's {@code deque_size}) */
    public RecordEpisodeStatistics(Env env, int queueSize) {
        super(env);
        if (queueSize <= 0) {
            throw new IllegalArgumentException("RecordEpisodeStatistics queue size must be > 0, got " + queueSize);
        }
        returnQueue = new double[queueSize];
        lengthQueue = new int[queueSize];
    }

    @Override
    protected void onReset(StepResult inner) {
        copyOutcome(inner);
        episodeReturn = 0f;
        episodeLength = 0;
        episodeStartNanos = System.nanoTime();
    }

    @Override
    protected void onStep(StepResult inner) {
        copyOutcome(inner);
        // float32 accumulation, as Gymnasium's float32 episode_returns array (NumPy adds a scalar in float32).
        episodeReturn += (float) inner.reward();
        episodeLength++;
        if (inner.terminated() || inner.truncated()) {
            if (info.has(RETURN_KEY)) {
                throw new IllegalStateException(id() + ": info already has '" + RETURN_KEY
                        + "'; is RecordEpisodeStatistics applied twice?");
            }
            double seconds = (System.nanoTime() - episodeStartNanos) * 1e-9;
            info.put(RETURN_KEY, episodeReturn);
            info.put(LENGTH_KEY, episodeLength);
            info.put(TIME_KEY, Math.rint(seconds * 1e6) / 1e6);
            enqueue(episodeReturn, episodeLength);
            episodeCount++;
            episodeReturn = 0f;
            episodeLength = 0;
            episodeStartNanos = System.nanoTime();
        }
    }

    private void enqueue(double episodeReturn, int length) {
        returnQueue[queueHead] = episodeReturn;
        lengthQueue[queueHead] = length;
        queueHead = (queueHead + 1) % returnQueue.length;
        if (queued < returnQueue.length) {
            queued++;
        }
    }

    /** Episodes finished since this wrapper was created. */
    public long episodeCount() {
        return episodeCount;
    }

    /** The return of the current, unfinished episode so far (float32 accumulation). */
    public double currentReturn() {
        return episodeReturn;
    }

    /** Steps taken in the current, unfinished episode. */
    public int currentLength() {
        return episodeLength;
    }

    /** The queue capacity (Gymnasium's {@code deque_size}). */
    public int queueCapacity() {
        return returnQueue.length;
    }

    /** How many finished episodes are in the queue (at most {@link #queueCapacity()}). */
    public int queueSize() {
        return queued;
    }

    /** The return of the {@code i}-th queued episode, 0 being the oldest kept. */
    public double queuedReturn(int i) {
        return returnQueue[slot(i)];
    }

    /** The length of the {@code i}-th queued episode, 0 being the oldest kept. */
    public int queuedLength(int i) {
        return lengthQueue[slot(i)];
    }

    /** The return of the most recently finished episode; an error if none has finished. */
    public double lastReturn() {
        return queuedReturn(lastIndex());
    }

    /** The length of the most recently finished episode; an error if none has finished. */
    public int lastLength() {
        return queuedLength(lastIndex());
    }

    /** The mean return over the queued episodes (NaN if none). */
    public double meanReturn() {
        double sum = 0;
        for (int i = 0; i < queued; i++) {
            sum += queuedReturn(i);
        }
        return queued == 0 ? Double.NaN : sum / queued;
    }

    /** The mean length over the queued episodes (NaN if none). */
    public double meanLength() {
        long sum = 0;
        for (int i = 0; i < queued; i++) {
            sum += queuedLength(i);
        }
        return queued == 0 ? Double.NaN : (double) sum / queued;
    }

    /** The queued returns, oldest first (a new array). */
    public double[] returnQueue() {
        double[] out = new double[queued];
        for (int i = 0; i < queued; i++) {
            out[i] = queuedReturn(i);
        }
        return out;
    }

    /** The queued lengths, oldest first (a new array). */
    public int[] lengthQueue() {
        int[] out = new int[queued];
        for (int i = 0; i < queued; i++) {
            out[i] = queuedLength(i);
        }
        return out;
    }

    private int lastIndex() {
        if (queued == 0) {
            throw new IllegalStateException(id() + ": no episode has finished yet");
        }
        return queued - 1;
    }

    private int slot(int i) {
        if (i < 0 || i >= queued) {
            throw new IndexOutOfBoundsException("queued episode " + i + " requested, but " + queued + " are queued");
        }
        int oldest = (queueHead - queued + returnQueue.length) % returnQueue.length;
        return (oldest + i) % returnQueue.length;
    }

    /** The episode's wall-clock start is saved as time elapsed, so {@code episode.t} stays meaningful after a resume. */
    @Override
    protected void saveWrapperState(StateWriter out) {
        out.putDoubles("return_queue", returnQueue);
        out.putInts("length_queue", lengthQueue);
        out.putLong("queue_head", queueHead);
        out.putLong("queued", queued);
        out.putLong("episode_count", episodeCount);
        out.putDouble("episode_return", episodeReturn);
        out.putLong("episode_length", episodeLength);
        out.putLong("episode_elapsed_nanos", System.nanoTime() - episodeStartNanos);
    }

    @Override
    protected void restoreWrapperState(StateReader in) {
        in.readDoubles("return_queue", returnQueue);
        in.readInts("length_queue", lengthQueue);
        queueHead = in.getInt("queue_head", 0, returnQueue.length - 1);
        queued = in.getInt("queued", 0, returnQueue.length);
        episodeCount = in.getLong("episode_count");
        episodeReturn = (float) in.getDouble("episode_return");
        episodeLength = in.getInt("episode_length", 0, Integer.MAX_VALUE);
        episodeStartNanos = System.nanoTime() - in.getLong("episode_elapsed_nanos");
    }
}
