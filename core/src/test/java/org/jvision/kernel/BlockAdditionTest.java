package org.jvision.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Kernels#addBlock}, both kernels, against the plain loop of its Javadoc: row widths on
 * both sides of whole vectors (1, 5, 16, 30 as in LeNet's col2im, 33), strided rows, and a
 * {@code dstEnd} right at the block's last float or with room past it. Every float of dst outside
 * the block must keep its bits (-0 and NaNs among them), and src must not change.
 */
class BlockAdditionTest {

    static Stream<Arguments> sizes() {
        List<Arguments> all = new ArrayList<>();
        for (String which : new String[] {"scalar", "vector"}) {
            for (int cols : new int[] {1, 5, 16, 30, 33}) {
                for (int rows : new int[] {1, 5}) {
                    for (int room : new int[] {0, 40}) {
                        all.add(Arguments.of(which, rows, cols, room));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} rows={1} cols={2} room past the block={3}")
    @MethodSource("sizes")
    void addsTheBlockAndNothingElse(String which, int rows, int cols, int room) {
        SplittableRandom random = new SplittableRandom(rows * 131L + cols * 7L + room);
        int srcStep = cols + 2;
        int dstStep = 3 * cols + 1;
        int srcOffset = 4;
        int dstOffset = 6;
        float[] src = values(srcOffset + rows * srcStep + 3, random);
        int dstEnd = dstOffset + (rows - 1) * dstStep + cols + room;
        float[] dst = values(dstEnd + 50, random);
        float[] srcBefore = src.clone();
        float[] expected = dst.clone();
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < cols; t++) {
                expected[dstOffset + r * dstStep + t] += src[srcOffset + r * srcStep + t];
            }
        }
        GemmTest.kernels(which).addBlock(rows, cols, src, srcOffset, srcStep, dst, dstOffset, dstStep, dstEnd);
        for (int i = 0; i < dst.length; i++) {
            assertThat(Float.floatToRawIntBits(dst[i])).as("dst[%d]", i)
                    .isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
        assertThat(src).containsExactly(srcBefore);
    }

    /** Small integers (exact sums), with -0 and NaN sprinkled in. */
    private static float[] values(int n, SplittableRandom random) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            int pick = random.nextInt(20);
            a[i] = pick == 0 ? -0f : pick == 1 ? Float.NaN : random.nextInt(9) - 4f;
        }
        return a;
    }
}
