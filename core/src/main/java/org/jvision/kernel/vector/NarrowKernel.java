package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.MicroKernel.LANES;
import static org.jvision.kernel.vector.MicroKernel.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The register tile for a narrow C, at most one vector wide ({@code n ≤ LANES}: convolutions with
 * few output channels): {@code MR×LANES}, {@code C[r][j] (+)= sum_p A[r][p] · B[p][j]}. Against the
 * {@link MicroKernel}'s two vectors it halves the padding of a C of 6 or 16 columns.
 *
 * <p>Each step of p loads B's row p from a packed panel ({@code B[p][j]} at
 * {@code bIndex + p*LANES + j}), broadcasts the MR values of A's column p and issues MR fused
 * multiply-adds into MR accumulators: 12 of the 16 (AVX2) or 32 (AVX-512) vector registers.
 * That is one broadcast per multiply-add, against one per two in the MicroKernel; where a core
 * broadcasts once a cycle (measured here, AMD Zen with AVX-512) the loop runs at half the FMA
 * peak, still ahead of a two-vector tile half of which is padding. It also makes the loop
 * sensitive to the bounds checks on its twelve loads of A (with them, one kernel for both layouts
 * was 12-15% slower), so A has one kernel per layout whose indices C2 can prove in range, each
 * read in place: {@link #rowMajorA} (forward products, {@code A[r][p]} at
 * {@code aIndex + r*lda + p}, each index a unit step of p) and {@link #columnMajorA} (transposed
 * A, {@code A[r][p]} at {@code aIndex + p*lda + r}, the twelve rows of a step at constant
 * offsets).
 *
 * <p>Both write the tile through {@code tile} ({@code MR*LANES} floats of scratch) with vectors
 * masked to the {@code rows×cols} top-left part, replacing C ({@code c[cIndex + r*ldc + j]}) when
 * {@code overwrite}, else adding to it. Rows past {@code rows} are not stored; nor are lanes past
 * {@code cols}.
 */
final class NarrowKernel {
    /** Rows of the register tile. */
    static final int MR = 12;

    private NarrowKernel() {
    }

