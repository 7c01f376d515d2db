package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.MicroKernel.LANES;
import static org.jvision.kernel.vector.MicroKernel.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * The register tile for a C of nine or ten columns with a transposed A, on 16-lane vectors: a
 * 10-class head's weight gradient {@code Xᵀ·dY}, where A's rows (X's columns) lie side by side in
 * memory. Thirty-two rows of C, two vectors read straight from one row of X per step of p, by ten
 * columns, one broadcast of {@code B[p][j]} each: twenty accumulators, two multiply-adds per
 * broadcast and every lane busy, where the {@link NarrowKernel} has one broadcast per
 * multiply-add and six idle lanes out of sixteen.
 *
 * <p>The tile is C transposed (a vector holds one column over 32 rows), so it goes to
 * {@code out} as {@code out[j·32 + r]} and {@link TenColumnGemm} writes it into C.
 */
final class TransposedTenColumnKernel {
    /** Rows of C per tile: two vectors. */
    static final int ROWS = 2 * LANES;

    private TransposedTenColumnKernel() {
    }

    /**
     * Rows {@code [0, 32)} of C over k depths: {@code A[r][p]} at {@code aIndex + p·lda + r} (the
     * caller keeps {@code aIndex + (k-1)·lda + 32} inside {@code a}), {@code B[p][j]} at
     * {@code bIndex + p·ldb + j}. With nine columns the tenth repeats the ninth, to be dropped.
     */
    static void multiply(int k, float[] a, int aIndex, int lda, float[] b, int bIndex, int ldb, int n, float[] out) {
        int last = Math.min(9, n - 1);
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero, c5 = zero, c6 = zero, c7 = zero;
        FloatVector c8 = zero, c9 = zero, d0 = zero, d1 = zero, d2 = zero, d3 = zero, d4 = zero, d5 = zero;
        FloatVector d6 = zero, d7 = zero, d8 = zero, d9 = zero;
        for (int p = 0; p < k; p++) {
            int ai = aIndex + p * lda;
            int bi = bIndex + p * ldb;
            FloatVector x = FloatVector.fromArray(SPECIES, a, ai);
            FloatVector y = FloatVector.fromArray(SPECIES, a, ai + LANES);
            FloatVector s = FloatVector.broadcast(SPECIES, b[bi]);
            c0 = s.fma(x, c0); d0 = s.fma(y, d0);
            s = FloatVector.broadcast(SPECIES, b[bi + 1]);
            c1 = s.fma(x, c1); d1 = s.fma(y, d1);
            s = FloatVector.broadcast(SPECIES, b[bi + 2]);
            c2 = s.fma(x, c2); d2 = s.fma(y, d2);
            s = FloatVector.broadcast(SPECIES, b[bi + 3]);
            c3 = s.fma(x, c3); d3 = s.fma(y, d3);
            s = FloatVector.broadcast(SPECIES, b[bi + 4]);
            c4 = s.fma(x, c4); d4 = s.fma(y, d4);
            s = FloatVector.broadcast(SPECIES, b[bi + 5]);
            c5 = s.fma(x, c5); d5 = s.fma(y, d5);
            s = FloatVector.broadcast(SPECIES, b[bi + 6]);
            c6 = s.fma(x, c6); d6 = s.fma(y, d6);
            s = FloatVector.broadcast(SPECIES, b[bi + 7]);
            c7 = s.fma(x, c7); d7 = s.fma(y, d7);
            s = FloatVector.broadcast(SPECIES, b[bi + 8]);
            c8 = s.fma(x, c8); d8 = s.fma(y, d8);
            s = FloatVector.broadcast(SPECIES, b[bi + last]);
            c9 = s.fma(x, c9); d9 = s.fma(y, d9);
        }
        c0.intoArray(out, 0); d0.intoArray(out, LANES);
        c1.intoArray(out, ROWS); d1.intoArray(out, ROWS + LANES);
        c2.intoArray(out, 2 * ROWS); d2.intoArray(out, 2 * ROWS + LANES);
        c3.intoArray(out, 3 * ROWS); d3.intoArray(out, 3 * ROWS + LANES);
        c4.intoArray(out, 4 * ROWS); d4.intoArray(out, 4 * ROWS + LANES);
        c5.intoArray(out, 5 * ROWS); d5.intoArray(out, 5 * ROWS + LANES);
        c6.intoArray(out, 6 * ROWS); d6.intoArray(out, 6 * ROWS + LANES);
        c7.intoArray(out, 7 * ROWS); d7.intoArray(out, 7 * ROWS + LANES);
        c8.intoArray(out, 8 * ROWS); d8.intoArray(out, 8 * ROWS + LANES);
        c9.intoArray(out, 9 * ROWS); d9.intoArray(out, 9 * ROWS + LANES);
    }
}
