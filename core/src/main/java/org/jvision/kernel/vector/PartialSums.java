package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.MicroKernel.LANES;
import static org.jvision.kernel.vector.MicroKernel.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * The last pass of a product split over its depth: {@code C = (C or 0) + block 0 + block 1 + ...},
 * the blocks dense row-major {@code m×n}, added in that order for every element, so that the
 * bits do not depend on which thread sums which rows. A row of a C stored row by row goes a
 * vector at a time (each lane the same additions, in the same order, as the loop), its tail and a
 * transposed C element by element.
 */
final class PartialSums {
    private PartialSums() {
    }

    /** Rows {@code [from, to)} of C from {@code parts} blocks of {@code m×n} at the start of {@code partial}. */
    static void addRows(GemmProblem g, float[] partial, int parts, int from, int to) {
        int m = g.m();
        int n = g.n();
        int size = m * n;
        float[] c = g.c();
        boolean rowMajor = g.cColStride() == 1;
        int whole = rowMajor ? n - n % LANES : 0;
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int i = from; i < to; i++) {
            int ci = g.cOffset() + i * g.cRowStride();
            for (int j = 0; j < whole; j += LANES) {
                FloatVector sum = g.accumulate() ? FloatVector.fromArray(SPECIES, c, ci + j) : zero;
                for (int t = 0; t < parts; t++) {
                    sum = sum.add(FloatVector.fromArray(SPECIES, partial, t * size + i * n + j));
                }
                sum.intoArray(c, ci + j);
            }
            for (int j = whole; j < n; j++) {
                int at = ci + j * g.cColStride();
                float sum = g.accumulate() ? c[at] : 0f;
                for (int t = 0; t < parts; t++) {
                    sum += partial[t * size + i * n + j];
                }
                c[at] = sum;
            }
        }
    }
}
