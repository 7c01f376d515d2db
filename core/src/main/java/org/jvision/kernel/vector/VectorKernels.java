package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.GemmScratch.ceilDiv;
import static org.jvision.kernel.vector.MicroKernel.MR;
import static org.jvision.kernel.vector.MicroKernel.NR;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.jvision.kernel.Kernels;
import org.jvision.kernel.Parallel;

/**
 * {@link Kernels} on the Vector API ({@code jdk.incubator.vector}): matrix products blocked and
 * packed in the BLIS way ({@link BlockedGemm}) around a register-tiled {@link MicroKernel} of
 * {@code MR×NR = 6×(2 vectors)}, split over {@link Parallel}'s threads.
 *
 * <p>Which path a product takes depends only on its sizes and the thread count, so a given thread
 * count gives bit-identical results from call to call:
 * <ul>
 * <li>{@code m·n·k < 32768}: {@link SmallGemm}, one thread, no packing;</li>
 * <li>otherwise rows of C are split between threads in whole tiles, or columns when there are
 *     too few rows to go round (e.g. 10 rows against thousands of columns).</li>
 * </ul>
 */
public final class VectorKernels implements Kernels {
    /** Below this many multiply-adds, packing and threads cost more than they save. */
    static final long SMALL = 1 << 15;
    /** At least this many multiply-adds per thread, so a hand-off (microseconds) pays. */
    static final long MIN_WORK_PER_THREAD = 1 << 18;

    private VectorKernels() {
    }

    /** The kernels, or null when vectors hold fewer than 8 floats (no gain over scalar loops). */
    public static Kernels createIfUseful() {
        if (FloatVector.SPECIES_PREFERRED.length() < 8) {
            return null;
        }
        warmUp();
        return new VectorKernels();
    }

    /**
     * Runs the micro-kernel through every branch (full and edge tiles, overwrite and accumulate)
     * until C2 has compiled it with a complete profile. Left to chance, C2 sometimes compiled it
     * in the middle of training from a partial profile and the run stayed on a slow,
     * non-intrinsified version for good (measured: LeNet-5 epochs of 25 s instead of 7 s).
     */
    private static void warmUp() {
        int kc = 16;
        float[] a = new float[MR * kc];
        float[] b = new float[kc * NR];
        float[] c = new float[MR * NR];
        float[] tile = new float[MR * NR];
        for (int i = 0; i < 30_000; i++) {
            boolean edge = (i & 1) == 0;
            MicroKernel.multiply(kc, a, 0, MR, 1, b, 0, c, 0, NR, edge ? MR - 1 : MR, edge ? NR - 3 : NR, (i & 2) == 0, tile);
        }
    }

    @Override
    public String name() {
        return "vector-" + MicroKernel.SPECIES.vectorBitSize();
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb,
                     float[] c, int cOffset, int ldc,
                     boolean accumulate) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOffset + i * ldc, cOffset + i * ldc + n, 0f);
                }
            }
            return;
        }
        var g = GemmProblem.of(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
        if ((long) m * n * k < SMALL) {
            SmallGemm.run(g);
            return;
        }
        runParallel(g);
    }

    private static void runParallel(GemmProblem g) {
        int m = g.m();
        int n = g.n();
        int rowTiles = ceilDiv(m, MR);
        int colTiles = ceilDiv(n, NR);
        int threads = Parallel.threads();
        if (rowTiles >= colTiles || rowTiles >= 4 * threads) {
            long workPerTile = (long) MR * n * g.k();
            Parallel.forRange(rowTiles, minTiles(workPerTile), (from, to) ->
                    BlockedGemm.run(g, from * MR, Math.min(m, to * MR), 0, n));
        } else {
            long workPerTile = (long) NR * m * g.k();
            Parallel.forRange(colTiles, minTiles(workPerTile), (from, to) ->
                    BlockedGemm.run(g, 0, m, from * NR, Math.min(n, to * NR)));
        }
    }

    private static int minTiles(long workPerTile) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, MIN_WORK_PER_THREAD / workPerTile));
    }
}
