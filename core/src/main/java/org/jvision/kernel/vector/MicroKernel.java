package org.jvision.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner product of the BLIS scheme: one {@code MR×NR} tile of C from an
 * {@code MR×kc} strip of A and a {@code kc×NR} panel of packed B,
 * {@code C[r][j] (+)= sum_p A[r][p] · B[p][j]}.
 *
 * <p>The panel holds {@code B[p][j]} at {@code p*NR + j} (see {@link GemmPacking}). The strip is
 * read where it lies, {@code A[r][p]} at {@code aIndex + p*aStep + r*aRowStride}: A itself, in
 * row-major rows or, transposed, with the MR values of one p contiguous ({@link BlockedGemm}
 * never packs A). Each step of p loads the panel's
 * row as two vectors, broadcasts each of the MR values of A's column and issues 2·MR fused
 * multiply-adds into 2·MR accumulators, which stay in registers for the whole of kc: 12 of the 16
 * (AVX2) or 32 (AVX-512) vector registers, plus two for B and one for the broadcast.
 */
final class MicroKernel {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector: 8 on AVX2, 16 on AVX-512. */
    static final int LANES = SPECIES.length();
    /** Rows of the register tile. */
    static final int MR = 6;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * LANES;

    private MicroKernel() {
    }

    /**
     * Computes the tile and writes its {@code rows×cols} top-left part to C, element {@code (r, j)}
     * at {@code c[cIndex + r*cRowStride + j*cColStride]}, replacing C when {@code overwrite}, else
     * adding to it. Rows past {@code rows} repeat the last real row of A (so a ragged strip read in
     * place stays inside A) and columns past {@code cols} are zero padding; neither is stored. A
     * full tile of a row-major C is stored with vectors; an edge tile, or any tile of a transposed C
     * (the product {@code Cᵀ = Bᵀ·Aᵀ}), through {@code tile} ({@code MR*NR} floats of scratch),
     * then with masked vectors (row-major C) or element by element.
     */
    static void multiply(int kc, float[] a, int aIndex, int aStep, int aRowStride, float[] packedB, int bIndex,
                         float[] c, int cIndex, int cRowStride, int cColStride, int rows, int cols, boolean overwrite,
                         float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero;
        FloatVector c30 = zero, c31 = zero, c40 = zero, c41 = zero, c50 = zero, c51 = zero;
        int last = rows - 1;
        int o1 = Math.min(1, last) * aRowStride;
        int o2 = Math.min(2, last) * aRowStride;
        int o3 = Math.min(3, last) * aRowStride;
        int o4 = Math.min(4, last) * aRowStride;
        int o5 = Math.min(5, last) * aRowStride;
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
        if (rows == MR && cols == NR && cColStride == 1) {
            // Written out rather than through a helper: a helper C2 declines to inline gets its
            // vectors boxed, and the kernel runs ten times slower (seen once in five launches).
            int r0 = cIndex;
            int r1 = r0 + cRowStride;
            int r2 = r1 + cRowStride;
            int r3 = r2 + cRowStride;
            int r4 = r3 + cRowStride;
            int r5 = r4 + cRowStride;
            if (!overwrite) {
                c00 = c00.add(FloatVector.fromArray(SPECIES, c, r0));
                c01 = c01.add(FloatVector.fromArray(SPECIES, c, r0 + LANES));
                c10 = c10.add(FloatVector.fromArray(SPECIES, c, r1));
                c11 = c11.add(FloatVector.fromArray(SPECIES, c, r1 + LANES));
                c20 = c20.add(FloatVector.fromArray(SPECIES, c, r2));
                c21 = c21.add(FloatVector.fromArray(SPECIES, c, r2 + LANES));
                c30 = c30.add(FloatVector.fromArray(SPECIES, c, r3));
                c31 = c31.add(FloatVector.fromArray(SPECIES, c, r3 + LANES));
                c40 = c40.add(FloatVector.fromArray(SPECIES, c, r4));
                c41 = c41.add(FloatVector.fromArray(SPECIES, c, r4 + LANES));
                c50 = c50.add(FloatVector.fromArray(SPECIES, c, r5));
                c51 = c51.add(FloatVector.fromArray(SPECIES, c, r5 + LANES));
            }
            c00.intoArray(c, r0);
            c01.intoArray(c, r0 + LANES);
            c10.intoArray(c, r1);
            c11.intoArray(c, r1 + LANES);
            c20.intoArray(c, r2);
            c21.intoArray(c, r2 + LANES);
            c30.intoArray(c, r3);
            c31.intoArray(c, r3 + LANES);
            c40.intoArray(c, r4);
            c41.intoArray(c, r4 + LANES);
            c50.intoArray(c, r5);
            c51.intoArray(c, r5 + LANES);
            return;
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
        storeTile(tile, rows, cols, c, cIndex, cRowStride, cColStride, overwrite);
    }

    /** The valid {@code rows×cols} part of a tile held in {@code tile} (rows NR apart), to C. */
    static void storeTile(float[] tile, int rows, int cols, float[] c, int cIndex, int cRowStride, int cColStride,
                          boolean overwrite) {
        if (cColStride == 1) {
            storeMasked(tile, rows, cols, c, cIndex, cRowStride, overwrite);
        } else {
            storeStrided(tile, NR, 0, rows, cols, c, cIndex, cRowStride, cColStride, overwrite);
        }
    }

    /**
     * The valid part of a tile on C's bottom or right edge, to a row-major C, with vectors masked
     * to {@code cols} columns. Kept out of {@link #multiply}: inlined there, the masked accesses
     * pushed C2 past its inlining budget and the whole kernel went slow.
     *
     * <p>Rows whose vectors would reach past C's end are stored element by element (see
     * {@link MaskedAccess}).
     */
    private static void storeMasked(float[] tile, int rows, int cols, float[] c, int cIndex, int ldc,
                                    boolean overwrite) {
        if (cols < LANES) {
            VectorMask<Float> m0 = MaskedAccess.first(cols);
            int inside = MaskedAccess.rowsInside(rows, c.length, cIndex, ldc, LANES);
            for (int r = 0; r < inside; r++) {
                int ci = cIndex + r * ldc;
                FloatVector v0 = FloatVector.fromArray(SPECIES, tile, r * NR);
                if (!overwrite) {
                    v0 = v0.add(FloatVector.fromArray(SPECIES, c, ci, m0));
                }
                v0.intoArray(c, ci, m0);
            }
            storeStrided(tile, NR, inside, rows, cols, c, cIndex, ldc, 1, overwrite);
            return;
        }
        if (cols == NR) {
            // Whole rows (every tile of the RowMajorKernel comes this way): no masks. Not the
            // masked loop below with an all-true mask: C2 cannot see the mask is full, and on AVX2
            // a masked store is a vmaskmovps, several times slower than a plain one.
            for (int r = 0; r < rows; r++) {
                int ci = cIndex + r * ldc;
                FloatVector v0 = FloatVector.fromArray(SPECIES, tile, r * NR);
                FloatVector v1 = FloatVector.fromArray(SPECIES, tile, r * NR + LANES);
                if (!overwrite) {
                    v0 = v0.add(FloatVector.fromArray(SPECIES, c, ci));
                    v1 = v1.add(FloatVector.fromArray(SPECIES, c, ci + LANES));
                }
                v0.intoArray(c, ci);
                v1.intoArray(c, ci + LANES);
            }
            return;
        }
        // The first vector of each row is whole; only the second is masked.
        VectorMask<Float> m1 = MaskedAccess.first(cols - LANES);
        int inside = MaskedAccess.rowsInside(rows, c.length, cIndex, ldc, NR);
        for (int r = 0; r < inside; r++) {
            int ci = cIndex + r * ldc;
            FloatVector v0 = FloatVector.fromArray(SPECIES, tile, r * NR);
            FloatVector v1 = FloatVector.fromArray(SPECIES, tile, r * NR + LANES);
            if (!overwrite) {
                v0 = v0.add(FloatVector.fromArray(SPECIES, c, ci));
                v1 = v1.add(FloatVector.fromArray(SPECIES, c, ci + LANES, m1));
            }
            v0.intoArray(c, ci);
            v1.intoArray(c, ci + LANES, m1);
        }
        storeStrided(tile, NR, inside, rows, cols, c, cIndex, ldc, 1, overwrite);
    }


    /**
     * Rows {@code from … rows - 1} of the valid part of a tile (rows {@code tileStride} apart),
     * element by element, to a C of any strides. Also the {@link NarrowKernel}'s store for rows
     * that reach past C's end.
     */
    static void storeStrided(float[] tile, int tileStride, int from, int rows, int cols, float[] c, int cIndex,
                             int cRowStride, int cColStride, boolean overwrite) {
        for (int r = from; r < rows; r++) {
            int ci = cIndex + r * cRowStride;
            int ti = r * tileStride;
            for (int j = 0; j < cols; j++) {
                int at = ci + j * cColStride;
                c[at] = overwrite ? tile[ti + j] : c[at] + tile[ti + j];
            }
        }
    }
}
