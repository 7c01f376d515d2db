package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.MicroKernel.LANES;
import static org.jvision.kernel.vector.MicroKernel.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * The register tile for a C of nine or ten columns with a row-major A, on 16-lane vectors: a
 * 10-class head's forward product {@code X·W}. Three rows of A by five vectors, each vector two
 * columns of C over a group of eight depths: lane {@code 8h + d} of vector {@code v} sums
 * {@code A[r][8g + d] · B[8g + d][2v + h]}.
 *
 * <p>Why not the {@link NarrowKernel}: it spends one broadcast of A per multiply-add and leaves six
 * of sixteen lanes idle on ten columns. On Zen 4 a broadcast costs a third of a multiply-add's
 * slot (register loops: 113 GFLOP/s of FMAs alone, 85 with one broadcast each), and that kernel
 * ran the 64×10×128 head at 42 GFLOP/s against OpenBLAS's 61. Here sixteen depths of a row of A
 * are one plain load; its low and high halves, each repeated across both halves of a vector
 * ({@link #LOW}, {@link #HIGH}), meet the two groups of B: one permutation per five multiply-adds,
 * every lane busy. The price is that each output ends up spread over eight lanes;
 * {@link TenColumnGemm} adds them up afterwards, sixteen outputs at a time.
 *
 * <p>B comes packed by {@link TenColumnGemm#packB}: group {@code g}'s five vectors at
 * {@code 80·g}, zero past column n and past depth k. The tile's sums go to {@code sums} at
 * {@code sumIndex + (r·5 + v)·16}, for all three rows; rows past {@code rows} repeat the last
 * real row of A (read in place, so always inside it) and their sums are to be ignored.
 *
 * <p>Three rows, not four: with four, the 20 accumulators, ten vectors of B and the shuffles did
 * not fit in 32 registers and C2 spilled inside the loop. One thread, 64×10×84 and 64×10×128:
 * 2.13 and 2.35 µs with four rows, 1.91 and 2.21 with three.
 */
final class TenColumnKernel {
    /** Rows of the tile. */
    static final int ROWS = 3;
    /** Vectors per row: column pairs. */
    static final int PAIRS = 5;
    /** Depths of a group: half a vector. */
    static final int GROUP = LANES / 2;
    /** Floats of packed B per group. */
    static final int GROUP_SIZE = PAIRS * LANES;
    /** Floats of sums per row of the tile. */
    static final int ROW_SIZE = PAIRS * LANES;

    /** Lanes 0..7 of a vector repeated in both halves. */
    private static final VectorShuffle<Float> LOW = VectorShuffle.fromOp(SPECIES, i -> i % GROUP);
    /** Lanes 8..15 repeated in both halves. */
    private static final VectorShuffle<Float> HIGH = VectorShuffle.fromOp(SPECIES, i -> GROUP + i % GROUP);

    private TenColumnKernel() {
    }

    /**
     * Sums rows {@code [0, rows)} of A ({@code A[r][p]} at {@code aIndex + r·lda + p}, k depths)
     * against packed B. {@code tail} (three vectors of scratch) takes copies of the last
     * {@code k mod 16} depths of each row, zero-padded, so that no load reaches past a row.
     */
    static void multiply(int k, float[] a, int aIndex, int lda, int rows, float[] b, float[] sums, int sumIndex,
                         float[] tail) {
        int last = rows - 1;
        int a0 = aIndex;
        int a1 = aIndex + Math.min(1, last) * lda;
        int a2 = aIndex + Math.min(2, last) * lda;
        int blocks = k / LANES;
        int done = blocks * LANES;
        int rest = k - done;
        // The last k mod 16 depths are read as whole vectors, their lanes past k zeroed, where the
        // farthest row's vector fits in A; otherwise from zero-padded copies, made before the loop
        // so that nothing is called while the accumulators are live.
        boolean inPlace = a2 + done + LANES <= a.length;
        if (rest > 0 && !inPlace) {
            copyTail(a, a0 + done, rest, tail, 0);
            copyTail(a, a1 + done, rest, tail, LANES);
            copyTail(a, a2 + done, rest, tail, 2 * LANES);
        }
        float[] t = inPlace ? a : tail;
        int t0 = inPlace ? a0 + done : 0;
        int t1 = inPlace ? a1 + done : LANES;
        int t2 = inPlace ? a2 + done : 2 * LANES;
        VectorMask<Float> past = MaskedAccess.first(rest).not();
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c02 = zero, c03 = zero, c04 = zero;
        FloatVector c10 = zero, c11 = zero, c12 = zero, c13 = zero, c14 = zero;
        FloatVector c20 = zero, c21 = zero, c22 = zero, c23 = zero, c24 = zero;
        for (int q = 0; q < blocks; q++) {
            int p = q * LANES;
            FloatVector x0 = FloatVector.fromArray(SPECIES, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(SPECIES, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(SPECIES, a, a2 + p);
            int bi = 2 * q * GROUP_SIZE;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bi + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(SPECIES, b, bi + 3 * LANES);
            FloatVector b4 = FloatVector.fromArray(SPECIES, b, bi + 4 * LANES);
            FloatVector y = x0.rearrange(LOW);
            c00 = y.fma(b0, c00); c01 = y.fma(b1, c01); c02 = y.fma(b2, c02); c03 = y.fma(b3, c03); c04 = y.fma(b4, c04);
            y = x1.rearrange(LOW);
            c10 = y.fma(b0, c10); c11 = y.fma(b1, c11); c12 = y.fma(b2, c12); c13 = y.fma(b3, c13); c14 = y.fma(b4, c14);
            y = x2.rearrange(LOW);
            c20 = y.fma(b0, c20); c21 = y.fma(b1, c21); c22 = y.fma(b2, c22); c23 = y.fma(b3, c23); c24 = y.fma(b4, c24);
            b0 = FloatVector.fromArray(SPECIES, b, bi + GROUP_SIZE);
            b1 = FloatVector.fromArray(SPECIES, b, bi + GROUP_SIZE + LANES);
            b2 = FloatVector.fromArray(SPECIES, b, bi + GROUP_SIZE + 2 * LANES);
            b3 = FloatVector.fromArray(SPECIES, b, bi + GROUP_SIZE + 3 * LANES);
            b4 = FloatVector.fromArray(SPECIES, b, bi + GROUP_SIZE + 4 * LANES);
            y = x0.rearrange(HIGH);
            c00 = y.fma(b0, c00); c01 = y.fma(b1, c01); c02 = y.fma(b2, c02); c03 = y.fma(b3, c03); c04 = y.fma(b4, c04);
            y = x1.rearrange(HIGH);
            c10 = y.fma(b0, c10); c11 = y.fma(b1, c11); c12 = y.fma(b2, c12); c13 = y.fma(b3, c13); c14 = y.fma(b4, c14);
            y = x2.rearrange(HIGH);
            c20 = y.fma(b0, c20); c21 = y.fma(b1, c21); c22 = y.fma(b2, c22); c23 = y.fma(b3, c23); c24 = y.fma(b4, c24);
        }
        // The last k mod 16 depths, from the zero-padded copies: one group, or two past eight.
        if (rest > 0) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, t, t0).blend(zero, past);
            FloatVector x1 = FloatVector.fromArray(SPECIES, t, t1).blend(zero, past);
            FloatVector x2 = FloatVector.fromArray(SPECIES, t, t2).blend(zero, past);
            int bi = 2 * blocks * GROUP_SIZE;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bi + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(SPECIES, b, bi + 3 * LANES);
            FloatVector b4 = FloatVector.fromArray(SPECIES, b, bi + 4 * LANES);
            FloatVector y = x0.rearrange(LOW);
            c00 = y.fma(b0, c00); c01 = y.fma(b1, c01); c02 = y.fma(b2, c02); c03 = y.fma(b3, c03); c04 = y.fma(b4, c04);
            y = x1.rearrange(LOW);
            c10 = y.fma(b0, c10); c11 = y.fma(b1, c11); c12 = y.fma(b2, c12); c13 = y.fma(b3, c13); c14 = y.fma(b4, c14);
            y = x2.rearrange(LOW);
            c20 = y.fma(b0, c20); c21 = y.fma(b1, c21); c22 = y.fma(b2, c22); c23 = y.fma(b3, c23); c24 = y.fma(b4, c24);
            if (rest > GROUP) {
                b0 = FloatVector.fromArray(SPECIES, b, bi + GROUP_SIZE);
                b1 = FloatVector.fromArray(SPECIES, b, bi + GROUP_SIZE + LANES);
                b2 = FloatVector.fromArray(SPECIES, b, bi + GROUP_SIZE + 2 * LANES);
                b3 = FloatVector.fromArray(SPECIES, b, bi + GROUP_SIZE + 3 * LANES);
                b4 = FloatVector.fromArray(SPECIES, b, bi + GROUP_SIZE + 4 * LANES);
                y = x0.rearrange(HIGH);
                c00 = y.fma(b0, c00); c01 = y.fma(b1, c01); c02 = y.fma(b2, c02); c03 = y.fma(b3, c03); c04 = y.fma(b4, c04);
                y = x1.rearrange(HIGH);
                c10 = y.fma(b0, c10); c11 = y.fma(b1, c11); c12 = y.fma(b2, c12); c13 = y.fma(b3, c13); c14 = y.fma(b4, c14);
                y = x2.rearrange(HIGH);
                c20 = y.fma(b0, c20); c21 = y.fma(b1, c21); c22 = y.fma(b2, c22); c23 = y.fma(b3, c23); c24 = y.fma(b4, c24);
            }
        }
        int s = sumIndex;
        c00.intoArray(sums, s); c01.intoArray(sums, s + LANES); c02.intoArray(sums, s + 2 * LANES);
        c03.intoArray(sums, s + 3 * LANES); c04.intoArray(sums, s + 4 * LANES);
        s += ROW_SIZE;
        c10.intoArray(sums, s); c11.intoArray(sums, s + LANES); c12.intoArray(sums, s + 2 * LANES);
        c13.intoArray(sums, s + 3 * LANES); c14.intoArray(sums, s + 4 * LANES);
        s += ROW_SIZE;
        c20.intoArray(sums, s); c21.intoArray(sums, s + LANES); c22.intoArray(sums, s + 2 * LANES);
        c23.intoArray(sums, s + 3 * LANES); c24.intoArray(sums, s + 4 * LANES);
    }

    private static void copyTail(float[] a, int from, int count, float[] tail, int to) {
        for (int i = 0; i < LANES; i++) {
            tail[to + i] = i < count ? a[from + i] : 0f;
        }
    }
}
