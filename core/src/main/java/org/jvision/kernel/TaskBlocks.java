package org.jvision.kernel;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The tasks of one {@link Parallel#forTasks} call, dealt out in advance as one contiguous block per
 * thread: each thread runs its own block from the front, then takes what is left of the others'
 * blocks from their backs. While the cores run at the same speed, every thread runs the same tasks
 * in every call, and since the layers cut a batch into tasks the same way (images in order), each
 * image's activations and gradients stay in one core's cache from layer to layer. A core that is
 * slowed for a while still hands the rest of its block on.
 *
 * <p>Why not one shared counter: tasks then went to whichever thread asked first, so about half of
 * each layer's input had been written on the other core. That costs little while a cache line
 * crosses between the vCPUs in 70 ns, and much when the host makes it 300–470 ns (twenty-first and
 * twenty-second sessions of BENCHMARKS.md).
 */
final class TaskBlocks {
    /** Longs between two threads' blocks: 128 bytes, so that no two share a line or its prefetched pair. */
    private static final int SLOT = 16;

    private AtomicLongArray blocks = new AtomicLongArray(0);
    private int parts;

    /**
     * Deals tasks {@code [0, tasks)} out to {@code parts} threads, thread t's block being chunk t of
     * {@link Parallel#chunkStart}. Called while no thread takes tasks; the hand-off to the workers
     * publishes it.
     */
    void deal(int tasks, int parts) {
        if (blocks.length() < parts * SLOT) {
            blocks = new AtomicLongArray(parts * SLOT);
        }
        this.parts = parts;
        for (int t = 0; t < parts; t++) {
            blocks.set(t * SLOT, pack(Parallel.chunkStart(tasks, parts, t), Parallel.chunkStart(tasks, parts, t + 1)));
        }
    }

    /** The next task for {@code thread}: its own block's first, else another's last; -1 when none is left. */
    int next(int thread) {
        int task = take(thread, true);
        for (int v = 1; task < 0 && v < parts; v++) {
            task = take((thread + v) % parts, false);
        }
        return task;
    }

    /** Takes the first task of {@code owner}'s block, or its last; -1 when the block is empty. */
    private int take(int owner, boolean first) {
        int at = owner * SLOT;
        while (true) {
            long block = blocks.get(at);
            int low = low(block);
            int high = high(block);
            if (low >= high) {
                return -1;
            }
            long rest = first ? pack(low + 1, high) : pack(low, high - 1);
            if (blocks.compareAndSet(at, block, rest)) {
                return first ? low : high - 1;
            }
        }
    }

    private static long pack(int low, int high) {
        return (long) high << 32 | (low & 0xFFFF_FFFFL);
    }

    private static int low(long block) {
        return (int) block;
    }

    private static int high(long block) {
        return (int) (block >>> 32);
    }
}
