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

    /**
     * Packs depths {@code [p0, p0+kc)} and columns {@code [j0, j0+nc)} of B into {@code dst};
     * {@code offsets} is scratch for one gather index per lane.
     */
    static void packB(GemmProblem g, int p0, int kc, int j0, int nc, float[] dst, int[] offsets) {
        float[] b = g.b();
        int rowStride = g.bRowStride();
        int colStride = g.bColStride();
        if (colStride != 1) {
            for (int j = 0; j < LANES; j++) {
                offsets[j] = j * colStride;
            }
        }
        for (int q = 0; q * NR < nc; q++) {
            int cols = Math.min(NR, nc - q * NR);
            int src = g.bOffset() + p0 * rowStride + (j0 + q * NR) * colStride;
            int base = q * NR * kc;
            if (colStride == 1) {
                // B row-major: the panel's NR values for one p are contiguous in memory; copied
                // as two vectors, masked to the panel's columns on the right edge (zeros past it).
                VectorMask<Float> m0 = SPECIES.indexInRange(0, cols);
                VectorMask<Float> m1 = SPECIES.indexInRange(LANES, cols);
                for (int p = 0; p < kc; p++) {
                    int from = src + p * rowStride;
                    int to = base + p * NR;
                    FloatVector.fromArray(SPECIES, b, from, m0).intoArray(dst, to);
                    FloatVector.fromArray(SPECIES, b, from + LANES, m1).intoArray(dst, to + LANES);
                }
            } else if (cols == NR) {
                // B transposed, a whole panel: each vector gathers one p of LANES columns, whose
                // values lie colStride apart (64×256×128 a sixteenth faster than element by element).
                int second = src + LANES * colStride;
                for (int p = 0; p < kc; p++) {
                    int to = base + p * NR;
                    FloatVector.fromArray(SPECIES, b, src + p * rowStride, offsets, 0).intoArray(dst, to);
                    FloatVector.fromArray(SPECIES, b, second + p * rowStride, offsets, 0).intoArray(dst, to + LANES);
                }
            } else {
                // B transposed, the ragged panel: read each column along p (contiguous), write
                // with stride NR.
                for (int j = 0; j < cols; j++) {
                    int from = src + j * colStride;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * NR + j] = b[from + p * rowStride];
                    }
                }
                for (int j = cols; j < NR; j++) {
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * NR + j] = 0f;
                    }
                }
            }
        }
    }
}
