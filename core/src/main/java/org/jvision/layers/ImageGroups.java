package org.jvision.layers;

import org.jvision.kernel.Parallel;

/**
 * How {@link Conv2D} cuts a batch: into groups of whole images, each unfolded and multiplied on
 * its own, and the groups into contiguous runs ("tasks") that the threads take one at a time
 * ({@link Parallel#forTasks}). A group holds enough images for about {@link #TARGET_ROWS} output
 * pixels, so each matrix product is large enough to run at full speed while its patch matrix stays
 * in L2. There are {@link #TASKS_PER_THREAD} tasks a thread, so that when one core is slowed the
 * others take over its share; each task sums its own block of the kernel gradient. The cut
 * depends only on the batch, the image size and the thread count, so results are deterministic
 * for a given thread count.
 *
 * @param batch          images in the batch
 * @param rowsPerImage   output pixels of one image (rows of its patch matrix)
 * @param imagesPerGroup images per group (the last may have fewer)
 * @param groups         number of groups
 * @param tasks          number of runs of groups
 */
record ImageGroups(int batch, int rowsPerImage, int imagesPerGroup, int groups, int tasks) {
    /** Output pixels per group to aim for (a 3x3 convolution of 32 channels: 512 × 288 floats, 576 KiB). */
    static final int TARGET_ROWS = 512;
    /**
     * Tasks per thread: enough that a thread on a core slowed to two thirds hands a share of its
     * work to the others (vgg-small on this project's 2-core VMs: steps of 33 ms turned into
     * 45-48 ms for seconds at a time with one fixed run per thread), few enough that summing the
     * tasks' kernel-gradient blocks stays cheap.
     */
    static final int TASKS_PER_THREAD = 4;

    static ImageGroups of(int batch, int rowsPerImage) {
        int perGroup = Math.max(1, TARGET_ROWS / Math.max(1, rowsPerImage));
        int groups = (batch + perGroup - 1) / perGroup;
        int threads = Parallel.threads();
        int tasks = threads == 1 ? 1 : Math.min(groups, TASKS_PER_THREAD * threads);
        return new ImageGroups(batch, rowsPerImage, perGroup, groups, tasks);
    }

    /** The first group of task {@code t}; {@code firstGroup(tasks)} is {@code groups}. */
    int firstGroup(int t) {
        return Parallel.chunkStart(groups, tasks, t);
    }

    int firstImage(int group) {
        return group * imagesPerGroup;
    }

    /** Images in group {@code group}. */
    int images(int group) {
        return Math.min(imagesPerGroup, batch - firstImage(group));
    }
}
