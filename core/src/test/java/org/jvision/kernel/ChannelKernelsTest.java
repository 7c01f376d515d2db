package org.jvision.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Batch normalization's channel kernels ({@link Kernels#channelSums}, {@link Kernels#channelGradientSums},
 * {@link Kernels#channelAffine}, {@link Kernels#channelNormalizationGradient}), both kernels, against
 * plain double loops written from their Javadoc: channel counts around the vector width (1, 5, 16,
 * 17, 32, 33, 64, 70) and row counts around the kernels' 32-row sub-blocks, in blocks that start
 * inside the arrays. Whatever lies outside the block must come back untouched. A fused ReLU: the
 * rectified affine map, and the backward passes gated where the same kernel's affine map of x is
 * above zero (the gate must agree with the forward exactly, so the test asks that kernel for it).
 */
class ChannelKernelsTest {

    static Stream<Arguments> sizes() {
        List<Arguments> all = new ArrayList<>();
        for (String which : new String[] {"scalar", "vector"}) {
            for (int channels : new int[] {1, 5, 16, 17, 32, 33, 64, 70}) {
                for (int rows : new int[] {1, 7, 32, 33, 100}) {
                    all.add(Arguments.of(which, rows, channels));
                }
            }
        }
        return all.stream();
    }

    /** A block of {@code rows × channels} values starting at {@link #OFFSET} in a longer array. */
    private static final int OFFSET = 3;

    @ParameterizedTest(name = "{0} rows={1} channels={2}")
    @MethodSource("sizes")
    void sumsAddTheDeviationsAndTheirSquares(String which, int rows, int channels) {
        SplittableRandom random = new SplittableRandom(rows * 31L + channels);
        float[] x = block(rows, channels, random, 2.5f);
        float[] center = floats(channels, random);
        for (boolean squared : new boolean[] {false, true}) {
            double[] out = new double[channels + 4];
            out[1] = 0.25;
            GemmTest.kernels(which).channelSums(x, OFFSET, rows, channels, center, squared, out, 1);
            for (int j = 0; j < channels; j++) {
                double expected = j == 0 ? 0.25 : 0;
                double scale = 1;
                for (int r = 0; r < rows; r++) {
                    double d = x[OFFSET + r * channels + j] - (double) center[j];
                    expected += squared ? d * d : d;
                    scale += squared ? d * d : Math.abs(d);
                }
                assertThat(out[1 + j]).as("squared=%s out[%d]", squared, j)
                        .isCloseTo(expected, Offset.offset(1e-5 * scale));
            }
            assertThat(out[0]).isZero();
            assertThat(out[channels + 1]).isZero();
        }
    }

    @ParameterizedTest(name = "{0} rows={1} channels={2}")
    @MethodSource("sizes")
    void gradientSumsAddDyAndDyTimesTheDeviation(String which, int rows, int channels) {
        SplittableRandom random = new SplittableRandom(rows * 37L + channels);
        float[] x = block(rows, channels, random, 1f);
        float[] dy = block(rows, channels, random, 1f);
        float[] center = floats(channels, random);
        float[] gateScale = floats(channels, random);
        float[] gateShift = floats(channels, random);
        for (boolean gated : new boolean[] {false, true}) {
            boolean[] open = gate(which, x, rows, channels, center, gated ? gateScale : null, gateShift);
            double[] out = new double[2 * channels + 2];
            out[2 * channels + 1] = 7;
            GemmTest.kernels(which).channelGradientSums(dy, x, OFFSET, rows, channels, center, out, 1,
                    gated ? gateScale : null, gated ? gateShift : null);
            for (int j = 0; j < channels; j++) {
                double sum = 0;
                double dot = 0;
                double scale = 1;
                for (int r = 0; r < rows; r++) {
                    int at = OFFSET + r * channels + j;
                    double g = open[at] ? dy[at] : 0;
                    sum += g;
                    dot += g * (x[at] - (double) center[j]);
                    scale += Math.abs(dy[at]) * (1 + Math.abs(x[at] - center[j]));
                }
                assertThat(out[1 + j]).as("gated=%s sum dy[%d]", gated, j).isCloseTo(sum, Offset.offset(1e-5 * scale));
                assertThat(out[1 + channels + j]).as("gated=%s sum dy (x - c)[%d]", gated, j)
                        .isCloseTo(dot, Offset.offset(1e-5 * scale));
            }
            assertThat(out[0]).isZero();
            assertThat(out[2 * channels + 1]).isEqualTo(7);
        }
    }

    /**
     * Where a fused ReLU lets the gradient through: where {@code which}'s own affine map of x (the
     * forward's value) is above zero; everywhere when {@code gateScale} is null.
     */
    private static boolean[] gate(String which, float[] x, int rows, int channels, float[] center, float[] gateScale,
                                  float[] gateShift) {
        boolean[] open = new boolean[x.length];
        float[] y = new float[x.length];
        if (gateScale != null) {
            GemmTest.kernels(which).channelAffine(x, y, OFFSET, rows, channels, center, gateScale, gateShift, false);
        }
        for (int i = 0; i < x.length; i++) {
            open[i] = gateScale == null || y[i] > 0;
        }
        return open;
    }

    @ParameterizedTest(name = "{0} rows={1} channels={2}")
    @MethodSource("sizes")
    void affineMapsEachChannel(String which, int rows, int channels) {
        SplittableRandom random = new SplittableRandom(rows * 41L + channels);
        float[] x = block(rows, channels, random, 1f);
        float[] center = floats(channels, random);
        float[] scale = floats(channels, random);
        float[] shift = floats(channels, random);
        float[] initial = floats(x.length, random);
        for (boolean rectify : new boolean[] {false, true}) {
            float[] out = initial.clone();
            GemmTest.kernels(which).channelAffine(x, out, OFFSET, rows, channels, center, scale, shift, rectify);
            float[] plain = initial.clone();
            GemmTest.kernels(which).channelAffine(x, plain, OFFSET, rows, channels, center, scale, shift, false);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < channels; j++) {
                    int at = OFFSET + r * channels + j;
                    double expected = (x[at] - (double) center[j]) * scale[j] + shift[j];
                    assertThat((double) out[at]).as("rectify=%s out[%d][%d]", rectify, r, j).isCloseTo(
                            rectify ? Math.max(expected, 0) : expected, Offset.offset(1e-5 * (1 + Math.abs(expected))));
                    if (rectify) {
                        // exactly the ReLU of the plain map: what the two layers unfused would give
                        assertThat(out[at]).as("out[%d][%d]", r, j).isEqualTo(Math.max(plain[at], 0f));
                    }
                }
            }
            assertOutsideUntouched(out, initial, rows * channels);
        }
    }

    @ParameterizedTest(name = "{0} rows={1} channels={2}")
    @MethodSource("sizes")
    void normalizationGradientCombinesDyAndX(String which, int rows, int channels) {
        SplittableRandom random = new SplittableRandom(rows * 43L + channels);
        float[] x = block(rows, channels, random, 1f);
        float[] dy = block(rows, channels, random, 1f);
        float[] center = floats(channels, random);
        float[] dyMean = floats(channels, random);
        float[] xScale = floats(channels, random);
        float[] scale = floats(channels, random);
        float[] gateScale = floats(channels, random);
        float[] gateShift = floats(channels, random);
        float[] initial = floats(x.length, random);
        for (boolean gated : new boolean[] {false, true}) {
            boolean[] open = gate(which, x, rows, channels, center, gated ? gateScale : null, gateShift);
            float[] out = initial.clone();
            GemmTest.kernels(which).channelNormalizationGradient(dy, x, out, OFFSET, rows, channels, center, dyMean,
                    xScale, scale, gated ? gateScale : null, gated ? gateShift : null);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < channels; j++) {
                    int at = OFFSET + r * channels + j;
                    double g = open[at] ? dy[at] : 0;
                    double expected = ((g - dyMean[j]) - (x[at] - (double) center[j]) * xScale[j]) * scale[j];
                    assertThat((double) out[at]).as("gated=%s out[%d][%d]", gated, r, j)
                            .isCloseTo(expected, Offset.offset(1e-5 * (1 + Math.abs(expected))));
                }
            }
            assertOutsideUntouched(out, initial, rows * channels);
        }
    }

    private static float[] block(int rows, int channels, SplittableRandom random, float mean) {
        float[] a = floats(OFFSET + rows * channels + 5, random);
        for (int i = 0; i < a.length; i++) {
            a[i] += mean;
        }
        return a;
    }

    private static void assertOutsideUntouched(float[] actual, float[] before, int length) {
        for (int i = 0; i < actual.length; i++) {
            if (i < OFFSET || i >= OFFSET + length) {
                assertThat(actual[i]).as("element %d outside the block", i).isEqualTo(before[i]);
            }
        }
    }

    private static float[] floats(int n, SplittableRandom random) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }
}
