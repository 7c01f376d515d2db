package org.jvision.kernel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A persistent pool of worker threads, sized to the cores unless told otherwise, that splits a
 * range of work into one contiguous chunk per thread. The split depends only on the range and
 * the thread count, never on timing, so results are deterministic for a given thread count.
 */
public final class Parallel {
    /** Work on the half-open range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile ExecutorService pool;
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private Parallel() {
    }

    public static int threads() {
        return threads;
    }

    /** Sets the number of threads that kernels use (at least 1). */
    public static synchronized void setThreads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + count);
        }
        if (count != threads && pool != null) {
            pool.shutdown();
            pool = null;
        }
        threads = count;
    }

    private static ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                if (pool == null) {
                    pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
                        Thread t = new Thread(r, "jvision-worker-" + THREAD_IDS.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                }
                p = pool;
            }
        }
        return p;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} chunks, the
     * calling thread taking the first. Ranges with fewer than {@code minChunk} items per thread use
     * fewer threads, since a hand-off costs microseconds.
     */
    public static void forRange(int n, int minChunk, RangeBody body) {
        int parts = Math.min(threads, Math.max(1, n / Math.max(1, minChunk)));
        if (parts <= 1 || isWorker()) {
            body.run(0, n);
            return;
        }
        @SuppressWarnings("unchecked")
        Future<?>[] futures = new Future<?>[parts - 1];
        for (int t = 1; t < parts; t++) {
            int from = chunkStart(n, parts, t);
            int to = chunkStart(n, parts, t + 1);
            futures[t - 1] = pool().submit(() -> body.run(from, to));
        }
        Throwable failure = null;
        try {
            body.run(0, chunkStart(n, parts, 1));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e.getCause() != null ? e.getCause() : e;
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        } else if (failure instanceof Error err) {
            throw err;
        } else if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Start of chunk {@code t} of {@code parts} over {@code n} items. */
    public static int chunkStart(int n, int parts, int t) {
        return (int) ((long) n * t / parts);
    }

    private static boolean isWorker() {
        return Thread.currentThread().getName().startsWith("jvision-worker-");
    }
}
