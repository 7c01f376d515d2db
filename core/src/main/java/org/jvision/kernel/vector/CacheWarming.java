package org.jvision.kernel.vector;

/**
 * Reads a block of a matrix before the tiles that add to it (or, after a short depth, overwrite it)
 * do, one float per cache line, row by row. The tiles' own loads of C come a few at a time, 6 rows
 * × 2 lines a kilobyte apart, with the next tile's loop behind them; when C is not in cache, each
 * such group stalls the core for most of a memory latency, since a load that misses holds up
 * everything after it. Read in order, a block's lines are found by the hardware prefetchers
 * instead, many at a time.
 *
 * <p>One thread, {@code C += Xᵀ·dY} of 3136×256×64 (vgg-small's {@code dense_1} weight gradient,
 * C 3 MiB) with C evicted to memory before each call: 60 → 86 GFLOP/s; with C in L3, as between
 * OpenBLAS's calls in {@code gemm-pairs}, 0.74x–0.92x → 0.93x–0.98x of OpenBLAS; with C already
 * in L2, no change (Zen 4, fourteenth session, change 37 of BENCHMARKS.md).
 */
final class CacheWarming {
    /**
     * The depth up to which a block of C that is only overwritten is read first as well: its stores
     * miss as the loads would (each fetches its line), and over a short depth they are a large share
     * of the work. One thread, {@code C = Xᵀ·dY} of 3136×256×64 with C in memory: 75 → 84 GFLOP/s.
     * Over a long depth the read is an extra pass for little: 1024³, 96 → 92.
     */
    static final int SHORT_DEPTH = 128;
    /** Floats per 64-byte cache line. */
    private static final int LINE = 16;

    private CacheWarming() {
    }

    /**
     * The sum of one float per cache line of {@code rows} rows of {@code cols} floats, rows
     * {@code rowStride} apart from {@code index}: a value for the caller to keep, so that the
     * compiler keeps the reads. Two sums, so the adds do not chain the reads one after another.
     */
    static float block(float[] x, int index, int rows, int rowStride, int cols) {
        float even = 0;
        float odd = 0;
        for (int r = 0; r < rows; r++) {
            int row = index + r * rowStride;
            int j = 0;
            for (; j + LINE < cols; j += 2 * LINE) {
                even += x[row + j];
                odd += x[row + j + LINE];
            }
            if (j < cols) {
                even += x[row + j];
            }
        }
        return even + odd;
    }
}
