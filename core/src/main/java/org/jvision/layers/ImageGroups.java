package org.jvision.layers;

import org.jvision.kernel.Parallel;

/**
 * How {@link Conv2D} cuts a batch: into groups of whole images, each unfolded and multiplied on
 * its own, and the groups into one contiguous run per thread ("part"). A group holds enough
 * images for about {@link #TARGET_ROWS} output pixels, so each matrix product is large enough to
 * run at full speed while its patch matrix stays in L2. The cut depends only on the batch, the
 * image size and the thread count, so results are deterministic for a given thread count.
 *
 * @param batch          images in the batch
 * @param rowsPerImage   output pixels of one image (rows of its patch matrix)
 * @param imagesPerGroup images per group (the last may have fewer)
 * @param groups         number of groups
 * @param parts          number of runs of groups, one per thread at most
 */
record ImageGroups(int batch, int rowsPerImage, int imagesPerGroup, int groups, int parts) {
    /** Output pixels per group to aim for (a 3x3 convolution of 32 channels: 512 × 288 floats, 576 KiB). */
    static final int TARGET_ROWS = 512;

    static ImageGroups of(int batch, int rowsPerImage) {
        int perGroup = Math.max(1, TARGET_ROWS / Math.max(1, rowsPerImage));
        int groups = (batch + perGroup - 1) / perGroup;
        int parts = Math.min(Parallel.threads(), groups);
        return new ImageGroups(batch, rowsPerImage, perGroup, groups, parts);
    }

    /** The first group of part {@code t}; {@code firstGroup(parts)} is {@code groups}. */
    int firstGroup(int t) {
        return Parallel.chunkStart(groups, parts, t);
    }

    int firstImage(int group) {
        return group * imagesPerGroup;
    }

    /** Images in group {@code group}. */
    int images(int group) {
        return Math.min(imagesPerGroup, batch - firstImage(group));
    }
}
