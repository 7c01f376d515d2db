package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.MicroKernel.LANES;
import static org.jvision.kernel.vector.MicroKernel.NR;
import static org.jvision.kernel.vector.MicroKernel.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Copies blocks of B into the order the {@link MicroKernel} reads them, so that its loads are
 * sequential whatever B's transpose and leading dimension are, and pads ragged edges with zeros
 * so that the kernel always computes whole tiles. (A is read where it lies; see {@link BlockedGemm}.)
 *
 * <p>A block of B of {@code kc×nc} becomes {@code ceil(nc/NR)} panels of {@code kc×NR}: element
 * {@code (p, q*NR + j)} at {@code q*NR*kc + p*NR + j}.
 */
final class GemmPacking {
    private GemmPacking() {
    }

    /** Packs depths {@code [p0, p0+kc)} and columns {@code [j0, j0+nc)} of B into {@code dst}. */
    static void packB(GemmProblem g, int p0, int kc, int j0, int nc, float[] dst) {
        float[] b = g.b();
        int rowStride = g.bRowStride();
        int colStride = g.bColStride();
        for (int q = 0; q * NR < nc; q++) {
            int cols = Math.min(NR, nc - q * NR);
            int src = g.bOffset() + p0 * rowStride + (j0 + q * NR) * colStride;
            int base = q * NR * kc;
            int inside = 0;
            if (colStride == 1) {
                // B row-major: the panel's NR values for one p are contiguous in memory; copied
                // as two vectors, masked to the panel's columns on the right edge (zeros past it),
                // but for rows that would reach past B's end (see MaskedAccess).
                VectorMask<Float> m0 = MaskedAccess.first(cols);
                VectorMask<Float> m1 = MaskedAccess.first(cols - LANES);
                inside = MaskedAccess.rowsInside(kc, b.length, src, rowStride, NR);
                for (int p = 0; p < inside; p++) {
                    int from = src + p * rowStride;
                    int to = base + p * NR;
                    FloatVector.fromArray(SPECIES, b, from, m0).intoArray(dst, to);
                    FloatVector.fromArray(SPECIES, b, from + LANES, m1).intoArray(dst, to + LANES);
                }
            } else if (rowStride == 1) {
                // B transposed (its columns contiguous along p): whole 8×8 squares transposed in
                // registers, then the columns right of them (and the zero padding) element by
                // element for the same depths; the depths below the squares go to the loop below.
                inside = kc & -TransposedPacking.SIDE;
                int width = cols & -TransposedPacking.SIDE;
                TransposedPacking.pack(b, src, colStride, inside, width, dst, base);
                for (int p = 0; p < inside; p++) {
                    int to = base + p * NR;
                    for (int j = width; j < NR; j++) {
                        dst[to + j] = j < cols ? b[src + j * colStride + p] : 0f;
                    }
                }
            }
            // The rest element by element, a row of the panel at a time: written in order, read
            // from the panel's NR columns (a transposed B's rows, each contiguous along p, so the
            // lines stay in L1 over the next fifteen p). Column by column, written with stride NR,
            // 64×256×128 on one thread read 0.35x–0.37x of OpenBLAS in a long run of all the layer
            // shapes, and 0.80x with this order (thirteenth session). (Gathers were a sixteenth
            // faster, but their index check, like a masked access past an array's end, made C2 box
            // vectors.)
            for (int p = inside; p < kc; p++) {
                int from = src + p * rowStride;
                int to = base + p * NR;
                for (int j = 0; j < cols; j++) {
                    dst[to + j] = b[from + j * colStride];
                }
            }
            for (int j = cols; j < NR; j++) {
                for (int p = inside; p < kc; p++) {
                    dst[base + p * NR + j] = 0f;
                }
            }
        }
    }
}
