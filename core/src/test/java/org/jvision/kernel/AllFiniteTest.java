package org.jvision.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Kernels#allFinite}, both kernels, against {@link Float#isFinite} element by element: awkward
 * lengths around the vector width, a single NaN, +infinity or -infinity at every position class
 * (first, inside the vector loop, in the tail, last), and values outside the range checked.
 */
class AllFiniteTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"scalar", "vector"})
    void findsEveryNonFiniteValueAndOnlyThose(String which) {
        Kernels kernels = GemmTest.kernels(which);
        SplittableRandom random = new SplittableRandom(7);
        int offset = 5;
        for (int n : new int[] {0, 1, 3, 7, 15, 16, 17, 31, 33, 100, 1023, 4098}) {
            float[] x = new float[n + 2 * offset];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (random.nextGaussian() * 1e30);
            }
            x[offset - 1] = Float.NaN; // outside the checked range on both sides
            x[offset + n] = Float.POSITIVE_INFINITY;
            assertThat(kernels.allFinite(x, offset, n)).as("n=%d, all finite", n).isTrue();
            for (int at : new int[] {0, n / 2, n - 1}) {
                if (n == 0) {
                    continue;
                }
                for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                    float saved = x[offset + at];
                    x[offset + at] = bad;
                    assertThat(kernels.allFinite(x, offset, n)).as("n=%d, %s at %d", n, bad, at).isFalse();
                    x[offset + at] = saved;
                }
            }
        }
    }
}
