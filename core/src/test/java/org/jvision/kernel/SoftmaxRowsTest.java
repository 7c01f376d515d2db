package org.jvision.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Kernels#softmaxRows}, both kernels, against a plain double loop written from its Javadoc:
 * row lengths around the vector widths (1, 3, 8, 10, 15, 16, 17, 33, 100), blocks that start
 * inside the array and end at its very end (where the vector kernel must not read past it), in
 * place and not, with logits up to ±1000. Floats outside the block come back untouched.
 */
class SoftmaxRowsTest {

    static Stream<Arguments> sizes() {
        List<Arguments> all = new ArrayList<>();
        for (String which : new String[] {"scalar", "vector"}) {
            for (int n : new int[] {1, 3, 8, 10, 15, 16, 17, 33, 100}) {
                for (int rows : new int[] {1, 2, 7, 64}) {
                    all.add(Arguments.of(which, rows, n));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} rows={1} n={2}")
    @MethodSource("sizes")
    void matchesTheDefinitionRowByRow(String which, int rows, int n) {
        Kernels kernels = GemmTest.kernels(which);
        SplittableRandom random = new SplittableRandom(rows * 131L + n);
        for (boolean inPlace : new boolean[] {false, true}) {
            for (double scale : new double[] {1, 30, 1000}) {
                for (int after : new int[] {0, 5}) {
                    int offset = 3;
                    float[] x = new float[offset + rows * n + after];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) (random.nextGaussian() * scale);
                    }
                    float[] original = x.clone();
                    float[] y = inPlace ? x : new float[x.length];
                    float[] yBefore = y.clone();
                    kernels.softmaxRows(x, y, offset, rows, n);
                    String at = "inPlace=" + inPlace + " scale=" + scale + " after=" + after;
                    for (int r = 0; r < rows; r++) {
                        double[] expected = reference(original, offset + r * n, n);
                        for (int i = 0; i < n; i++) {
                            assertThat((double) y[offset + r * n + i]).as("%s row %d [%d]", at, r, i)
                                    .isCloseTo(expected[i], Offset.offset(1e-6 + 1e-5 * expected[i]));
                        }
                    }
                    for (int i = 0; i < y.length; i++) {
                        if (i < offset || i >= offset + rows * n) {
                            assertThat(y[i]).as("%s outside the block [%d]", at, i).isEqualTo(yBefore[i]);
                        }
                    }
                    if (!inPlace) {
                        assertThat(x).as("%s input unchanged", at).isEqualTo(original);
                    }
                }
            }
        }
    }

    @Test
    void eachRowSumsToOneAndLargeLogitsDoNotOverflow() {
        for (String which : new String[] {"scalar", "vector"}) {
            if (which.equals("vector") && Engine.vectorOrNull() == null) {
                continue;
            }
            Kernels kernels = GemmTest.kernels(which);
            float[] x = {1000, 1000, 999, -1000, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100};
            float[] y = new float[x.length];
            kernels.softmaxRows(x, y, 0, 1, x.length);
            double sum = 0;
            for (float v : y) {
                assertThat(v).isBetween(0f, 1f);
                sum += v;
            }
            assertThat(sum).as(which).isCloseTo(1, Offset.offset(1e-6));
            float e = (float) Math.E;
            assertThat(y[0]).as(which).isCloseTo(e / (2 * e + 1), Offset.offset(1e-6f));
            assertThat(y[3]).as(which).isZero();
        }
    }

    private static double[] reference(float[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        double[] e = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            e[i] = Math.exp(x[off + i] - max);
            sum += e[i];
        }
        for (int i = 0; i < n; i++) {
            e[i] /= sum;
        }
        return e;
    }
}
