package org.jvision.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class TaskBlocksTest {
    /** Blocks of 10 tasks over 3 threads: [0, 3), [3, 6), [6, 10). */
    @Test
    void aThreadRunsItsOwnBlockFromTheFrontThenTheOthersFromTheBack() {
        TaskBlocks blocks = new TaskBlocks();
        blocks.deal(10, 3);
        assertThat(takeAll(blocks, 0)).containsExactly(0, 1, 2, 5, 4, 3, 9, 8, 7, 6);
        blocks.deal(10, 3);
        assertThat(takeAll(blocks, 2)).containsExactly(6, 7, 8, 9, 2, 1, 0, 5, 4, 3);
    }

    @Test
    void threadsTakingInTurnKeepToTheirOwnBlocks() {
        TaskBlocks blocks = new TaskBlocks();
        blocks.deal(8, 2);
        List<Integer> first = new ArrayList<>();
        List<Integer> second = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            first.add(blocks.next(0));
            second.add(blocks.next(1));
        }
        assertThat(first).containsExactly(0, 1, 2, 3);
        assertThat(second).containsExactly(4, 5, 6, 7);
        assertThat(blocks.next(0)).isEqualTo(-1);
        assertThat(blocks.next(1)).isEqualTo(-1);
    }

    @Test
    void fewerTasksThanThreadsLeaveSomeBlocksEmpty() {
        TaskBlocks blocks = new TaskBlocks();
        blocks.deal(2, 4);
        assertThat(takeAll(blocks, 0)).containsExactlyInAnyOrder(0, 1);
        blocks.deal(0, 2);
        assertThat(blocks.next(1)).isEqualTo(-1);
    }

    @Test
    void threadsTakingAtOnceRunEveryTaskExactlyOnce() throws InterruptedException {
        int threads = 4;
        int tasks = 100_003;
        TaskBlocks blocks = new TaskBlocks();
        blocks.deal(tasks, threads);
        AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> takers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread taker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int task = blocks.next(thread); task >= 0; task = blocks.next(thread)) {
                    runs.incrementAndGet(task);
                }
            });
            taker.start();
            takers.add(taker);
        }
        start.countDown();
        for (Thread taker : takers) {
            taker.join();
        }
        for (int task = 0; task < tasks; task++) {
            assertThat(runs.get(task)).as("runs of task %d", task).isEqualTo(1);
        }
    }

    private static List<Integer> takeAll(TaskBlocks blocks, int thread) {
        List<Integer> taken = new ArrayList<>();
        for (int task = blocks.next(thread); task >= 0; task = blocks.next(thread)) {
            taken.add(task);
        }
        return taken;
    }
}
