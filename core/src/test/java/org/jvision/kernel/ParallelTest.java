package org.jvision.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelTest {
    private int savedThreads;

    @BeforeEach
    void saveThreads() {
        savedThreads = Parallel.threads();
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 3})
    void everyTaskRunsOnceOnAThreadNumberBelowTheThreadCount(int threads) {
        Parallel.setThreads(threads);
        for (int tasks : new int[] {0, 1, 2, 7, 100}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
            AtomicInteger badThread = new AtomicInteger(-1);
            Parallel.forTasks(tasks, (task, thread) -> {
                runs.incrementAndGet(task);
                if (thread < 0 || thread >= threads) {
                    badThread.set(thread);
                }
            });
            for (int t = 0; t < tasks; t++) {
                assertThat(runs.get(t)).as("runs of task %d of %d", t, tasks).isEqualTo(1);
            }
            assertThat(badThread.get()).isEqualTo(-1);
        }
    }

    /**
     * Whichever thread starts a task first is held in it until every other task is done: with one
     * fixed run of tasks per thread the tasks behind it could never finish, so this only completes
     * when the other thread takes them over.
     */
    @Test
    void aHeldThreadsShareGoesToTheOthers() throws InterruptedException {
        Parallel.setThreads(2);
        int tasks = 20;
        CountDownLatch othersDone = new CountDownLatch(tasks - 1);
        AtomicInteger heldThread = new AtomicInteger(-1);
        AtomicIntegerArray perThread = new AtomicIntegerArray(2);
        boolean[] released = {false};
        Parallel.forTasks(tasks, (task, thread) -> {
            perThread.incrementAndGet(thread);
            if (heldThread.compareAndSet(-1, thread)) {
                try {
                    released[0] = othersDone.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                othersDone.countDown();
            }
        });
        assertThat(released[0]).as("the other thread took every task after the held one").isTrue();
        assertThat(perThread.get(heldThread.get())).isEqualTo(1);
        assertThat(perThread.get(1 - heldThread.get())).isEqualTo(tasks - 1);
    }

    @Test
    void aFailingTaskIsRethrownAndThePoolStaysUsable() {
        Parallel.setThreads(2);
        assertThatThrownBy(() -> Parallel.forTasks(10, (task, thread) -> {
            if (task == 7) {
                throw new IllegalStateException("task 7 failed");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("task 7 failed");
        AtomicInteger done = new AtomicInteger();
        Parallel.forTasks(10, (task, thread) -> done.incrementAndGet());
        assertThat(done.get()).isEqualTo(10);
    }

    /** A call from inside a parallel body runs all its tasks on that thread, under that thread's number. */
    @Test
    void aNestedCallRunsOnItsCallersThreadNumber() {
        Parallel.setThreads(2);
        AtomicIntegerArray nestedThread = new AtomicIntegerArray(new int[] {-1, -1});
        AtomicIntegerArray nestedRuns = new AtomicIntegerArray(2);
        Parallel.forTasks(2, (outer, outerThread) -> Parallel.forTasks(5, (inner, innerThread) -> {
            nestedRuns.incrementAndGet(outer);
            if (innerThread != outerThread) {
                nestedThread.set(outer, innerThread);
            }
        }));
        assertThat(nestedRuns.get(0)).isEqualTo(5);
        assertThat(nestedRuns.get(1)).isEqualTo(5);
        assertThat(nestedThread.get(0)).as("a nested task on another thread number").isEqualTo(-1);
        assertThat(nestedThread.get(1)).as("a nested task on another thread number").isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 3})
    void chunksCoverTheRangeOnceAndKeepTheirMinimumSize(int threads) {
        Parallel.setThreads(threads);
        for (int[] nAndMin : new int[][] {{0, 1}, {1, 1}, {7, 1}, {1000, 1}, {1000, 300}, {1000, 2000}}) {
            int n = nAndMin[0];
            int minChunk = nAndMin[1];
            AtomicIntegerArray covered = new AtomicIntegerArray(n);
            AtomicInteger chunks = new AtomicInteger();
            AtomicInteger smallest = new AtomicInteger(Integer.MAX_VALUE);
            Parallel.forChunks(n, minChunk, (from, to) -> {
                chunks.incrementAndGet();
                smallest.accumulateAndGet(to - from, Math::min);
                for (int i = from; i < to; i++) {
                    covered.incrementAndGet(i);
                }
            });
            for (int i = 0; i < n; i++) {
                assertThat(covered.get(i)).as("item %d of %d", i, n).isEqualTo(1);
            }
            assertThat(chunks.get()).isLessThanOrEqualTo(Math.max(1, Parallel.CHUNKS_PER_THREAD * threads));
            if (chunks.get() > 1) {
                assertThat(smallest.get()).isGreaterThanOrEqualTo(minChunk);
            }
        }
    }

    @Test
    void eachChunkOfARangeKnowsItsThreadNumber() {
        Parallel.setThreads(3);
        AtomicIntegerArray numberOfChunk = new AtomicIntegerArray(new int[] {-1, -1, -1});
        Parallel.forRange(3, 1, (from, to) -> numberOfChunk.set(from, Parallel.threadNumber()));
        assertThat(numberOfChunk.toString()).isEqualTo("[0, 1, 2]");
        assertThat(Parallel.threadNumber()).isZero();
    }

    /** Timed or not, split or whole, every item of the range runs once, and a split is contiguous. */
    @Test
    void aTimedRangeIsCoveredOnceWhicheverWayItRuns() {
        Parallel.setThreads(2);
        Parallel.TimedSplits saved = Parallel.timedSplits();
        try {
            for (Parallel.TimedSplits mode : Parallel.TimedSplits.values()) {
                Parallel.setTimedSplits(mode);
                AtomicInteger maxChunks = new AtomicInteger();
                for (int call = 0; call < 200; call++) {
                    AtomicIntegerArray covered = new AtomicIntegerArray(100);
                    AtomicInteger chunks = new AtomicInteger();
                    Parallel.forRangeTimed(77, 100, 10, (from, to) -> {
                        chunks.incrementAndGet();
                        for (int i = from; i < to; i++) {
                            covered.incrementAndGet(i);
                        }
                    });
                    for (int i = 0; i < 100; i++) {
                        assertThat(covered.get(i)).as("%s, call %d, item %d", mode, call, i).isEqualTo(1);
                    }
                    maxChunks.accumulateAndGet(chunks.get(), Math::max);
                }
                int expected = mode == Parallel.TimedSplits.NEVER ? 1 : 2;
                assertThat(maxChunks.get()).as("%s: most chunks in a call", mode).isEqualTo(expected);
            }
        } finally {
            Parallel.setTimedSplits(saved);
        }
    }

    @Test
    void aRangeIsCoveredByContiguousChunks() {
        Parallel.setThreads(3);
        AtomicIntegerArray covered = new AtomicIntegerArray(1000);
        Parallel.forRange(1000, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                covered.incrementAndGet(i);
            }
        });
        for (int i = 0; i < 1000; i++) {
            assertThat(covered.get(i)).isEqualTo(1);
        }
    }
}