    /**
     * A row-major strip, {@code A[r][p]} at {@code aIndex + r*lda + p}; rows past {@code rows}
     * repeat the last real row, so the strip is read inside A.
     */
    static void rowMajorA(int kc, float[] a, int aIndex, int lda, float[] b, int bIndex,
                          float[] c, int cIndex, int ldc, int rows, int cols, boolean overwrite, float[] tile) {
        int last = rows - 1;
        int a0 = aIndex;
        int a1 = aIndex + Math.min(1, last) * lda;
        int a2 = aIndex + Math.min(2, last) * lda;
        int a3 = aIndex + Math.min(3, last) * lda;
        int a4 = aIndex + Math.min(4, last) * lda;
        int a5 = aIndex + Math.min(5, last) * lda;
        int a6 = aIndex + Math.min(6, last) * lda;
        int a7 = aIndex + Math.min(7, last) * lda;
        int a8 = aIndex + Math.min(8, last) * lda;
        int a9 = aIndex + Math.min(9, last) * lda;
        int a10 = aIndex + Math.min(10, last) * lda;
        int a11 = aIndex + Math.min(11, last) * lda;
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero, c5 = zero;
        FloatVector c6 = zero, c7 = zero, c8 = zero, c9 = zero, c10 = zero, c11 = zero;
        for (int p = 0; p < kc; p++) {
            FloatVector bv = FloatVector.fromArray(SPECIES, b, bIndex + p * LANES);
            c0 = FloatVector.broadcast(SPECIES, a[a0 + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(SPECIES, a[a1 + p]).fma(bv, c1);
            c2 = FloatVector.broadcast(SPECIES, a[a2 + p]).fma(bv, c2);
            c3 = FloatVector.broadcast(SPECIES, a[a3 + p]).fma(bv, c3);
            c4 = FloatVector.broadcast(SPECIES, a[a4 + p]).fma(bv, c4);
            c5 = FloatVector.broadcast(SPECIES, a[a5 + p]).fma(bv, c5);
            c6 = FloatVector.broadcast(SPECIES, a[a6 + p]).fma(bv, c6);
            c7 = FloatVector.broadcast(SPECIES, a[a7 + p]).fma(bv, c7);
            c8 = FloatVector.broadcast(SPECIES, a[a8 + p]).fma(bv, c8);
            c9 = FloatVector.broadcast(SPECIES, a[a9 + p]).fma(bv, c9);
            c10 = FloatVector.broadcast(SPECIES, a[a10 + p]).fma(bv, c10);
            c11 = FloatVector.broadcast(SPECIES, a[a11 + p]).fma(bv, c11);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, LANES);
        c2.intoArray(tile, 2 * LANES);
        c3.intoArray(tile, 3 * LANES);
        c4.intoArray(tile, 4 * LANES);
        c5.intoArray(tile, 5 * LANES);
        c6.intoArray(tile, 6 * LANES);
        c7.intoArray(tile, 7 * LANES);
        c8.intoArray(tile, 8 * LANES);
        c9.intoArray(tile, 9 * LANES);
        c10.intoArray(tile, 10 * LANES);
        c11.intoArray(tile, 11 * LANES);
        store(tile, rows, cols, c, cIndex, ldc, overwrite);
    }

    /**
     * A column-major strip, {@code A[r][p]} at {@code aIndex + p*lda + r} for all MR rows: the
     * caller makes sure that {@code aIndex + (kc-1)*lda + MR} stays inside {@code a} (rows past
     * {@code rows} are read, then dropped).
     */
    static void columnMajorA(int kc, float[] a, int aIndex, int lda, float[] b, int bIndex,
                             float[] c, int cIndex, int ldc, int rows, int cols, boolean overwrite, float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero, c5 = zero;
        FloatVector c6 = zero, c7 = zero, c8 = zero, c9 = zero, c10 = zero, c11 = zero;
        for (int p = 0; p < kc; p++) {
            int ai = aIndex + p * lda;
            FloatVector bv = FloatVector.fromArray(SPECIES, b, bIndex + p * LANES);
            c0 = FloatVector.broadcast(SPECIES, a[ai]).fma(bv, c0);
            c1 = FloatVector.broadcast(SPECIES, a[ai + 1]).fma(bv, c1);
            c2 = FloatVector.broadcast(SPECIES, a[ai + 2]).fma(bv, c2);
            c3 = FloatVector.broadcast(SPECIES, a[ai + 3]).fma(bv, c3);
            c4 = FloatVector.broadcast(SPECIES, a[ai + 4]).fma(bv, c4);
            c5 = FloatVector.broadcast(SPECIES, a[ai + 5]).fma(bv, c5);
            c6 = FloatVector.broadcast(SPECIES, a[ai + 6]).fma(bv, c6);
            c7 = FloatVector.broadcast(SPECIES, a[ai + 7]).fma(bv, c7);
            c8 = FloatVector.broadcast(SPECIES, a[ai + 8]).fma(bv, c8);
            c9 = FloatVector.broadcast(SPECIES, a[ai + 9]).fma(bv, c9);
            c10 = FloatVector.broadcast(SPECIES, a[ai + 10]).fma(bv, c10);
            c11 = FloatVector.broadcast(SPECIES, a[ai + 11]).fma(bv, c11);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, LANES);
        c2.intoArray(tile, 2 * LANES);
        c3.intoArray(tile, 3 * LANES);
        c4.intoArray(tile, 4 * LANES);
        c5.intoArray(tile, 5 * LANES);
        c6.intoArray(tile, 6 * LANES);
        c7.intoArray(tile, 7 * LANES);
        c8.intoArray(tile, 8 * LANES);
        c9.intoArray(tile, 9 * LANES);
        c10.intoArray(tile, 10 * LANES);
        c11.intoArray(tile, 11 * LANES);
        store(tile, rows, cols, c, cIndex, ldc, overwrite);
    }

    /**
     * The tile's {@code rows×cols} top-left part into C, row by row, with vectors masked to
     * {@code cols} lanes. Out of line (and fed from an array rather than the accumulators, which
     * would be boxed across a call) so that each kernel stays small enough for C2 to compile whole.
     */
    private static void store(float[] tile, int rows, int cols, float[] c, int cIndex, int ldc, boolean overwrite) {
        VectorMask<Float> mask = MaskedAccess.first(cols);
        int inside = MaskedAccess.rowsInside(rows, c.length, cIndex, ldc, LANES);
        for (int r = 0; r < inside; r++) {
            int ci = cIndex + r * ldc;
            FloatVector v = FloatVector.fromArray(SPECIES, tile, r * LANES);
            if (!overwrite) {
                v = v.add(FloatVector.fromArray(SPECIES, c, ci, mask));
            }
            v.intoArray(c, ci, mask);
        }
        // Rows whose vector would reach past C's end, element by element (see MaskedAccess).
        MicroKernel.storeStrided(tile, LANES, inside, rows, cols, c, cIndex, ldc, 1, overwrite);
    }
}
