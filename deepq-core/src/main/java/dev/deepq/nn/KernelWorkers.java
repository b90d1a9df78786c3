package dev.deepq.nn;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A small pool of persistent threads that compute parts of one large matrix product together with the calling
 * thread, for {@link VectorKernels} with more than one thread. The product is split into row ranges decided by the
 * shape and the thread count only; each output element is computed by the same kernel instructions whatever the
 * split, so results are bit-identical for any thread count.
 *
 * <p>Hand-off allocates nothing: each worker has one task slot, written by the caller and published by a volatile
 * sequence number. After each task a worker waits actively for a while, so the next product of a training step,
 * usually microseconds away, starts without a wake-up: it spins for {@value #SPIN_NANOS} ns, then yields its core
 * between checks until {@value #YIELD_NANOS} ns have passed (when there are more runnable threads than cores, pure
 * spinning would keep the thread it waits for off the CPU), then parks. A caller that finishes its own part first
 * waits for the workers the same way. One caller at a time: a thread that finds the pool busy (another thread's
 * product in progress) computes its product alone, with the same result.
 */
final class KernelWorkers {
    /** How long an idle worker or a waiting caller spins before yielding. */
    private static final long SPIN_NANOS = 20_000;
    /** How long it waits actively (spinning, then yielding) before parking. */
    private static final long YIELD_NANOS = 200_000;

    /** Slot kinds: a part of a packed matrix product, a range of an Adam update, or indices of a task. */
    static final int PRODUCT = 0;
    static final int ADAM = 1;
    static final int TASK = 2;

    /** The work of one part, as described by a slot. */
    interface Part {
        void run(Slot slot, KernelWorkers workers);
    }

    /** One worker's task, set by the caller before publishing. */
    static final class Slot {
        int kind;
        float[] a;
        int aOff;
        int ars;
        int acs;
        float[] bp;
        float[] c;
        int cOff;
        int ldc;
        int from;
        int to;
        int panels;
        int k;
        int init;
        float[] bias;
        int biasOff;
        int act;
        float[] b;
        int bOff;
        int ldb;
        boolean bTransposed;
        int panelFrom;
        int panelTo;
        float[] param;
        float[] grad;
        float[] m;
        float[] v;
        float beta1;
        float oneMinusBeta1;
        float beta2;
        float oneMinusBeta2;
        float stepSize;
        float biasCorrection2Sqrt;
        float eps;
        float l2;
        /** A TASK's body, run for indices from, from + step, ... below to. */
        java.util.function.IntConsumer task;
        int step;

        private volatile long posted;
        private volatile long completed;
        private volatile boolean workerParked;
        private volatile Thread waitingCaller;
        private Throwable failure;
        private long seen;
        private Thread thread;
    }

    private final Slot[] slots;
    private final Part part;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** Parts that have reached {@link #arriveAndAwaitAll} in the current product. */
    private final AtomicInteger arrived = new AtomicInteger();
    private boolean started;

    /**
     * @param helpers threads besides the caller
     * @param part what a worker runs on its slot
     */
    KernelWorkers(int helpers, Part part) {
        this.part = part;
        slots = new Slot[helpers];
        for (int i = 0; i < helpers; i++) {
            slots[i] = new Slot();
        }
    }

    /** Threads besides the caller. */
    int helpers() {
        return slots.length;
    }

    /** Claims the pool for the calling thread; false if another thread is using it (then compute alone). */
    boolean tryAcquire() {
        if (!busy.compareAndSet(false, true)) {
            return false;
        }
        if (!started) {
            start();
        }
        return true;
    }

    void release() {
        busy.set(false);
    }

    /** Starts a new barrier round; call before posting the parts that use {@link #arriveAndAwaitAll}. */
    void resetBarrier() {
        arrived.set(0);
    }

    /**
     * Waits until the caller and every helper of the current product have called this (all of them are running, so
     * it never parks; it yields when the wait grows long).
     */
    void arriveAndAwaitAll() {
        int parties = slots.length + 1;
        arrived.incrementAndGet();
        long start = System.nanoTime();
        while (arrived.get() < parties) {
            if (!pause(start)) {
                Thread.yield();
            }
        }
    }

    /** Helper i's slot, to fill before {@link #post}. */
    Slot slot(int i) {
        return slots[i];
    }

    /** Hands helper i its filled slot. */
    void post(int i) {
        Slot s = slots[i];
        s.posted = s.posted + 1;
        if (s.workerParked) {
            LockSupport.unpark(s.thread);
        }
    }

    /** Waits until helper i has finished the task last posted to it; rethrows its failure. */
    void await(int i) {
        Slot s = slots[i];
        long target = s.posted;
        if (s.completed != target) {
            long start = System.nanoTime();
            while (s.completed != target && pause(start)) {
                // waiting actively
            }
            if (s.completed != target) {
                s.waitingCaller = Thread.currentThread();
                while (s.completed != target) {
                    LockSupport.park(this);
                }
                s.waitingCaller = null;
            }
        }
        if (s.failure != null) {
            Throwable t = s.failure;
            s.failure = null;
            throw new IllegalStateException("a deepq kernel thread failed: " + t, t);
        }
    }

    /** One step of active waiting begun at {@code start}: false once it is time to park instead. */
    private static boolean pause(long start) {
        long waited = System.nanoTime() - start;
        if (waited < SPIN_NANOS) {
            Thread.onSpinWait();
            return true;
        }
        if (waited < YIELD_NANOS) {
            Thread.yield();
            return true;
        }
        return false;
    }

    private synchronized void start() {
        if (started) {
            return;
        }
        for (int i = 0; i < slots.length; i++) {
            Slot s = slots[i];
            Thread t = new Thread(() -> serve(s), "deepq-kernels-" + (i + 1));
            t.setDaemon(true);
            s.thread = t;
            t.start();
        }
        started = true;
    }

    private void serve(Slot s) {
        while (true) {
            waitForTask(s);
            try {
                part.run(s, this);
            } catch (Throwable t) {
                s.failure = t;
                // Release a caller that may wait at the barrier for this part; it rethrows the failure in await.
                arrived.addAndGet(slots.length + 1);
            }
            s.a = null;
            s.b = null;
            s.bp = null;
            s.c = null;
            s.bias = null;
            s.param = null;
            s.grad = null;
            s.m = null;
            s.v = null;
            s.task = null;
            s.completed = s.seen;
            Thread caller = s.waitingCaller;
            if (caller != null) {
                LockSupport.unpark(caller);
            }
        }
    }

    private void waitForTask(Slot s) {
        long start = System.nanoTime();
        while (s.posted == s.seen) {
            if (!pause(start)) {
                s.workerParked = true;
                if (s.posted == s.seen) {
                    LockSupport.park(this);
                }
                s.workerParked = false;
                start = System.nanoTime();
            }
        }
        s.seen = s.posted;
    }
}
