package org.jvision.kernel.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvision.kernel.vector.MicroKernel.NR;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GemmPacking#packB} against a plain loop that writes each panel element from B's
 * definition: row-major and transposed B (the transposed one through {@link TransposedPacking}'s
 * 8×8 squares where they fit), depths and widths on and off multiples of eight and of a panel, a
 * block that starts inside B, and zeros right of the last column.
 */
class GemmPackingTest {
    static Stream<Arguments> blocks() {
        List<Arguments> list = new ArrayList<>();
        for (boolean transB : new boolean[] {false, true}) {
            for (int kc : new int[] {1, 7, 8, 9, 16, 23, 40}) {
                for (int nc : new int[] {1, 7, 8, 9, NR - 1, NR, NR + 5, 2 * NR + 11}) {
                    list.add(Arguments.of(transB, kc, nc));
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "transB={0} kc={1} nc={2}")
    @MethodSource("blocks")
    void panelsHoldBInTheKernelsOrder(boolean transB, int kc, int nc) {
        int p0 = 3;
        int j0 = 2;
        int k = p0 + kc + 4;
        int n = j0 + nc + 5;
        int ldb = (transB ? k : n) + 3;
        int offset = 7;
        SplittableRandom random = new SplittableRandom(kc * 100L + nc);
        float[] b = new float[offset + (transB ? n : k) * ldb];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) random.nextDouble(-1, 1);
        }
        var g = GemmProblem.of(false, transB, 1, n, k, new float[k], 0, k, b, offset, ldb, new float[n], 0, n, false);
        int panels = (nc + NR - 1) / NR;
        float[] packed = new float[panels * NR * kc];
        Arrays.fill(packed, Float.NaN);
        GemmPacking.packB(g, p0, kc, j0, nc, packed);
        float[] expected = new float[packed.length];
        for (int q = 0; q < panels; q++) {
            for (int p = 0; p < kc; p++) {
                for (int j = 0; j < NR; j++) {
                    int column = q * NR + j;
                    int row = p0 + p;
                    int col = j0 + column;
                    float value = column >= nc ? 0f : b[offset + (transB ? col * ldb + row : row * ldb + col)];
                    expected[q * NR * kc + p * NR + j] = value;
                }
            }
        }
        assertThat(packed).containsExactly(expected);
    }
}
