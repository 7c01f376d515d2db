package org.jvision.kernel.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.jvision.kernel.vector.MicroKernel.MR;
import static org.jvision.kernel.vector.MicroKernel.NR;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link RowMajorKernel} called directly against plain loops, whatever kernel
 * {@link BlockedGemm} prefers on this machine (GemmTest reaches it through gemm only where it is
 * {@link RowMajorKernel#PREFERRED}): every strip height it is given (four to six rows), full and
 * ragged columns, overwrite and accumulate, row-major and transposed C, and C's entries outside the
 * tile left alone.
 */
class RowMajorKernelTest {
    static Stream<Arguments> tiles() {
        return IntStream.rangeClosed(4, MR).boxed().flatMap(rows -> Stream.of(1, NR / 2 - 1, NR / 2 + 1, NR)
                .flatMap(cols -> Stream.of(true, false).flatMap(overwrite -> Stream.of(true, false)
                        .map(transposedC -> Arguments.of(rows, cols, overwrite, transposedC)))));
    }

    @ParameterizedTest(name = "rows={0} cols={1} overwrite={2} transposedC={3}")
    @MethodSource("tiles")
    void tileMatchesPlainLoops(int rows, int cols, boolean overwrite, boolean transposedC) {
        int kc = 37;
        int lda = kc + 3;
        int aIndex = 5;
        SplittableRandom random = new SplittableRandom(rows * 1000L + cols);
        float[] a = randomArray(random, aIndex + rows * lda);
        int bIndex = 2;
        float[] packedB = randomArray(random, bIndex + kc * NR);
        for (int p = 0; p < kc; p++) {
            for (int j = cols; j < NR; j++) {
                packedB[bIndex + p * NR + j] = 0f; // the zero padding packing leaves past a ragged edge
            }
        }
        int ldc = NR + 4;
        int cIndex = 3;
        int cRowStride = transposedC ? 1 : ldc;
        int cColStride = transposedC ? ldc : 1;
        float[] c = randomArray(random, cIndex + NR * ldc + MR);
        float[] expected = c.clone();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                double sum = 0;
                for (int p = 0; p < kc; p++) {
                    sum += (double) a[aIndex + r * lda + p] * packedB[bIndex + p * NR + j];
                }
                int at = cIndex + r * cRowStride + j * cColStride;
                expected[at] = (float) (overwrite ? sum : expected[at] + sum);
            }
        }

        RowMajorKernel.multiply(kc, a, aIndex, lda, packedB, bIndex, c, cIndex, cRowStride, cColStride, rows, cols,
                overwrite, new float[MR * NR]);

        for (int i = 0; i < c.length; i++) {
            assertThat(c[i]).as("C[%d]", i).isCloseTo(expected[i], within(1e-4f * Math.max(1f, Math.abs(expected[i]))));
        }
    }

    private static float[] randomArray(SplittableRandom random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }
}
