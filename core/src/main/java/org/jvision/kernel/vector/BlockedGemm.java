package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.GemmScratch.ceilDiv;
import static org.jvision.kernel.vector.MicroKernel.MR;
import static org.jvision.kernel.vector.MicroKernel.NR;

/**
 * The five loops of the BLIS scheme around the {@link MicroKernel}, on one rectangle of C:
 *
 * <pre>
 * for jc in columns step NC          B block kc×NC lives in L3
 *   for pc in 0..k step kc           (kc balanced, at most KC)
 *     pack B[pc.., jc..] into panels of kc×NR
 *     for ic in rows step MC         A block MC×kc lives in L2
 *       pack A[ic.., pc..] into strips of MR×kc (only if many panels will reuse it)
 *       for jr step NR               one B panel, kept in L1 while...
 *         for ir step MR             ...the A strips stream past it
 *           C[ic+ir.., jc+jr..] (+)= strip · panel
 * </pre>
 *
 * <p>Packing A costs a read and a write of each element, as much as the kernel's own reads of it,
 * so it only pays when the block is reused by several B panels. Tall-skinny products (im2col
 * convolutions with 32 or 64 output channels, one or two panels) read A in place instead.
 *
 * <p>Only the first k block may overwrite C (when not accumulating); later ones add to it. Every
 * element of C is summed in the same order whatever rectangle it falls in, so results do not
 * depend on how C is split between threads.
 */
final class BlockedGemm {
    /**
     * Largest depth of a block: a B panel of KC×NR floats (20 KiB on AVX2, 40 KiB on AVX-512)
     * stays in L1. 320 also keeps the im2col depths of 3×3 convolutions (9·32 = 288, 9·64 = 576 in
     * two blocks) from being split into a long and a short block, each a pass over C.
     */
    static final int KC = 320;
    /** Rows of an A block, a multiple of MR: MC×KC floats (180 KiB) stay in L2. */
    static final int MC = 24 * MR;
    /** Columns of a B block, a multiple of NR: KC×NC floats (2.5 MiB) stay in L3. */
    static final int NC = (2048 / NR) * NR;
    /** A is packed when more than this many B panels reuse each block of it. */
    static final int PACK_A_AFTER_PANELS = 4;

    private BlockedGemm() {
    }

    /** Computes rows {@code [rowFrom, rowTo)} and columns {@code [colFrom, colTo)} of C. */
    static void run(GemmProblem g, int rowFrom, int rowTo, int colFrom, int colTo) {
        int k = g.k();
        int kc = ceilDiv(k, ceilDiv(k, KC));
        GemmScratch scratch = GemmScratch.forBlocks(Math.min(MC, rowTo - rowFrom), Math.min(NC, colTo - colFrom), kc);
        float[] c = g.c();
        int cRowStride = g.cRowStride();
        int cColStride = g.cColStride();
        for (int jc = colFrom; jc < colTo; jc += NC) {
            int nc = Math.min(NC, colTo - jc);
            boolean packA = nc > PACK_A_AFTER_PANELS * NR;
            float[] a = packA ? scratch.packedA : g.a();
            int aStep = packA ? MR : g.aColStride();
            int aRowStride = packA ? 1 : g.aRowStride();
            for (int pc = 0; pc < k; pc += kc) {
                int depth = Math.min(kc, k - pc);
                boolean overwrite = pc == 0 && !g.accumulate();
                GemmPacking.packB(g, pc, depth, jc, nc, scratch.packedB);
                for (int ic = rowFrom; ic < rowTo; ic += MC) {
                    int mc = Math.min(MC, rowTo - ic);
                    if (packA) {
                        GemmPacking.packA(g, ic, mc, pc, depth, scratch.packedA);
                    }
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int rows = Math.min(MR, mc - ir);
                            int aIndex = packA ? ir * depth : g.aOffset() + (ic + ir) * aRowStride + pc * aStep;
                            int cIndex = g.cOffset() + (ic + ir) * cRowStride + (jc + jr) * cColStride;
                            MicroKernel.multiply(depth, a, aIndex, aStep, aRowStride, scratch.packedB, jr * depth,
                                    c, cIndex, cRowStride, cColStride, rows, cols, overwrite, scratch.tile);
                        }
                    }
                }
            }
        }
    }
}
