package org.jvision.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner product of the BLIS scheme: one {@code MR×NR} tile of C from an
 * {@code MR×kc} strip of A and a {@code kc×NR} panel of packed B,
 * {@code C[r][j] (+)= sum_p A[r][p] · B[p][j]}.
 *
 * <p>The panel holds {@code B[p][j]} at {@code p*NR + j} (see {@link GemmPacking}). The strip is
 * read where it lies, {@code A[r][p]} at {@code aIndex + p*aStep + r*aRowStride}: a packed strip
 * ({@code aStep = MR}, {@code aRowStride = 1}), or A itself when packing would not pay (row-major
 * rows, or a transposed A whose MR values per p are contiguous). Each step of p loads the panel's
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
     * Computes the tile and writes its {@code rows×cols} top-left part to C at
     * {@code c[cIndex + r*ldc + j]}, replacing C when {@code overwrite}, else adding to it. Rows
     * past {@code rows} repeat the last real row of A (so a ragged strip read in place stays inside
     * A) and columns past {@code cols} are zero padding; neither is stored. A full tile is stored
     * with vectors, an edge tile through {@code tile} ({@code MR*NR} floats of scratch).
     */
    static void multiply(int kc, float[] a, int aIndex, int aStep, int aRowStride, float[] packedB, int bIndex,
                         float[] c, int cIndex, int ldc, int rows, int cols, boolean overwrite, float[] tile) {
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
        if (rows == MR && cols == NR) {
            int ci = cIndex;
            store(c00, c01, c, ci, overwrite);
            store(c10, c11, c, ci += ldc, overwrite);
            store(c20, c21, c, ci += ldc, overwrite);
            store(c30, c31, c, ci += ldc, overwrite);
            store(c40, c41, c, ci += ldc, overwrite);
            store(c50, c51, c, ci + ldc, overwrite);
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
        storeEdge(tile, rows, cols, c, cIndex, ldc, overwrite);
    }

    /** One full row of the tile: two vectors at {@code c[ci..ci+NR)}. */
    private static void store(FloatVector v0, FloatVector v1, float[] c, int ci, boolean overwrite) {
        if (!overwrite) {
            v0 = v0.add(FloatVector.fromArray(SPECIES, c, ci));
            v1 = v1.add(FloatVector.fromArray(SPECIES, c, ci + LANES));
        }
        v0.intoArray(c, ci);
        v1.intoArray(c, ci + LANES);
    }

    /** The valid part of a tile on C's bottom or right edge, element by element. */
    private static void storeEdge(float[] tile, int rows, int cols, float[] c, int cIndex, int ldc, boolean overwrite) {
        for (int r = 0; r < rows; r++) {
            int ci = cIndex + r * ldc;
            int ti = r * NR;
            for (int j = 0; j < cols; j++) {
                c[ci + j] = overwrite ? tile[ti + j] : c[ci + j] + tile[ti + j];
            }
        }
    }
}
