package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.MicroKernel.LANES;
import static org.jvision.kernel.vector.MicroKernel.NR;
import static org.jvision.kernel.vector.MicroKernel.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * The {@link MicroKernel}'s {@code MR×NR} tile for a row-major strip of A, {@code A[r][p]} at
 * {@code aIndex + r*lda + p}: each of the six rows is a unit-stride stream of p, whose index C2
 * can prove in range once before the loop. The general kernel's {@code aIndex + p*aStep + r*aRowStride}
 * has a variable scale, so C2 checks each of its six loads of A on every step and recomputes the
 * products; with 16 vector registers (AVX2) that loop is over 40 instructions for 12 multiply-adds
 * and runs far below the FMA peak. Here the loop is the loads, the broadcasts and the FMAs.
 *
 * <p>Same packed B, C and edge contract as {@link MicroKernel#multiply}; the tile always goes to C
 * through {@code tile} and {@link MicroKernel#storeTile} (twelve more stores and loads per tile,
 * against thousands of multiply-adds), which keeps this loop small enough for C2 to compile whole.
 */
final class RowMajorKernel {
    /**
     * Whether {@link BlockedGemm} uses this kernel for a row-major A: with 16 vector registers
     * (AVX2). Zen 3, one thread, against OpenBLAS in alternating rounds: 392×64×288 0.73x–0.77x →
     * 0.81x–0.90x, 1024³ 0.52x–0.73x → 0.73x–0.76x (eighth session, change 22 of BENCHMARKS.md). With 32 registers (AVX-512) the general kernel keeps
     * its accumulators without spills and was measured as fast or faster (seventh session), so it
     * stays there.
     */
    static final boolean PREFERRED = LANES == 8;

    private RowMajorKernel() {
    }

    static void multiply(int kc, float[] a, int aIndex, int lda, float[] packedB, int bIndex,
                         float[] c, int cIndex, int cRowStride, int cColStride, int rows, int cols, boolean overwrite,
                         float[] tile) {
        int last = rows - 1;
        int a0 = aIndex;
        int a1 = aIndex + Math.min(1, last) * lda;
        int a2 = aIndex + Math.min(2, last) * lda;
        int a3 = aIndex + Math.min(3, last) * lda;
        int a4 = aIndex + Math.min(4, last) * lda;
        int a5 = aIndex + Math.min(5, last) * lda;
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero;
        FloatVector c30 = zero, c31 = zero, c40 = zero, c41 = zero, c50 = zero, c51 = zero;
        for (int p = 0; p < kc; p++) {
            int bi = bIndex + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, packedB, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, packedB, bi + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[a4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[a5 + p]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
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
        MicroKernel.storeTile(tile, rows, cols, c, cIndex, cRowStride, cColStride, overwrite);
    }
}
