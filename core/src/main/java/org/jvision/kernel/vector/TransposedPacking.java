package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.MicroKernel.NR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packs the whole 8×8 squares of a transposed B's panel ({@code B[p][j]} at {@code j*ldb + p}: a
 * dense layer's weights in {@code dY·Wᵀ}) by transposing them in registers: eight loads of eight
 * contiguous p, three rounds of interleaving, eight stores of eight columns. Element by element
 * each value costs a load, a store and their index arithmetic; a 64×256×128 product spent as long
 * packing its B as multiplying (see {@link GemmPacking}).
 *
 * <p>Eight lanes on either width: the panel is two (AVX2) or four (AVX-512) squares wide, and a
 * 16×16 square would need four rounds of two-vector rearranges for twice the lanes.
 */
final class TransposedPacking {
    static final VectorSpecies<Float> EIGHT = FloatVector.SPECIES_256;
    /** Side of a square. */
    static final int SIDE = 8;
    /** Lanes 0–3 of x and y interleaved, {@code x0 y0 x1 y1 x2 y2 x3 y3}; indices 8+ are y's. */
    private static final VectorShuffle<Float> LOW = VectorShuffle.fromValues(EIGHT, 0, 8, 1, 9, 2, 10, 3, 11);
    /** Lanes 4–7 of x and y interleaved. */
    private static final VectorShuffle<Float> HIGH = VectorShuffle.fromValues(EIGHT, 4, 12, 5, 13, 6, 14, 7, 15);

    private TransposedPacking() {
    }

    /**
     * Writes {@code dst[to + p*NR + j] = b[from + j*ldb + p]} for p in {@code [0, depth)} and j in
     * {@code [0, width)}, both multiples of {@link #SIDE}. Each of the {@code width} rows of B read
     * must hold {@code depth} floats from {@code from + j*ldb}.
     */
    static void pack(float[] b, int from, int ldb, int depth, int width, float[] dst, int to) {
        transpose(b, from, ldb, depth, width, dst, to, NR);
    }

    /**
     * Writes {@code dst[to + p*dstStride + j] = src[from + j*srcStride + p]} for p in
     * {@code [0, along)} and j in {@code [0, across)}, both multiples of {@link #SIDE}: the
     * transpose of {@code across} rows of {@code along} contiguous floats.
     */
    static void transpose(float[] src, int from, int srcStride, int along, int across, float[] dst, int to,
                          int dstStride) {
        float[] b = src;
        int ldb = srcStride;
        for (int j0 = 0; j0 < across; j0 += SIDE) {
            int row = from + j0 * ldb;
            for (int p0 = 0; p0 < along; p0 += SIDE) {
                int at = row + p0;
                FloatVector r0 = FloatVector.fromArray(EIGHT, b, at);
                FloatVector r1 = FloatVector.fromArray(EIGHT, b, at + ldb);
                FloatVector r2 = FloatVector.fromArray(EIGHT, b, at + 2 * ldb);
                FloatVector r3 = FloatVector.fromArray(EIGHT, b, at + 3 * ldb);
                FloatVector r4 = FloatVector.fromArray(EIGHT, b, at + 4 * ldb);
                FloatVector r5 = FloatVector.fromArray(EIGHT, b, at + 5 * ldb);
                FloatVector r6 = FloatVector.fromArray(EIGHT, b, at + 6 * ldb);
                FloatVector r7 = FloatVector.fromArray(EIGHT, b, at + 7 * ldb);
                // Three perfect shuffles of the eight rows (row i with row i+4, low and high
                // halves) leave column q of the square in vector q.
                FloatVector s0 = r0.rearrange(LOW, r4);
                FloatVector s1 = r0.rearrange(HIGH, r4);
                FloatVector s2 = r1.rearrange(LOW, r5);
                FloatVector s3 = r1.rearrange(HIGH, r5);
                FloatVector s4 = r2.rearrange(LOW, r6);
                FloatVector s5 = r2.rearrange(HIGH, r6);
                FloatVector s6 = r3.rearrange(LOW, r7);
                FloatVector s7 = r3.rearrange(HIGH, r7);
                r0 = s0.rearrange(LOW, s4);
                r1 = s0.rearrange(HIGH, s4);
                r2 = s1.rearrange(LOW, s5);
                r3 = s1.rearrange(HIGH, s5);
                r4 = s2.rearrange(LOW, s6);
                r5 = s2.rearrange(HIGH, s6);
                r6 = s3.rearrange(LOW, s7);
                r7 = s3.rearrange(HIGH, s7);
                int out = to + p0 * dstStride + j0;
                r0.rearrange(LOW, r4).intoArray(dst, out);
                r0.rearrange(HIGH, r4).intoArray(dst, out + dstStride);
                r1.rearrange(LOW, r5).intoArray(dst, out + 2 * dstStride);
                r1.rearrange(HIGH, r5).intoArray(dst, out + 3 * dstStride);
                r2.rearrange(LOW, r6).intoArray(dst, out + 4 * dstStride);
                r2.rearrange(HIGH, r6).intoArray(dst, out + 5 * dstStride);
                r3.rearrange(LOW, r7).intoArray(dst, out + 6 * dstStride);
                r3.rearrange(HIGH, r7).intoArray(dst, out + 7 * dstStride);
            }
        }
    }
}
