package org.jvision.kernel.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jvision.testing.Numerics;

/**
 * {@link TenDepthGemm} called directly against plain loops: depths nine and ten, C's width whole
 * and ragged against the 16-column block (up to eight columns past it and more), odd and even row
 * counts (rows go in threes: a last group of one, two and three), tight and padded operands (A's
 * last row is read from a copy; a padded A has infinities between its rows, which a lane read past
 * the depth would turn to NaN). C outside the window must come back untouched, and a split of the
 * rows between calls (as between threads) must give the same bits. Products that add to C go to
 * other kernels.
 */
class TenDepthGemmTest {
    static Stream<Arguments> shapes() {
        List<Arguments> list = new ArrayList<>();
        int seed = 0;
        for (int n : new int[] {16, 17, 24, 25, 31, 32, 84, 128, 130}) {
            for (int m : new int[] {1, 2, 3, 7, 64, 65}) {
                list.add(Arguments.of(m, n, seed % 2 == 0 ? 10 : 9, seed % 3 == 0));
                seed++;
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0}x{1}x{2} padded={3}")
    @MethodSource("shapes")
    void matchesPlainLoops(int m, int n, int k, boolean padded) {
        assumeThat(MicroKernel.LANES).as("16-lane vectors").isEqualTo(16);
        int lda = k + (padded ? 3 : 0);
        int ldw = k + (padded ? 5 : 0); // W, n×k row-major: B = Wᵀ
        int ldc = n + (padded ? 2 : 0);
        int aOffset = padded ? 7 : 0;
        int wOffset = padded ? 1 : 0;
        int cOffset = padded ? 4 : 0;
        SplittableRandom random = new SplittableRandom(m * 1000L + n * 10L + k);
        float[] a = Numerics.randomFloats(random, aOffset + (m - 1) * lda + k);
        for (int i = 0; i + 1 < m; i++) {
            for (int p = k; p < lda; p++) {
                a[aOffset + i * lda + p] = Float.POSITIVE_INFINITY; // gaps between rows: never to be read into a sum
            }
        }
        float[] w = Numerics.randomFloats(random, wOffset + (n - 1) * ldw + k);
        float[] c = Numerics.randomFloats(random, cOffset + (m - 1) * ldc + n + 9);
        float[] expected = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) a[aOffset + i * lda + p] * w[wOffset + j * ldw + p];
                }
                int at = cOffset + i * ldc + j;
                expected[at] = (float) sum;
            }
        }
        float[] whole = c.clone();
        TenDepthGemm.run(problem(m, n, k, a, aOffset, lda, w, wOffset, ldw, whole, cOffset, ldc), 0, m);
        float[] split = c.clone();
        var halves = problem(m, n, k, a, aOffset, lda, w, wOffset, ldw, split, cOffset, ldc);
        TenDepthGemm.run(halves, 0, m / 2);
        TenDepthGemm.run(halves, m / 2, m);

        for (int i = 0; i < c.length; i++) {
            assertThat(whole[i]).as("C[%d]", i).isCloseTo(expected[i], within(1e-4f * Math.max(1f, Math.abs(expected[i]))));
        }
        assertThat(Arrays.mismatch(split, whole)).as("first element that differs with the rows split").isEqualTo(-1);
    }

    @Test
    void leavesProductsThatAddToCToOtherKernels() {
        var adding = GemmProblem.of(false, true, 64, 84, 10, new float[640], 0, 10, new float[840], 0, 10,
                new float[64 * 84], 0, 84, true);
        assertThat(TenDepthGemm.handles(adding)).as("C += A·Bᵀ at 64×84×10").isFalse();
    }

    private static GemmProblem problem(int m, int n, int k, float[] a, int aOffset, int lda, float[] w, int wOffset,
                                       int ldw, float[] c, int cOffset, int ldc) {
        var g = GemmProblem.of(false, true, m, n, k, a, aOffset, lda, w, wOffset, ldw, c, cOffset, ldc, false);
        assertThat(TenDepthGemm.handles(g)).as("the product goes to TenDepthGemm").isTrue();
        return g;
    }
}
