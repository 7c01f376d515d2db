package org.jvision.kernel;

import java.util.concurrent.locks.LockSupport;

/**
 * The worker threads behind {@link Parallel}: one per extra core, each waiting for its chunk of
 * the next range. A worker spins for a while after finishing before it parks, as OpenMP's
 * threads do: training issues a parallel operation every few microseconds, and waking a parked
 * thread costs more than most of them (measured on this project's 2-core VMs: 6 µs per hand-off,
 * and a dense layer at batch 64 on two threads no faster than on one). A worker that has been
 * idle for {@link #SPIN_NANOS} parks and is unparked by the next post.
 *
 * <p>Posting and waiting are for one caller at a time; {@link Parallel} serializes callers.
 */
final class SpinningWorkers {
    /** How long an idle worker spins before it parks: longer than the gaps inside a training step. */
    static final long SPIN_NANOS = 2_000_000;
    /** After this long a busy wait yields between checks. */
    static final long YIELD_AFTER_NANOS = 20_000;

    /**
     * Bumped by a caller that keeps working without posting ({@link #keepSpinning}): an idle worker
     * that sees it moved spins on instead of parking. Read only when a worker is about to park, so
     * it costs nothing while they spin.
     */
    private static volatile long heartbeat;

    private final Worker[] workers;

    SpinningWorkers(int count, String namePrefix) {
        workers = new Worker[count];
        for (int i = 0; i < count; i++) {
            workers[i] = new Worker(namePrefix + (i + 1), i);
            workers[i].start();
        }
    }

    int size() {
        return workers.length;
    }

    /** Hands {@code body(from, to)} to worker {@code i}, which must be idle. */
    void post(int i, Parallel.RangeBody body, int from, int to) {
        workers[i].post(body, from, to);
    }

    /** Waits for worker {@code i}'s current chunk and returns what it threw, or null. */
    Throwable await(int i) {
        return workers[i].await();
    }

    /** The calling thread's number among the workers (0, 1, …), or -1 when it is not one. */
    static int currentWorkerNumber() {
        return Thread.currentThread() instanceof Worker w ? w.number : -1;
    }

    /**
     * Tells idle workers that parallel work is still going on without them (a small range that
     * ran whole on the caller, {@link Parallel#forRangeTimed}), so that they spin on: otherwise
     * the next split would pay for waking a parked worker and look slower than it is.
     */
    static void keepSpinning() {
        heartbeat = heartbeat + 1;
    }

    /** Stops every worker once it is idle. */
    void shutdown() {
        for (Worker w : workers) {
            w.post(null, 0, 0);
        }
    }

    /**
     * One beat of a busy wait that began at {@code since}: a spin hint for the first
     * {@link #YIELD_AFTER_NANOS}, then a yield, so that on a loaded machine (more runnable threads
     * than cores) the thread being waited for gets the core instead of a spinner.
     */
    private static void pause(long since) {
        if (System.nanoTime() - since < YIELD_AFTER_NANOS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    private static final class Worker extends Thread {
        // Written by the poster before the volatile write of `posted`, read by the worker after
        // its volatile read of it (happens-before through `posted`).
        private Parallel.RangeBody body;
        private int from;
        private int to;
        private Throwable failure;

        private volatile long posted;
        private volatile long finished;
        private volatile boolean parked;
        private final int number;

        Worker(String name, int number) {
            super(name);
            this.number = number;
            setDaemon(true);
        }

        void post(Parallel.RangeBody work, int start, int end) {
            body = work;
            from = start;
            to = end;
            failure = null;
            posted = posted + 1;
            // Dekker with the worker's `parked = true; read posted`: one of the two sees the other.
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        Throwable await() {
            long target = posted;
            long since = System.nanoTime();
            while (finished != target) {
                pause(since);
            }
            return failure;
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long idleSince = System.nanoTime();
                long beat = heartbeat;
                while (posted == seen) {
                    if (System.nanoTime() - idleSince < SPIN_NANOS) {
                        pause(idleSince);
                        continue;
                    }
                    if (heartbeat != beat) {
                        beat = heartbeat;
                        idleSince = System.nanoTime();
                        continue;
                    }
                    parked = true;
                    if (posted == seen) {
                        LockSupport.park(this);
                    }
                    parked = false;
                }
                seen = posted;
                Parallel.RangeBody work = body;
                if (work == null) {
                    finished = seen;
                    return;
                }
                try {
                    work.run(from, to);
                } catch (Throwable t) {
                    failure = t;
                }
                finished = seen;
            }
        }
    }
}
