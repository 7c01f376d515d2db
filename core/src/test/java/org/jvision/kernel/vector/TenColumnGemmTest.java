package org.jvision.kernel.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jvision.testing.Numerics;

/**
 * {@link TenColumnGemm} called directly against plain loops (GemmTest reaches it through gemm only
 * on 16-lane machines, and only at the sizes it sweeps). A row-major A: every depth tail (none, up
 * to eight, more than eight), row counts ragged against the three-row tile and the 48-row chunk. A
 * transposed A: fewer rows than the 32-row tile, and ragged ends that move the last tile back. Both
 * with nine and ten columns, tight and padded operands (a tight A makes the last rows' tail a
 * copy), overwrite and accumulate. C outside the window must come back untouched, and a split of the rows between calls
 * (as between threads) must give the same bits.
 */
class TenColumnGemmTest {
    static Stream<Arguments> shapes() {
        List<Arguments> list = new ArrayList<>();
        int seed = 0;
        for (int k : new int[] {16, 17, 23, 24, 25, 31, 32, 84, 128, 203}) {
            for (int m : new int[] {1, 2, 4, 7, 48, 49, 64, 101}) {
                list.add(Arguments.of(false, m, seed % 2 == 0 ? 10 : 9, k, seed % 3 == 0, seed % 4 < 2));
                seed++;
            }
        }
        // A transposed: fewer rows than a tile (copied), a tile and a bit (the last moved back).
        for (int k : new int[] {1, 5, 64, 77}) {
            for (int m : new int[] {1, 9, 31, 32, 33, 84, 128, 150}) {
                list.add(Arguments.of(true, m, seed % 2 == 0 ? 10 : 9, k, seed % 3 == 0, seed % 4 < 2));
                seed++;
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "transA={0} {1}x{2}x{3} padded={4} accumulate={5}")
    @MethodSource("shapes")
    void matchesPlainLoops(boolean transA, int m, int n, int k, boolean padded, boolean accumulate) {
        assumeThat(MicroKernel.LANES).as("16-lane vectors").isEqualTo(16);
        int lda = (transA ? m : k) + (padded ? 3 : 0);
        int ldb = n + (padded ? 5 : 0);
        int ldc = n + (padded ? 2 : 0);
        int aOffset = padded ? 7 : 0;
        int bOffset = padded ? 1 : 0;
        int cOffset = padded ? 4 : 0;
        SplittableRandom random = new SplittableRandom(m * 1000L + k);
        float[] a = Numerics.randomFloats(random, aOffset + (transA ? (k - 1) * lda + m : (m - 1) * lda + k));
        float[] b = Numerics.randomFloats(random, bOffset + (k - 1) * ldb + n);
        float[] c = Numerics.randomFloats(random, cOffset + (m - 1) * ldc + n + 9);
        float[] expected = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
                    sum += (double) aip * b[bOffset + p * ldb + j];
                }
                int at = cOffset + i * ldc + j;
                expected[at] = (float) (accumulate ? expected[at] + sum : sum);
            }
        }
        var g = GemmProblem.of(transA, false, m, n, k, a, aOffset, lda, b, bOffset, ldb, null, 0, 0, accumulate);

        float[] whole = c.clone();
        TenColumnGemm.run(withC(g, whole, cOffset, ldc), 0, m);
        float[] split = c.clone();
        int middle = m / 2;
        TenColumnGemm.run(withC(g, split, cOffset, ldc), 0, middle);
        TenColumnGemm.run(withC(g, split, cOffset, ldc), middle, m);

        for (int i = 0; i < c.length; i++) {
            assertThat(whole[i]).as("C[%d]", i).isCloseTo(expected[i], within(1e-4f * Math.max(1f, Math.abs(expected[i]))));
        }
        assertThat(Arrays.mismatch(split, whole)).as("first element that differs with the rows split").isEqualTo(-1);
    }

    private static GemmProblem withC(GemmProblem g, float[] c, int cOffset, int ldc) {
        return new GemmProblem(g.m(), g.n(), g.k(), g.a(), g.aOffset(), g.aRowStride(), g.aColStride(),
                g.b(), g.bOffset(), g.bRowStride(), g.bColStride(), c, cOffset, ldc, 1, g.accumulate());
    }
}
