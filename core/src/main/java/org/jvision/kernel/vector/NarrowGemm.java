package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.GemmScratch.ceilDiv;
import static org.jvision.kernel.vector.MicroKernel.LANES;
import static org.jvision.kernel.vector.MicroKernel.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Products whose C is at most one vector wide ({@code n ≤ LANES}), on the {@link NarrowKernel}
 * (nine or ten columns with a row-major A go to the {@link TenColumnGemm} instead):
 *
 * <pre>
 * for pc in 0..k step kc             (kc balanced, at most KC)
 *   pack B[pc.., :] into kc rows of LANES floats (it stays in L1)
 *   for ir in rows step MR           A read in place, one strip per tile
 *     C[ir.., :] (+)= A[ir.., pc..] · B[pc.., :]
 * </pre>
 *
 * <p>Nothing of A is packed: with a single column panel each element of A is used once per k
 * block, so a copy would cost as much as the product. The only exception is the last strip of a
 * column-major A when reading all MR rows of it would run past the end of the array. As in
 * {@link BlockedGemm}, only the first k block may overwrite C, and each element of C is summed in
 * the same order whatever rows a thread is given.
 */
final class NarrowGemm {
    /** Largest depth of a block: a B panel of KC×LANES floats (10 or 20 KiB) stays in L1. */
    static final int KC = 320;

    private NarrowGemm() {
    }

    /** Computes rows {@code [rowFrom, rowTo)} of C (all its columns); C must be row-major. */
    static void run(GemmProblem g, int rowFrom, int rowTo) {
        if (TenColumnGemm.handles(g)) {
            TenColumnGemm.run(g, rowFrom, rowTo);
            return;
        }
        int k = g.k();
        int kc = ceilDiv(k, ceilDiv(k, KC));
        int mr = NarrowKernel.MR;
        GemmScratch scratch = GemmScratch.forNarrow(kc);
        float[] a = g.a();
        boolean rowMajor = g.aColStride() == 1;
        int lda = rowMajor ? g.aRowStride() : g.aColStride();
        float[] b = scratch.packedB;
        float[] c = g.c();
        int ldc = g.cRowStride();
        for (int pc = 0; pc < k; pc += kc) {
            int depth = Math.min(kc, k - pc);
            boolean overwrite = pc == 0 && !g.accumulate();
            packB(g, pc, depth, b);
            for (int ir = rowFrom; ir < rowTo; ir += mr) {
                int rows = Math.min(mr, rowTo - ir);
                int cIndex = g.cOffset() + ir * ldc;
                if (rowMajor) {
                    int aIndex = g.aOffset() + ir * lda + pc;
                    NarrowKernel.rowMajorA(depth, a, aIndex, lda, b, 0, c, cIndex, ldc, rows, g.n(), overwrite,
                            scratch.tile);
                } else {
                    int aIndex = g.aOffset() + pc * lda + ir;
                    if (aIndex + (depth - 1) * lda + mr <= a.length) {
                        NarrowKernel.columnMajorA(depth, a, aIndex, lda, b, 0, c, cIndex, ldc, rows, g.n(),
                                overwrite, scratch.tile);
                    } else {
                        packStrip(a, aIndex, lda, rows, depth, scratch.packedA);
                        NarrowKernel.columnMajorA(depth, scratch.packedA, 0, mr, b, 0, c, cIndex, ldc, rows, g.n(),
                                overwrite, scratch.tile);
                    }
                }
            }
        }
    }

    /**
     * Copies depths {@code [p0, p0+kc)} of B into rows of LANES floats, {@code (p, j)} at
     * {@code p*LANES + j}, zero past column n.
     */
    static void packB(GemmProblem g, int p0, int kc, float[] dst) {
        float[] b = g.b();
        int n = g.n();
        int rowStride = g.bRowStride();
        int src = g.bOffset() + p0 * rowStride;
        int inside = 0;
        if (g.bColStride() == 1) {
            // Rows whose vector would reach past B's end go element by element (see MaskedAccess).
            VectorMask<Float> mask = MaskedAccess.first(n);
            inside = MaskedAccess.rowsInside(kc, b.length, src, rowStride, LANES);
            for (int p = 0; p < inside; p++) {
                FloatVector.fromArray(SPECIES, b, src + p * rowStride, mask).intoArray(dst, p * LANES);
            }
        }
        int colStride = g.bColStride();
        for (int p = inside; p < kc; p++) {
            int from = src + p * rowStride;
            int to = p * LANES;
            for (int j = 0; j < n; j++) {
                dst[to + j] = b[from + j * colStride];
            }
            for (int j = n; j < LANES; j++) {
                dst[to + j] = 0f;
            }
        }
    }

    /** Copies a ragged strip of a column-major A into MR-row columns, zero past {@code rows}. */
    private static void packStrip(float[] a, int aIndex, int lda, int rows, int kc, float[] dst) {
        int mr = NarrowKernel.MR;
        for (int p = 0; p < kc; p++) {
            for (int r = 0; r < mr; r++) {
                dst[p * mr + r] = r < rows ? a[aIndex + p * lda + r] : 0f;
            }
        }
    }
}
