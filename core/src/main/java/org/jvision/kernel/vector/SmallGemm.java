package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.MicroKernel.LANES;
import static org.jvision.kernel.vector.MicroKernel.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * Products too small for packing to pay: {@code C[i,:] (+)= sum_p A[i,p] · B[p,:]} row by row on
 * one thread, with vectors along the row of C when B's rows are contiguous.
 */
final class SmallGemm {
    private SmallGemm() {
    }

    static void run(GemmProblem g) {
        float[] a = g.a();
        float[] b = g.b();
        float[] c = g.c();
        int n = g.n();
        boolean contiguous = g.bColStride() == 1;
        for (int i = 0; i < g.m(); i++) {
            int cRow = g.cOffset() + i * g.cRowStride();
            if (!g.accumulate()) {
                for (int j = 0; j < n; j++) {
                    c[cRow + j] = 0f;
                }
            }
            int aRow = g.aOffset() + i * g.aRowStride();
            for (int p = 0; p < g.k(); p++) {
                float aip = a[aRow + p * g.aColStride()];
                int bRow = g.bOffset() + p * g.bRowStride();
                int j = 0;
                if (contiguous) {
                    FloatVector av = FloatVector.broadcast(SPECIES, aip);
                    for (; j <= n - LANES; j += LANES) {
                        av.fma(FloatVector.fromArray(SPECIES, b, bRow + j), FloatVector.fromArray(SPECIES, c, cRow + j))
                                .intoArray(c, cRow + j);
                    }
                }
                for (; j < n; j++) {
                    int ci = cRow + j;
                    c[ci] = Math.fma(aip, b[bRow + j * g.bColStride()], c[ci]);
                }
            }
        }
    }
}
