package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.MicroKernel.LANES;
import static org.jvision.kernel.vector.MicroKernel.NR;
import static org.jvision.kernel.vector.MicroKernel.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * Half the {@link MicroKernel}'s tile, {@code 3×NR}, for a strip of A of at most three rows: the
 * ragged last strip of an A whose rows are not a multiple of six. The six-row kernel would repeat
 * the strip's last row to fill its tile and spend half or more of its multiply-adds on it; this one
 * spends none. It matters where A has few rows: the weight gradient of a 3×3 convolution over one
 * channel, 9×32×784, is one whole strip and one of three rows (12 rows of work down to 9), and a
 * 5×5 one, 25 rows, ends in a strip of one.
 *
 * <p>Same operands, layout and contract as {@link MicroKernel#multiply}, with {@code rows ≤ 3}.
 */
final class ThreeRowKernel {
    /** Rows of the register tile. */
    static final int ROWS = 3;

    private ThreeRowKernel() {
    }

    static void multiply(int kc, float[] a, int aIndex, int aStep, int aRowStride, float[] packedB, int bIndex,
                         float[] c, int cIndex, int cRowStride, int cColStride, int rows, int cols, boolean overwrite,
                         float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero;
        int last = rows - 1;
        int o1 = Math.min(1, last) * aRowStride;
        int o2 = Math.min(2, last) * aRowStride;
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
        }
        if (rows == ROWS && cols == NR && cColStride == 1) {
            // Written out, as in MicroKernel: vectors handed to a helper C2 does not inline are boxed.
            int r0 = cIndex;
            int r1 = r0 + cRowStride;
            int r2 = r1 + cRowStride;
            if (!overwrite) {
                c00 = c00.add(FloatVector.fromArray(SPECIES, c, r0));
                c01 = c01.add(FloatVector.fromArray(SPECIES, c, r0 + LANES));
                c10 = c10.add(FloatVector.fromArray(SPECIES, c, r1));
                c11 = c11.add(FloatVector.fromArray(SPECIES, c, r1 + LANES));
                c20 = c20.add(FloatVector.fromArray(SPECIES, c, r2));
                c21 = c21.add(FloatVector.fromArray(SPECIES, c, r2 + LANES));
            }
            c00.intoArray(c, r0);
            c01.intoArray(c, r0 + LANES);
            c10.intoArray(c, r1);
            c11.intoArray(c, r1 + LANES);
            c20.intoArray(c, r2);
            c21.intoArray(c, r2 + LANES);
            return;
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        MicroKernel.storeTile(tile, rows, cols, c, cIndex, cRowStride, cColStride, overwrite);
    }
}
