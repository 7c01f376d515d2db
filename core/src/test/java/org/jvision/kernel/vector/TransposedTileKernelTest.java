package org.jvision.kernel.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.jvision.kernel.vector.MicroKernel.MR;
import static org.jvision.kernel.vector.MicroKernel.NR;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jvision.testing.Numerics;

/**
 * {@link TransposedTileKernel} called directly against plain loops: one whole 6×32 tile of a
 * transposed C (element {@code (r, j)} at {@code cIndex + r + j·cColStride}), with columns from
 * just wider than the tile's six rows (the neighbours at offsets 6 and 7 of each column are what a
 * wrong mask would write) to a dense layer's, A row-major and transposed, overwrite and accumulate.
 * Everything in C outside the tile must come back untouched.
 */
class TransposedTileKernelTest {
    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        int seed = 0;
        for (int cColStride : new int[] {6, 7, 8, 9, 16, 17, 64, 3136}) {
            for (int kc : new int[] {1, 7, 64}) {
                list.add(Arguments.of(cColStride, kc, seed % 2 == 0, seed % 3 != 0));
                seed++;
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "cColStride={0} kc={1} transposedA={2} accumulate={3}")
    @MethodSource("cases")
    void matchesPlainLoops(int cColStride, int kc, boolean transposedA, boolean accumulate) {
        assumeThat(MicroKernel.LANES).as("16-lane vectors").isEqualTo(16);
        SplittableRandom random = new SplittableRandom(cColStride * 100L + kc);
        // A: MR rows of kc, row-major (rows kc + 3 apart) or transposed (the MR values of one p
        // contiguous, p's MR + 2 apart); B packed, kc×NR.
        int aStep = transposedA ? MR + 2 : 1;
        int aRowStride = transposedA ? 1 : kc + 3;
        int aIndex = 5;
        float[] a = Numerics.randomFloats(random, aIndex + (MR - 1) * aRowStride + (kc - 1) * aStep + 1);
        int bIndex = 3;
        float[] b = Numerics.randomFloats(random, bIndex + kc * NR);
        int cIndex = 11;
        float[] c = Numerics.randomFloats(random, cIndex + (NR - 1) * cColStride + 16 + 4);
        assertThat(TransposedTileKernel.fits(cIndex, cColStride, c.length)).isTrue();

        float[] expected = c.clone();
        for (int r = 0; r < MR; r++) {
            for (int j = 0; j < NR; j++) {
                double sum = 0;
                for (int p = 0; p < kc; p++) {
                    sum += (double) a[aIndex + r * aRowStride + p * aStep] * b[bIndex + p * NR + j];
                }
                int at = cIndex + r + j * cColStride;
                expected[at] = (float) (accumulate ? expected[at] + sum : sum);
            }
        }
        TransposedTileKernel.multiply(kc, a, aIndex, aStep, aRowStride, b, bIndex, c, cIndex, cColStride, !accumulate,
                new float[MR * NR]);

        for (int i = 0; i < c.length; i++) {
            assertThat(c[i]).as("C[%d]", i).isCloseTo(expected[i], within(1e-4f * Math.max(1f, Math.abs(expected[i]))));
        }
    }

    /** The masked vectors reach 8 floats before an odd column and 16 past an even one; no further. */
    @Test
    void fitsExactlyWhereTheStoresStayInsideC() {
        int cColStride = 10;
        int lastEven = (NR - 2) * cColStride;
        int lastOdd = (NR - 1) * cColStride;
        int length = Math.max(lastEven + 16, lastOdd + 8);
        assertThat(TransposedTileKernel.fits(0, cColStride, length)).isTrue();
        assertThat(TransposedTileKernel.fits(0, cColStride, length - 1)).isFalse();
        assertThat(TransposedTileKernel.fits(0, 7, 1000)).as("column 1 starts 7 floats in").isFalse();
        assertThat(TransposedTileKernel.fits(1, 7, 1000)).isTrue();
    }
}
