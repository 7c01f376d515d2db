package org.jvision.kernel;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A persistent pool of worker threads ({@link SpinningWorkers}), sized to the cores unless told
 * otherwise, that runs work two ways:
 * <ul>
 *   <li>{@link #forRange}: a range split into one contiguous chunk per thread, fixed in advance;
 *   <li>{@link #forTasks}: numbered tasks that the threads take one at a time, each its own block
 *       first and then what is left of the others' ({@link TaskBlocks}), so a thread whose core is
 *       slowed for a while (on a shared virtual machine another tenant can take a third of a core
 *       for seconds) does fewer of them instead of holding up the others, while equal cores run
 *       the same tasks in every call; {@link #forChunks} cuts a range into such tasks.
 * </ul>
 * Which thread runs what may depend on timing, but what is computed never does: a chunk's or a
 * task's result depends only on the range, the task and the thread count, so results are
 * deterministic for a given thread count.
 */
public final class Parallel {
    private static final String WORKER_PREFIX = "jvision-worker-";

    /** Work on the half-open range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** A numbered task; {@code thread} (below {@link #threads()}) names the caller's scratch. */
    @FunctionalInterface
    public interface TaskBody {
        void run(int task, int thread);
    }

    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile SpinningWorkers workers;
    /** One range at a time on the workers; a body that starts another range runs it itself. */
    private static final ReentrantLock BUSY = new ReentrantLock();
    /** The running {@link #forTasks} call (guarded by BUSY; workers see it through the post). */
    private static final TaskBlocks TASKS = new TaskBlocks();
    private static TaskBody taskBody;
    /** What a worker runs for {@link #forTasks}: its range start is its thread number. */
    private static final RangeBody TAKE_TASKS = (thread, unused) -> takeTasks(thread);
    /** {@link #forRangeTimed}'s record of recent calls (unguarded; see there). */
    private static final SplitTimings TIMINGS = new SplitTimings();
    private static volatile TimedSplits timedSplits = TimedSplits.BY_TIMING;

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
        if (parts <= 1 || isNested()) {
            body.run(0, n);
            return;
        }
        splitUnderLock(n, parts, body);
    }

    /** {@link #split} holding BUSY, so that ranges from different threads take turns. */
    private static void splitUnderLock(int n, int parts, RangeBody body) {
        BUSY.lock();
        try {
            split(n, parts, body);
        } finally {
            BUSY.unlock();
        }
    }

    /**
     * As {@link #forRange}, for a range that gives the same results however it is cut (a split of
     * a matrix product's rows, each row computed the same way on any thread), and whose chunks take
     * microseconds: whether a call that {@code minChunk} lets split does split is learned per
     * {@code shape} (any number that tells the calls' sizes apart) from how long recent calls took
     * split and whole ({@link SplitTimings}), since a hand-off's cost changes with the host from
     * one moment to the next.
     */
    public static void forRangeTimed(long shape, int n, int minChunk, RangeBody body) {
        int parts = Math.min(threads, Math.max(1, n / Math.max(1, minChunk)));
        if (parts <= 1 || isNested()) {
            body.run(0, n);
            return;
        }
        TimedSplits mode = timedSplits;
        if (mode != TimedSplits.BY_TIMING) {
            if (mode == TimedSplits.ALWAYS) {
                splitUnderLock(n, parts, body);
            } else {
                body.run(0, n);
            }
            return;
        }
        // The record is read and written without the lock, so that a call that runs whole takes
        // none: two callers racing on it can only change which way a call runs.
        int s = TIMINGS.slot(shape);
        int way = TIMINGS.choose(s);
        boolean timed = (way & SplitTimings.TIME) != 0;
        long start = timed ? System.nanoTime() : 0;
        if ((way & SplitTimings.SPLIT) != 0) {
            splitUnderLock(n, parts, body);
        } else {
            body.run(0, n);
            if ((way & SplitTimings.KEEP_SPINNING) != 0) {
                SpinningWorkers.keepSpinning();
            }
        }
        if (timed) {
            TIMINGS.record(s, (way & SplitTimings.SPLIT) != 0, System.nanoTime() - start);
        }
    }

    /** How {@link #forRangeTimed} decides whether to split. */
    public enum TimedSplits {
        /** From the timings of recent calls (the default). */
        BY_TIMING,
        /** Always, as {@link #forRange} would: for tests and benchmarks. */
        ALWAYS,
        /** Never: for tests (a split must give the same bits as a whole run) and benchmarks. */
        NEVER
    }

    /** Sets how {@link #forRangeTimed} decides; see {@link TimedSplits}. */
    public static void setTimedSplits(TimedSplits mode) {
        timedSplits = Objects.requireNonNull(mode, "mode");
    }

    public static TimedSplits timedSplits() {
        return timedSplits;
    }

    /**
     * {@code body} over {@code [0, n)} in {@code parts} chunks (fewer when there are fewer
     * workers), the calling thread taking the first; the caller holds BUSY.
     */
    private static void split(int n, int parts, RangeBody body) {
        SpinningWorkers w = workers();
        int chunks = Math.min(parts, w.size() + 1);
        for (int t = 1; t < chunks; t++) {
            w.post(t - 1, body, chunkStart(n, chunks, t), chunkStart(n, chunks, t + 1));
        }
        Throwable failure = null;
        try {
            body.run(0, chunkStart(n, chunks, 1));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (int t = 1; t < chunks; t++) {
            Throwable thrown = w.await(t - 1);
            if (failure == null) {
                failure = thrown;
            }
        }
        rethrow(failure);
    }

    /** Chunks per thread in {@link #forChunks}: enough that a slowed core hands on its share. */
    public static final int CHUNKS_PER_THREAD = 4;

    /**
     * Runs {@code body} over {@code [0, n)} split into up to {@link #CHUNKS_PER_THREAD} contiguous
     * chunks per thread of at least {@code minChunk} items each, which the threads take one at a
     * time ({@link #forTasks}). For bodies whose cost does not depend on how the range is cut
     * (element-wise work, batch norm, pooling); a matrix product, which packs an operand per
     * chunk, keeps {@link #forRange}'s one chunk per thread.
     */
    public static void forChunks(int n, int minChunk, RangeBody body) {
        int chunks = Math.min(CHUNKS_PER_THREAD * threads, n / Math.max(1, minChunk));
        if (chunks <= 1 || threads == 1 || isNested()) {
            body.run(0, n);
            return;
        }
        forTasks(chunks, (t, thread) -> body.run(chunkStart(n, chunks, t), chunkStart(n, chunks, t + 1)));
    }

    /**
     * Runs {@code body} for tasks {@code 0 … tasks-1}, each once, on up to {@link #threads()}
     * threads that take the next task as they finish one, from their own block of the tasks first
     * ({@link TaskBlocks}; the calling thread is thread 0 and owns the first block). The
     * body must not depend on which thread runs a task except for choosing its scratch by
     * {@code thread}: results are then the same whatever the timing. A call from inside a body
     * runs every task on the thread that made it, under that thread's number.
     */
    public static void forTasks(int tasks, TaskBody body) {
        int parts = Math.min(threads, tasks);
        if (parts <= 1 || isNested()) {
            int thread = SpinningWorkers.currentWorkerNumber() + 1;
            for (int t = 0; t < tasks; t++) {
                body.run(t, thread);
            }
            return;
        }
        BUSY.lock();
        try {
            taskBody = body;
            TASKS.deal(tasks, parts);
            // One chunk per thread of [0, parts): thread t's chunk is [t, t+1), TAKE_TASKS's thread number.
            split(parts, parts, TAKE_TASKS);
        } finally {
            taskBody = null;
            BUSY.unlock();
        }
    }

    private static void takeTasks(int thread) {
        TaskBody body = taskBody;
        for (int t = TASKS.next(thread); t >= 0; t = TASKS.next(thread)) {
            body.run(t, thread);
        }
    }

    private static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException re) {
            throw re;
        } else if (failure instanceof Error err) {
            throw err;
        } else if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /**
     * Which thread is calling: 0 for any thread outside the pool (the one that starts a range and
     * runs its first chunk), {@code t} for the worker that runs chunk {@code t} of a range.
     */
    public static int threadNumber() {
        return SpinningWorkers.currentWorkerNumber() + 1;
    }

    /** Start of chunk {@code t} of {@code parts} over {@code n} items. */
    public static int chunkStart(int n, int parts, int t) {
        return (int) ((long) n * t / parts);
    }

    /** Whether the calling thread is inside a parallel body, where another range or task list runs whole on it. */
    private static boolean isNested() {
        return isWorker() || BUSY.isHeldByCurrentThread();
    }

    private static boolean isWorker() {
        return SpinningWorkers.currentWorkerNumber() >= 0;
    }
}
