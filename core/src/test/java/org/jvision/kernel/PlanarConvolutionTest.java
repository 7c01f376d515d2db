package org.jvision.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.assertj.core.data.Offset;

/**
 * {@link Kernels#planarConvolution} and {@link Kernels#planarKernelGradient}, both kernels, against
 * plain double loops written from their Javadoc: row lengths around the vector width (1, 3, 15,
 * 16, 17, 31, 33, 40), channel counts on both sides of the 6-channel block, ragged position blocks,
 * and offsets that start inside the arrays. Whatever lies outside the output must come back untouched.
 * Arrays end where the sums stop reading (the vector kernels then run plain loops) or carry
 * {@link Kernels#PLANAR_SLACK} NaNs, which the vector kernels load and must not let into a result.
 */
class PlanarConvolutionTest {

    static Stream<Arguments> sizes() {
        List<Arguments> all = new ArrayList<>();
        for (String which : new String[] {"scalar", "vector"}) {
            for (int slack : new int[] {0, Kernels.PLANAR_SLACK}) {
                for (int cols : new int[] {1, 3, 15, 16, 17, 31, 33, 40}) {
                    for (int cout : new int[] {1, 5, 6, 7, 13}) {
                        all.add(Arguments.of(which, slack, 1 + cols % 3, cols, cout, 1 + (cols + cout) % 11));
                    }
                }
            }
        }
        return all.stream();
    }

    /** A padded image of 2 planes read by {@code terms} positions at scattered offsets, like a small kernel's. */
    record Problem(int rows, int cols, int cout, int terms, int xOffset, int xRowStep, int[] xTerms, float[] x) {
        static Problem random(int rows, int cols, int cout, int terms, int slack, SplittableRandom random) {
            int rowStep = cols + 3;
            int plane = (rows + 3) * rowStep;
            int[] xTerms = new int[terms];
            for (int t = 0; t < terms; t++) {
                xTerms[t] = random.nextInt(2) * plane + random.nextInt(4) * rowStep + random.nextInt(4);
            }
            // The last term reads the second plane's last row to its end, where the slack begins.
            xTerms[terms - 1] = plane + 3 * rowStep + 3;
            return new Problem(rows, cols, cout, terms, 5, rowStep, xTerms, floats(5 + 2 * plane, slack, random));
        }

        float x(int t, int i, int j) {
            return x[xOffset + i * xRowStep + xTerms[t] + j];
        }
    }

    @ParameterizedTest(name = "{0} slack={1} rows={2} cols={3} cout={4} terms={5}")
    @MethodSource("sizes")
    void forwardAddsTheConvolutionToTheOutput(String which, int slack, int rows, int cols, int cout, int terms) {
        SplittableRandom random = new SplittableRandom(cols * 31L + cout * 7L + terms);
        Problem p = Problem.random(rows, cols, cout, terms, slack, random);
        float[] w = floats(terms * cout, random);
        int yOffset = 3;
        float[] y = floats(yOffset + rows * cols * cout + 4, random);
        float[] before = y.clone();
        GemmTest.kernels(which).planarConvolution(rows, cols, cout, terms, p.x(), p.xOffset(), p.xRowStep(),
                p.xTerms(), w, y, yOffset);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                for (int co = 0; co < cout; co++) {
                    int at = yOffset + (i * cols + j) * cout + co;
                    double expected = before[at];
                    for (int t = 0; t < terms; t++) {
                        expected += (double) p.x(t, i, j) * w[t * cout + co];
                    }
                    assertThat((double) y[at]).as("y[%d][%d][%d]", i, j, co)
                            .isCloseTo(expected, Offset.offset(1e-4 * (1 + Math.abs(expected))));
                }
            }
        }
        assertOutsideUntouched(y, before, yOffset, rows * cols * cout);
    }

    @ParameterizedTest(name = "{0} slack={1} rows={2} cols={3} cout={4} terms={5}")
    @MethodSource("sizes")
    void kernelGradientAddsTheSumsOverTheImage(String which, int slack, int rows, int cols, int cout, int terms) {
        SplittableRandom random = new SplittableRandom(cols * 37L + cout * 5L + terms);
        Problem p = Problem.random(rows, cols, cout, terms, slack, random);
        int dyOffset = 2;
        float[] dy = floats(dyOffset + cout * rows * cols, slack, random);
        int dwOffset = 4;
        float[] dw = floats(dwOffset + terms * cout + 2, random);
        float[] before = dw.clone();
        GemmTest.kernels(which).planarKernelGradient(rows, cols, cout, terms, p.x(), p.xOffset(), p.xRowStep(),
                p.xTerms(), dy, dyOffset, dw, dwOffset);
        for (int t = 0; t < terms; t++) {
            for (int co = 0; co < cout; co++) {
                int at = dwOffset + t * cout + co;
                double expected = before[at];
                double scale = 1;
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        double term = (double) p.x(t, i, j) * dy[dyOffset + (co * rows + i) * cols + j];
                        expected += term;
                        scale += Math.abs(term);
                    }
                }
                assertThat((double) dw[at]).as("dw[%d][%d]", t, co)
                        .isCloseTo(expected, Offset.offset(1e-4 * scale));
            }
        }
        assertOutsideUntouched(dw, before, dwOffset, terms * cout);
    }

    private static void assertOutsideUntouched(float[] actual, float[] before, int from, int length) {
        for (int i = 0; i < actual.length; i++) {
            if (i < from || i >= from + length) {
                assertThat(actual[i]).as("element %d outside the output", i).isEqualTo(before[i]);
            }
        }
    }

    private static float[] floats(int n, SplittableRandom random) {
        return floats(n, 0, random);
    }

    /** {@code n} Gaussian floats, then {@code slack} NaNs. */
    private static float[] floats(int n, int slack, SplittableRandom random) {
        float[] a = new float[n + slack];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        Arrays.fill(a, n, n + slack, Float.NaN);
        return a;
    }
}
