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
 *     for ic in rows step MC         A block MC×kc, read in place, lives in L2
 *       for jr step NR               one B panel, kept in L1 while...
 *         for ir step MR             ...the A strips stream past it
 *           C[ic+ir.., jc+jr..] (+)= strip · panel
 * </pre>
 *
 * <p>A is not packed (but for a transposed A on AVX2, below): the kernel reads its MR rows (or,
 * transposed, its MR contiguous values per p) where they lie. Packing cost a read and a write of every element of A per column block, and
 * on this project's AVX-512 machines the kernel is no slower on A in place, so packing only lost
 * time: one thread, 1024³ 211 → 223 GFLOP/s, 1024×256×784 196 → 228, the transposed 784×256×64
 * 165 → 217; two threads, 1024³ 395 → 436 (sixth session, change 17 of BENCHMARKS.md).
 *
 * <p>With 16 vector registers (AVX2), a row-major A goes to the {@link RowMajorKernel}, whose
 * loop C2 compiles without bounds checks. A transposed A is copied into rows for it, each block of
 * A once ({@link #packTransposedA}), when B is at least four panels wide (with two, the copy cost
 * more than it saved): the general kernel's loop, reading A in place with a variable stride,
 * checks the bounds of each of its six loads of A on every step. 8-lane kernels against
 * OpenBLAS's Haswell kernels, one thread: 3136×256×64 0.74x → 0.86x–0.87x, 288×64×392 0.77x–0.82x
 * → 0.90x–0.91x (nineteenth session, change 50 of BENCHMARKS.md). Before the 8×8 squares of
 * {@link TransposedPacking}, the eighth session found an element-by-element copy no faster than
 * reading in place.
 *
 * <p>Two shortcuts for small products, where the fixed costs show: a strip of at most three rows
 * (the ragged end of A) goes to the {@link ThreeRowKernel}, half the tile; and a row-major B that
 * is exactly one panel wide, rows NR floats apart, is read in place instead of packed. One thread,
 * a one-channel 3×3 convolution's weight gradient 9×32×784: 55 → 88–99 GFLOP/s with both, against
 * OpenBLAS's 70–83 (seventh session, changes 19–20 of BENCHMARKS.md).
 *
 * <p>Whole tiles of a transposed C (the product {@code Cᵀ = Bᵀ·Aᵀ}) go, on 16 lanes, to the
 * {@link TransposedTileKernel}, which stores them six floats per column instead of element by
 * element: a dense layer's input gradient 64×3136×256, two threads, 0.97x → 1.17x of OpenBLAS
 * (fourteenth session, change 36 of BENCHMARKS.md).
 *
 * <p>Before the tiles add to a block of a row-major C, or overwrite it after a short depth,
 * {@link CacheWarming} reads it in order, so that it comes from memory at the prefetchers' pace
 * rather than a tile's few lines at a time.
 *
 * <p>Only the first k block may overwrite C (when not accumulating); later ones add to it. Every
 * element of C is summed in the same order whatever rectangle it falls in, so results do not
 * depend on how C is split between threads.
 */
final class BlockedGemm {
    /**
     * Largest depth of a block. Each block is a pass over C: its tiles are stored (and, after the
     * first, read back) once per block, so a deeper block saves C traffic, while its B panel of
     * KC×NR floats (32 KiB on AVX2, 64 KiB on AVX-512) no longer fits in L1 on AVX-512; Zen 4's L2
     * feeds the kernel fast enough that the fewer passes win. On Zen 4, one thread, against
     * OpenBLAS in alternating rounds (nineteenth session, change 48 of BENCHMARKS.md), from a KC of
     * 320 and an MC of 144: 1024³ 1.01x–1.03x → 1.06x–1.08x, 2048³ 0.98x–1.00x → 1.04x; the 8-lane
     * kernels against OpenBLAS's Haswell ones 0.87x–0.89x → 0.92x–0.95x and 0.89x → 0.94x–0.95x.
     * 512 still cuts the im2col depths of 3×3 convolutions (9·32 = 288, 9·64 = 576 in two blocks of
     * 288) into equal blocks.
     */
    static final int KC = 512;
    /**
     * Rows of an A block, a multiple of MR: MC×KC floats (96 KiB) stay in L2. Smaller than L2
     * allows: with 144 rows the 8-lane kernels ran 2–5% slower on the squares above (the blocks of
     * A and of C that a panel's strips pass over then compete with the panel itself).
     */
    static final int MC = 8 * MR;
    /** Columns of a B block, a multiple of NR: KC×NC floats (2.5 MiB) stay in L3. */
    static final int NC = (2048 / NR) * NR;

    private BlockedGemm() {
    }

    /**
     * Rows {@code [ic, ic+mc)} of a transposed A, depths {@code [pc, pc+depth)}, row-major into
     * {@code dst} (rows {@code depth} apart): 8×8 squares transposed in registers, the ragged
     * right and bottom element by element.
     */
    static void packTransposedA(GemmProblem g, int ic, int mc, int pc, int depth, float[] dst) {
        float[] a = g.a();
        int lda = g.aColStride();
        int from = g.aOffset() + pc * lda + ic;
        int rows8 = mc & -TransposedPacking.SIDE;
        int depth8 = depth & -TransposedPacking.SIDE;
        TransposedPacking.transpose(a, from, lda, rows8, depth8, dst, 0, depth);
        for (int i = 0; i < mc; i++) {
            for (int p = i < rows8 ? depth8 : 0; p < depth; p++) {
                dst[i * depth + p] = a[from + p * lda + i];
            }
        }
    }

    /**
     * Computes rows {@code [rowFrom, rowTo)} and columns {@code [colFrom, colTo)} of C, the row
     * strips from the last to the first when {@code bottomUp}. Threads that share C's columns out
     * take turns at it: in step, both would store into the same rows at once, and each row's cache
     * line at the border of their columns would bounce between the cores on every tile. Two
     * threads, 256×128×64, 784×256×64 and 3136×256×64: runs stuck at half speed (best 92–139
     * GFLOP/s) no longer seen (best 171–214; change 21 of BENCHMARKS.md).
     */
    static void run(GemmProblem g, int rowFrom, int rowTo, int colFrom, int colTo, boolean bottomUp) {
        int k = g.k();
        int kc = ceilDiv(k, ceilDiv(k, KC));
        GemmScratch scratch = GemmScratch.forPanels(Math.min(NC, colTo - colFrom), kc);
        float[] a = g.a();
        int aStep = g.aColStride();
        int aRowStride = g.aRowStride();
        float[] c = g.c();
        int cRowStride = g.cRowStride();
        int cColStride = g.cColStride();
        // A row-major B exactly NR wide, its rows NR floats apart, is already one packed panel:
        // it is read in place (a convolution's 32 output channels on AVX-512, 16 on AVX2).
        boolean bIsOnePanel = g.n() == NR && g.bColStride() == 1 && g.bRowStride() == NR;
        boolean rowMajorKernel = aStep == 1 && RowMajorKernel.PREFERRED;
        // On AVX2 a transposed A (a weight gradient's Xᵀ) is copied block by block into rows for
        // the RowMajorKernel, when at least four panels of B reuse each block (with two, the
        // copy cost the 9×32×784 weight gradient of a one-channel convolution a seventh).
        boolean packA = aStep != 1 && aRowStride == 1 && RowMajorKernel.PREFERRED && colTo - colFrom >= 4 * NR;
        boolean transposedTiles = TransposedTileKernel.takes(cRowStride);
        int rowBlocks = ceilDiv(rowTo - rowFrom, MC);
        for (int jc = colFrom; jc < colTo; jc += NC) {
            int nc = Math.min(NC, colTo - jc);
            for (int pc = 0; pc < k; pc += kc) {
                int depth = Math.min(kc, k - pc);
                boolean overwrite = pc == 0 && !g.accumulate();
                float[] panels = scratch.packedB;
                int panelsStart = 0;
                if (bIsOnePanel) {
                    panels = g.b();
                    panelsStart = g.bOffset() + pc * NR;
                } else {
                    GemmPacking.packB(g, pc, depth, jc, nc, panels);
                }
                for (int block = 0; block < rowBlocks; block++) {
                    int ic = rowFrom + (bottomUp ? rowBlocks - 1 - block : block) * MC;
                    int mc = Math.min(MC, rowTo - ic);
                    int strips = ceilDiv(mc, MR);
                    // Where the kernels read this block of A: in place, or its copy in rows.
                    float[] aBlock = a;
                    int aBase = g.aOffset() + ic * aRowStride + pc * aStep;
                    int blockStep = aStep;
                    int blockRowStride = aRowStride;
                    if (packA) {
                        aBlock = scratch.packedA;
                        packTransposedA(g, ic, mc, pc, depth, aBlock);
                        aBase = 0;
                        blockStep = 1;
                        blockRowStride = depth;
                    }
                    if ((!overwrite || depth <= CacheWarming.SHORT_DEPTH) && cColStride == 1) {
                        scratch.warmed += CacheWarming.block(c, g.cOffset() + ic * cRowStride + jc, mc, cRowStride, nc);
                    }
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        for (int strip = 0; strip < strips; strip++) {
                            int ir = (bottomUp ? strips - 1 - strip : strip) * MR;
                            int rows = Math.min(MR, mc - ir);
                            int aIndex = aBase + ir * blockRowStride;
                            int cIndex = g.cOffset() + (ic + ir) * cRowStride + (jc + jr) * cColStride;
                            if (transposedTiles && rows == MR && cols == NR
                                    && TransposedTileKernel.fits(cIndex, cColStride, c.length)) {
                                TransposedTileKernel.multiply(depth, aBlock, aIndex, blockStep, blockRowStride, panels,
                                        panelsStart + jr * depth, c, cIndex, cColStride, overwrite, scratch.tile);
                            } else if (rows > ThreeRowKernel.ROWS && (rowMajorKernel || packA)) {
                                RowMajorKernel.multiply(depth, aBlock, aIndex, blockRowStride, panels,
                                        panelsStart + jr * depth, c, cIndex, cRowStride, cColStride, rows, cols,
                                        overwrite, scratch.tile);
                            } else if (rows > ThreeRowKernel.ROWS) {
                                MicroKernel.multiply(depth, aBlock, aIndex, blockStep, blockRowStride, panels,
                                        panelsStart + jr * depth, c, cIndex, cRowStride, cColStride, rows, cols,
                                        overwrite, scratch.tile);
                            } else {
                                ThreeRowKernel.multiply(depth, aBlock, aIndex, blockStep, blockRowStride, panels,
                                        panelsStart + jr * depth, c, cIndex, cRowStride, cColStride, rows, cols,
                                        overwrite, scratch.tile);
                            }
                        }
                    }
                }
            }
        }
    }
}
