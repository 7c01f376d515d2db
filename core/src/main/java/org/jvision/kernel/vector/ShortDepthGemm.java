package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.MicroKernel.LANES;
import static org.jvision.kernel.vector.MicroKernel.NR;
import static org.jvision.kernel.vector.MicroKernel.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * Products over a short depth (at most {@link #MAX_DEPTH}), C whole panels wide and overwritten:
 * the forward product of a 3×3 convolution of one input channel (a grayscale image's first
 * layer, 784×32×9 per image for vgg-small) or of three (784×32×27), {@code Y = P·W} with P the
 * image's patches; and, with B transposed, a 10-class head's input gradient on AVX2.
 *
 * <p>Over a few steps of p the {@link MicroKernel}'s fixed costs per tile (a call, six row
 * offsets, twelve accumulators to clear and store, {@link BlockedGemm}'s choice of kernel) weigh
 * as much as its multiply-adds: 784×32×9, one thread, 0.63x of OpenBLAS's small-matrix kernel.
 * Here one call runs down all the rows, four at a time against a panel of B, and stores the sums
 * straight from the accumulators: 0.86x–0.89x (nineteenth session, change 51 of BENCHMARKS.md;
 * six rows at a time read 0.72x, eight 0.77x). Four rows of two vectors also fit AVX2's 16
 * registers: there, against OpenBLAS's Haswell kernels, 0.68x → 0.93x.
 *
 * <p>Written without branches in the loop: with a branch to add to C, or to skip the repeated
 * row of a ragged strip, C2 boxed the sums on every strip (125 KB a call, 0.42x). A ragged strip
 * repeats its last row instead, computing and storing the same bits twice, and C is only
 * overwritten.
 */
final class ShortDepthGemm {
    /** Deepest product taken: up to here it measured faster than the blocked path. */
    static final int MAX_DEPTH = 32;
    /**
     * Deepest product with a transposed B taken (B is then packed first): a 10-class head's input
     * gradient on AVX2, 64×128×10, one thread 0.59x → 0.72x of OpenBLAS's Haswell kernels
     * (emulated); at a depth of 32, 784×288×32 read 1.01x–1.03x before and 0.96x–0.98x after on
     * AVX-512 (nineteenth session).
     */
    static final int MAX_PACKED_DEPTH = 16;
    /** Rows of a strip. */
    private static final int ROWS = 4;

    private ShortDepthGemm() {
    }

    /**
     * Whether this path takes the product: a depth of at most {@link #MAX_DEPTH} (or
     * {@link #MAX_PACKED_DEPTH} with a transposed B), row-major A and C, C a whole number of panels
     * wide and overwritten (a convolution adds its bias afterwards).
     */
    static boolean handles(GemmProblem g) {
        return g.k() <= MAX_DEPTH && g.n() % NR == 0 && !g.accumulate() && g.aColStride() == 1
                && (g.bColStride() == 1 || g.bRowStride() == 1 && g.k() <= MAX_PACKED_DEPTH)
                && g.cColStride() == 1;
    }

    /** Computes rows {@code [rowFrom, rowTo)} of C (all its columns). */
    static void run(GemmProblem g, int rowFrom, int rowTo) {
        float[] a = g.a();
        float[] c = g.c();
        int k = g.k();
        int lda = g.aRowStride();
        int ldc = g.cRowStride();
        int last = rowTo - 1;
        // A row-major B is read in place, a panel's row p at p*ldb; a transposed one is packed
        // first (all of it, k×n floats: at most 32 rows), a panel's row p at p*NR.
        boolean inPlace = g.bColStride() == 1;
        float[] b = g.b();
        int ldb = g.bRowStride();
        if (!inPlace) {
            b = GemmScratch.forPanels(g.n(), k).packedB;
            GemmPacking.packB(g, 0, k, 0, g.n(), b);
            ldb = NR;
        }
        for (int j0 = 0; j0 < g.n(); j0 += NR) {
            int bj = inPlace ? g.bOffset() + j0 : j0 * k;
            for (int i = rowFrom; i < rowTo; i += ROWS) {
                // A ragged last strip repeats its last row: computed and stored again, the same
                // bits, so that nothing in the loop branches.
                int a0 = g.aOffset() + i * lda;
                int a1 = g.aOffset() + Math.min(i + 1, last) * lda;
                int a2 = g.aOffset() + Math.min(i + 2, last) * lda;
                int a3 = g.aOffset() + Math.min(i + 3, last) * lda;
                FloatVector zero = FloatVector.zero(SPECIES);
                FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero;
                FloatVector c20 = zero, c21 = zero, c30 = zero, c31 = zero;
                for (int p = 0; p < k; p++) {
                    int bi = bj + p * ldb;
                    FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
                    FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + LANES);
                    FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
                    c00 = av.fma(b0, c00);
                    c01 = av.fma(b1, c01);
                    av = FloatVector.broadcast(SPECIES, a[a1 + p]);
                    c10 = av.fma(b0, c10);
                    c11 = av.fma(b1, c11);
                    av = FloatVector.broadcast(SPECIES, a[a2 + p]);
                    c20 = av.fma(b0, c20);
                    c21 = av.fma(b1, c21);
                    av = FloatVector.broadcast(SPECIES, a[a3 + p]);
                    c30 = av.fma(b0, c30);
                    c31 = av.fma(b1, c31);
                }
                int ci = g.cOffset() + j0;
                int r0 = ci + i * ldc;
                int r1 = ci + Math.min(i + 1, last) * ldc;
                int r2 = ci + Math.min(i + 2, last) * ldc;
                int r3 = ci + Math.min(i + 3, last) * ldc;
                c00.intoArray(c, r0);
                c01.intoArray(c, r0 + LANES);
                c10.intoArray(c, r1);
                c11.intoArray(c, r1 + LANES);
                c20.intoArray(c, r2);
                c21.intoArray(c, r2 + LANES);
                c30.intoArray(c, r3);
                c31.intoArray(c, r3 + LANES);
            }
        }
    }
}
