package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.MicroKernel.LANES;
import static org.jvision.kernel.vector.MicroKernel.MR;
import static org.jvision.kernel.vector.MicroKernel.NR;
import static org.jvision.kernel.vector.MicroKernel.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The {@link MicroKernel}'s whole 6×32 tile for a transposed C (the product {@code Cᵀ = Bᵀ·Aᵀ},
 * {@code cRowStride == 1}), on 16 lanes: the same loop, then the tile transposed in registers and
 * stored six floats per column. The MicroKernel stores such a tile element by element, 192 scalar
 * stores a few kilobytes apart; on a dense layer's input gradient {@code dY·Wᵀ} (64×3136×256 at
 * batch 64, computed as {@code W·dYᵀ}) that store took a fifth of the time: one thread, 88 GFLOP/s
 * against 112 for the same product with a row-major C, and 106 with this kernel (Zen 4, fourteenth
 * session). All in registers: with the tile and the middle round staged through scratch memory
 * (stores, then loads of the same vectors) it read 92.
 *
 * <p>Each half of the tile (16 columns j, six rows r, one vector per row) is transposed by
 * two-vector selections in three rounds: rows in pairs, two values per column (6 selections); the
 * first four rows in quads (4); then each output vector takes two columns, rows 0–3 from a quad
 * and 4–5 from a pair (8). Output lanes 0–5 hold column j and lanes 8–13 column j + 1, stored with
 * masks, the second from eight floats before its column's start. Only tiles whose stores stay
 * inside C come here ({@link #fits}): the rest go through the MicroKernel's scratch tile.
 *
 * <p>To accumulate (a product deeper than {@link BlockedGemm#KC}, or one that adds into C), the
 * accumulators start from C's tile, copied into rows by a scalar loop ({@link #gather}), so the
 * stores are the same either way. Adding C after the transpose instead (32 masked loads and adds)
 * made this the JIT's largest compilation: C2 used 64 MB of arena to compile it and C1 gave up
 * after 58 MB, and such peaks set the process's peak resident set (twenty-second session).
 *
 * <p>The loop is the MicroKernel's, copied rather than shared: C2 compiles each kernel with its
 * own profile, and a store this size added to the MicroKernel would risk its inlining budget
 * (see {@link MicroKernel#multiply}).
 */
final class TransposedTileKernel {
    /** Index vectors of the three rounds; see {@link #indices}. */
    private static final float[] PAIR_LOW = new float[LANES];
    private static final float[] PAIR_HIGH = new float[LANES];
    private static final float[] QUAD_LOW = new float[LANES];
    private static final float[] QUAD_HIGH = new float[LANES];
    /** Lanes {@code 16(t mod 4) …}: output vector t of a half, columns 2t and 2t + 1. */
    private static final float[] OUT = new float[4 * LANES];
    private static final VectorMask<Float> EVEN_COLUMN = lanes(0);
    private static final VectorMask<Float> ODD_COLUMN = lanes(8);
    /** The accumulators' start when C is overwritten. */
    private static final float[] ZERO_TILE = new float[MR * NR];

    static {
        indices();
    }

    private TransposedTileKernel() {
    }

    /** Whether this kernel takes the whole tiles of a product: a transposed C, on 16 lanes. */
    static boolean takes(int cRowStride) {
        return LANES == 16 && cRowStride == 1;
    }

    /**
     * Whether every column's store stays inside C: column j's six floats start at
     * {@code cIndex + j·cColStride}; an even column's masked vector reaches 16 floats from there, an
     * odd column's starts 8 before it and reaches 8 past it.
     */
    static boolean fits(int cIndex, int cColStride, int cLength) {
        return cIndex + cColStride >= 8
                && cIndex + (NR - 2) * cColStride + LANES <= cLength
                && cIndex + (NR - 1) * cColStride + 8 <= cLength;
    }

    /**
     * Same operands and contract as {@link MicroKernel#multiply} for a whole tile ({@code rows ==
     * MR}, {@code cols == NR}) of a transposed C that {@link #fits}; {@code tile} holds MR × NR
     * floats of scratch for C's values when it is accumulated into.
     */
    static void multiply(int kc, float[] a, int aIndex, int aStep, int aRowStride, float[] packedB, int bIndex,
                         float[] c, int cIndex, int cColStride, boolean overwrite, float[] tile) {
        float[] start = ZERO_TILE;
        if (!overwrite) {
            gather(c, cIndex, cColStride, tile);
            start = tile;
        }
        FloatVector c00 = FloatVector.fromArray(SPECIES, start, 0);
        FloatVector c01 = FloatVector.fromArray(SPECIES, start, LANES);
        FloatVector c10 = FloatVector.fromArray(SPECIES, start, NR);
        FloatVector c11 = FloatVector.fromArray(SPECIES, start, NR + LANES);
        FloatVector c20 = FloatVector.fromArray(SPECIES, start, 2 * NR);
        FloatVector c21 = FloatVector.fromArray(SPECIES, start, 2 * NR + LANES);
        FloatVector c30 = FloatVector.fromArray(SPECIES, start, 3 * NR);
        FloatVector c31 = FloatVector.fromArray(SPECIES, start, 3 * NR + LANES);
        FloatVector c40 = FloatVector.fromArray(SPECIES, start, 4 * NR);
        FloatVector c41 = FloatVector.fromArray(SPECIES, start, 4 * NR + LANES);
        FloatVector c50 = FloatVector.fromArray(SPECIES, start, 5 * NR);
        FloatVector c51 = FloatVector.fromArray(SPECIES, start, 5 * NR + LANES);
        int o1 = aRowStride;
        int o2 = 2 * aRowStride;
        int o3 = 3 * aRowStride;
        int o4 = 4 * aRowStride;
        int o5 = 5 * aRowStride;
        for (int p = 0; p < kc; p++) {
            int ai = aIndex + p * aStep;
            int bi = bIndex + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, packedB, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, packedB, bi + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ai + o1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ai + o2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ai + o3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ai + o4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[ai + o5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        // Written out, both halves and all sixteen stores: vectors picked per half or per column in a
        // loop, or passed to a helper C2 might not inline, get boxed.
        FloatVector pairLow = FloatVector.fromArray(SPECIES, PAIR_LOW, 0);
        FloatVector pairHigh = FloatVector.fromArray(SPECIES, PAIR_HIGH, 0);
        FloatVector quadLow = FloatVector.fromArray(SPECIES, QUAD_LOW, 0);
        FloatVector quadHigh = FloatVector.fromArray(SPECIES, QUAD_HIGH, 0);
        FloatVector out0 = FloatVector.fromArray(SPECIES, OUT, 0 * LANES);
        FloatVector out1 = FloatVector.fromArray(SPECIES, OUT, 1 * LANES);
        FloatVector out2 = FloatVector.fromArray(SPECIES, OUT, 2 * LANES);
        FloatVector out3 = FloatVector.fromArray(SPECIES, OUT, 3 * LANES);
        FloatVector p01Low, p01High, p23Low, p23High, p45Low, p45High, q0, q1, q2, q3, out;
        int column;
        // Columns 0–15.
        p01Low = pairLow.selectFrom(c00, c10);
        p01High = pairHigh.selectFrom(c00, c10);
        p23Low = pairLow.selectFrom(c20, c30);
        p23High = pairHigh.selectFrom(c20, c30);
        p45Low = pairLow.selectFrom(c40, c50);
        p45High = pairHigh.selectFrom(c40, c50);
        q0 = quadLow.selectFrom(p01Low, p23Low);
        q1 = quadHigh.selectFrom(p01Low, p23Low);
        q2 = quadLow.selectFrom(p01High, p23High);
        q3 = quadHigh.selectFrom(p01High, p23High);
        out = out0.selectFrom(q0, p45Low);
        column = cIndex;
        out.intoArray(c, column, EVEN_COLUMN);
        out.intoArray(c, column + cColStride - 8, ODD_COLUMN);
        out = out1.selectFrom(q0, p45Low);
        column = cIndex + 2 * cColStride;
        out.intoArray(c, column, EVEN_COLUMN);
        out.intoArray(c, column + cColStride - 8, ODD_COLUMN);
        out = out2.selectFrom(q1, p45Low);
        column = cIndex + 4 * cColStride;
        out.intoArray(c, column, EVEN_COLUMN);
        out.intoArray(c, column + cColStride - 8, ODD_COLUMN);
        out = out3.selectFrom(q1, p45Low);
        column = cIndex + 6 * cColStride;
        out.intoArray(c, column, EVEN_COLUMN);
        out.intoArray(c, column + cColStride - 8, ODD_COLUMN);
        out = out0.selectFrom(q2, p45High);
        column = cIndex + 8 * cColStride;
        out.intoArray(c, column, EVEN_COLUMN);
        out.intoArray(c, column + cColStride - 8, ODD_COLUMN);
        out = out1.selectFrom(q2, p45High);
        column = cIndex + 10 * cColStride;
        out.intoArray(c, column, EVEN_COLUMN);
        out.intoArray(c, column + cColStride - 8, ODD_COLUMN);
        out = out2.selectFrom(q3, p45High);
        column = cIndex + 12 * cColStride;
        out.intoArray(c, column, EVEN_COLUMN);
        out.intoArray(c, column + cColStride - 8, ODD_COLUMN);
        out = out3.selectFrom(q3, p45High);
        column = cIndex + 14 * cColStride;
        out.intoArray(c, column, EVEN_COLUMN);
        out.intoArray(c, column + cColStride - 8, ODD_COLUMN);
        // Columns 16–31.
        p01Low = pairLow.selectFrom(c01, c11);
        p01High = pairHigh.selectFrom(c01, c11);
        p23Low = pairLow.selectFrom(c21, c31);
        p23High = pairHigh.selectFrom(c21, c31);
        p45Low = pairLow.selectFrom(c41, c51);
        p45High = pairHigh.selectFrom(c41, c51);
        q0 = quadLow.selectFrom(p01Low, p23Low);
        q1 = quadHigh.selectFrom(p01Low, p23Low);
        q2 = quadLow.selectFrom(p01High, p23High);
        q3 = quadHigh.selectFrom(p01High, p23High);
        out = out0.selectFrom(q0, p45Low);
        column = cIndex + 16 * cColStride;
        out.intoArray(c, column, EVEN_COLUMN);
        out.intoArray(c, column + cColStride - 8, ODD_COLUMN);
        out = out1.selectFrom(q0, p45Low);
        column = cIndex + 18 * cColStride;
        out.intoArray(c, column, EVEN_COLUMN);
        out.intoArray(c, column + cColStride - 8, ODD_COLUMN);
        out = out2.selectFrom(q1, p45Low);
        column = cIndex + 20 * cColStride;
        out.intoArray(c, column, EVEN_COLUMN);
        out.intoArray(c, column + cColStride - 8, ODD_COLUMN);
        out = out3.selectFrom(q1, p45Low);
        column = cIndex + 22 * cColStride;
        out.intoArray(c, column, EVEN_COLUMN);
        out.intoArray(c, column + cColStride - 8, ODD_COLUMN);
        out = out0.selectFrom(q2, p45High);
        column = cIndex + 24 * cColStride;
        out.intoArray(c, column, EVEN_COLUMN);
        out.intoArray(c, column + cColStride - 8, ODD_COLUMN);
        out = out1.selectFrom(q2, p45High);
        column = cIndex + 26 * cColStride;
        out.intoArray(c, column, EVEN_COLUMN);
        out.intoArray(c, column + cColStride - 8, ODD_COLUMN);
        out = out2.selectFrom(q3, p45High);
        column = cIndex + 28 * cColStride;
        out.intoArray(c, column, EVEN_COLUMN);
        out.intoArray(c, column + cColStride - 8, ODD_COLUMN);
        out = out3.selectFrom(q3, p45High);
        column = cIndex + 30 * cColStride;
        out.intoArray(c, column, EVEN_COLUMN);
        out.intoArray(c, column + cColStride - 8, ODD_COLUMN);
    }

    /** Copies C's tile into {@code tile}, row-major (row r's 32 columns from {@code r·NR}). */
    private static void gather(float[] c, int cIndex, int cColStride, float[] tile) {
        for (int j = 0; j < NR; j++) {
            int column = cIndex + j * cColStride;
            for (int r = 0; r < MR; r++) {
                tile[r * NR + j] = c[column + r];
            }
        }
    }

    /**
     * Runs the kernel, overwriting and accumulating, with A row-major and transposed, until C2 has
     * compiled it, as {@link VectorKernels} does for the other kernels. At start-up the boxed
     * vectors of its first, uncompiled calls (a quarter of a gigabyte in a second of vgg-small's
     * training when left to the first real calls) are collected while the heap is still empty.
     */
    static void warmUp() {
        int kc = 32;
        int cColStride = 40;
        float[] a = new float[MR * kc];
        float[] b = new float[kc * NR];
        float[] c = new float[NR * cColStride + LANES];
        float[] tile = new float[MR * NR];
        for (int i = 0; i < 1_500; i++) {
            boolean transposedA = (i & 1) == 0;
            multiply(kc, a, 0, transposedA ? MR : 1, transposedA ? 1 : kc, b, 0, c, 8, cColStride, (i & 2) == 0, tile);
        }
    }

    /**
     * Round 1, {@code PAIR_LOW/HIGH.selectFrom(x, y)}: lane {@code 2j + e} takes row x (e = 0) or y
     * (e = 1) of column j (columns 0–7, or 8–15). Round 2, {@code QUAD_LOW/HIGH.selectFrom(p01,
     * p23)}: lane {@code 4q + e} takes row e of column q (0–3, or 4–7, of the pairs' eight), rows
     * 0–1 from the first pair vector, 2–3 from the second. Round 3, vector {@code t mod 4} of {@code OUT} selecting from
     * {@code (quad, p45)}: lane {@code 8w + s} takes row s of column {@code 2t + w}, rows 0–3 from its quad, 4–5
     * from the pair vector of rows 4 and 5; lanes 6, 7, 14, 15 are not stored.
     */
    private static void indices() {
        for (int l = 0; l < LANES; l++) {
            int column = l / 2;
            int from = (l % 2) * LANES;
            PAIR_LOW[l] = from + column;
            PAIR_HIGH[l] = from + column + 8;
            int q = l / 4;
            int e = l % 4;
            int pairLane = 2 * q + e % 2;
            QUAD_LOW[l] = (e < 2 ? 0 : LANES) + pairLane;
            QUAD_HIGH[l] = (e < 2 ? 0 : LANES) + 8 + pairLane;
        }
        for (int t = 0; t < 4; t++) {
            for (int l = 0; l < LANES; l++) {
                int column = 2 * t + l / 8;
                int s = l % 8;
                if (s < 4) {
                    OUT[t * LANES + l] = (column % 4) * 4 + s;
                } else if (s < 6) {
                    OUT[t * LANES + l] = LANES + 2 * (column % 8) + (s - 4);
                } else {
                    OUT[t * LANES + l] = 0;
                }
            }
        }
    }

    /** Lanes {@code from … from + 5}. */
    private static VectorMask<Float> lanes(int from) {
        boolean[] set = new boolean[LANES];
        for (int l = from; l < from + MR && l < LANES; l++) {
            set[l] = true;
        }
        return VectorMask.fromArray(SPECIES, set, 0);
    }
}
