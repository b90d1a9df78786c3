package dev.deepq.env.vector;

import dev.deepq.env.Env;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link VectorEnv} that steps its envs on {@code threads} threads: the calling thread and {@code threads - 1}
 * worker threads started once and kept until {@link #close()}. The envs are split into {@code threads} fixed,
 * contiguous blocks, so each env is always stepped by the same thread; as each env's work touches only its own env
 * and its own output slots, the results are bit-identical to {@link SyncVectorEnv}'s for any number of threads.
 *
 * <p>The handoff allocates nothing: the caller publishes a new generation number (a volatile write after the actions
 * are in place), wakes the workers, does its own block, and waits for a countdown of the workers to reach zero. Both
 * sides spin briefly, then park. There are no per-step task objects, futures or locks.
 *
 * <p>Use from one thread at a time, like any vector env, and close it (try-with-resources): its worker threads,
 * daemon threads named {@code deepq-vector-env-<n>-worker-<k>}, live until {@link #close()}.
 */
public final class ThreadedVectorEnv extends VectorEnv {
    /** Spins before parking: long enough to catch a quick handoff, short enough not to burn a shared core. */
    private static final int SPINS_BEFORE_PARK = 200;
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final int threads;
    private final int[] blockStart;
    private final Thread[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long generation;
    private volatile boolean closing;
    private volatile Thread caller;

    /**
     * @param envs distinct envs with equal spaces; the vector env owns and closes them
     * @param threads threads that step envs, counting the calling thread (at least 1; more than the number of envs
     *     is reduced to the number of envs)
     */
    public ThreadedVectorEnv(List<? extends Env> envs, int threads) {
        super(envs);
        if (threads <= 0) {
            throw new IllegalArgumentException("ThreadedVectorEnv needs threads >= 1, got " + threads);
        }
        this.threads = Math.min(threads, numEnvs());
        this.blockStart = new int[this.threads + 1];
        for (int t = 0; t <= this.threads; t++) {
            blockStart[t] = (int) ((long) t * numEnvs() / this.threads);
        }
        int instance = INSTANCES.incrementAndGet();
        this.workers = new Thread[this.threads - 1];
        for (int k = 0; k < workers.length; k++) {
            int block = k + 1;
            Thread w = new Thread(() -> workLoop(block), "deepq-vector-env-" + instance + "-worker-" + block);
            w.setDaemon(true);
            workers[k] = w;
        }
        for (Thread w : workers) {
            w.start();
        }
    }

    /** The number of threads stepping envs, counting the calling thread. */
    public int threads() {
        return threads;
    }

    /** The worker threads (not counting the caller), for monitoring and tests. */
    Thread[] workerThreads() {
        return workers.clone();
    }

    @Override
    protected void execute() {
        if (workers.length == 0) {
            runEnvs(0, numEnvs());
            return;
        }
        caller = Thread.currentThread();
        pending.set(workers.length);
        generation = generation + 1; // the only writer: publishes the command and actions to the workers
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        runEnvs(blockStart[0], blockStart[1]);
        awaitWorkers();
    }

    private void awaitWorkers() {
        int spins = 0;
        while (pending.get() != 0) {
            if (spins < SPINS_BEFORE_PARK) {
                spins++;
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
                if (pending.get() != 0) {
                    checkWorkersAlive();
                }
            }
        }
    }

    private void checkWorkersAlive() {
        for (Thread w : workers) {
            if (!w.isAlive()) {
                throw new IllegalStateException(id() + " vector env: worker thread " + w.getName() + " died");
            }
        }
    }

    private void workLoop(int block) {
        long seen = 0;
        while (true) {
            long current;
            int spins = 0;
            while ((current = generation) == seen) {
                if (closing) {
                    return;
                }
                if (spins < SPINS_BEFORE_PARK) {
                    spins++;
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closing) {
                return;
            }
            seen = current;
            runEnvs(blockStart[block], blockStart[block + 1]);
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    @Override
    protected void shutdown() {
        closing = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        boolean interrupted = false;
        for (Thread w : workers) {
            while (w.isAlive()) {
                try {
                    w.join(TimeUnit.SECONDS.toMillis(10));
                    if (w.isAlive()) {
                        throw new IllegalStateException(id() + " vector env: worker thread " + w.getName()
                                + " did not stop within 10 s of close()");
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
