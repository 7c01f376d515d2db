package org.jvision.kernel;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A persistent pool of worker threads ({@link SpinningWorkers}), sized to the cores unless told
 * otherwise, that splits a range of work into one contiguous chunk per thread. The split depends only on the range and
 * the thread count, never on timing, so results are deterministic for a given thread count.
 */
public final class Parallel {
    private static final String WORKER_PREFIX = "jvision-worker-";

    /** Work on the half-open range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile SpinningWorkers workers;
    /** One range at a time on the workers; a body that starts another range runs it itself. */
    private static final ReentrantLock BUSY = new ReentrantLock();

    private Parallel() {
    }

    public static int threads() {
        return threads;
    }

    /** Sets the number of threads that kernels use (at least 1). */
    public static void setThreads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + count);
        }
        BUSY.lock();
        try {
            if (count != threads && workers != null) {
                workers.shutdown();
                workers = null;
            }
            threads = count;
        } finally {
            BUSY.unlock();
        }
    }

    private static SpinningWorkers workers() {
        SpinningWorkers w = workers;
        if (w == null) {
            w = new SpinningWorkers(threads - 1, WORKER_PREFIX);
            workers = w;
        }
        return w;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} chunks, the
     * calling thread taking the first. Ranges with fewer than {@code minChunk} items per thread use
     * fewer threads, since a hand-off costs microseconds. A range started from inside a body runs
     * whole on the thread that started it; ranges from different threads take turns.
     */
    public static void forRange(int n, int minChunk, RangeBody body) {
        int parts = Math.min(threads, Math.max(1, n / Math.max(1, minChunk)));
        if (parts <= 1 || isWorker() || BUSY.isHeldByCurrentThread()) {
            body.run(0, n);
            return;
        }
        BUSY.lock();
        try {
            SpinningWorkers w = workers();
            parts = Math.min(parts, w.size() + 1);
            for (int t = 1; t < parts; t++) {
                w.post(t - 1, body, chunkStart(n, parts, t), chunkStart(n, parts, t + 1));
            }
            Throwable failure = null;
            try {
                body.run(0, chunkStart(n, parts, 1));
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            for (int t = 1; t < parts; t++) {
                Throwable thrown = w.await(t - 1);
                if (failure == null) {
                    failure = thrown;
                }
            }
            if (failure instanceof RuntimeException re) {
                throw re;
            } else if (failure instanceof Error err) {
                throw err;
            } else if (failure != null) {
                throw new IllegalStateException(failure);
            }
        } finally {
            BUSY.unlock();
        }
    }

    /** Start of chunk {@code t} of {@code parts} over {@code n} items. */
    public static int chunkStart(int n, int parts, int t) {
        return (int) ((long) n * t / parts);
    }

    private static boolean isWorker() {
        return Thread.currentThread().getName().startsWith(WORKER_PREFIX);
    }
}
