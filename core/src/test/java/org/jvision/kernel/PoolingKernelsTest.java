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
 * {@link Kernels#maxPool2x2} and {@link Kernels#maxPool2x2Gradient}, both kernels, against plain
 * loops written from their Javadoc, on rows full of the awkward cases: ties (values drawn from a
 * handful), -0 beside +0, and NaNs. Channel counts below a vector (1, 3, 6, 7: the vector kernel's
 * spilling path and its scalar tail), at and past whole vectors (16, 17, 32, 48); rows of 1 to 14
 * windows; whatever lies outside the row's windows must come back untouched.
 */
class PoolingKernelsTest {

    static Stream<Arguments> sizes() {
        List<Arguments> all = new ArrayList<>();
        for (String which : new String[] {"scalar", "vector"}) {
            for (int channels : new int[] {1, 3, 6, 7, 16, 17, 32, 48}) {
                for (int outCols : new int[] {1, 3, 7, 14}) {
                    all.add(Arguments.of(which, outCols, channels));
                }
            }
        }
        return all.stream();
    }

    /** Two image rows of {@code 2*outCols + 1} pixels (the last pixel of each row in no window), at offset 5. */
    record Rows(int outCols, int channels, int inRow, int first, float[] x) {
        static Rows random(int outCols, int channels, SplittableRandom random) {
            int inRow = (2 * outCols + 1) * channels;
            int first = 5;
            float[] x = new float[first + 2 * inRow + 3];
            float[] values = {-0f, 0f, 1f, -1f, 2f, Float.NaN};
            for (int i = 0; i < x.length; i++) {
                int pick = random.nextInt(40);
                x[i] = pick < values.length ? values[pick] : random.nextInt(4) - 2f;
            }
            return new Rows(outCols, channels, inRow, first, x);
        }

        /** Pixel {@code k} (row-major: 0, 1 top; 2, 3 bottom) of window {@code j}, channel {@code c}. */
        int at(int j, int c, int k) {
            return first + (k / 2) * inRow + (2 * j + k % 2) * channels + c;
        }
    }

    @ParameterizedTest(name = "{0} outCols={1} channels={2}")
    @MethodSource("sizes")
    void forwardTakesEachWindowsMaximum(String which, int outCols, int channels) {
        SplittableRandom random = new SplittableRandom(outCols * 31L + channels);
        Rows rows = Rows.random(outCols, channels, random);
        int o = 2;
        float[] y = new float[o + outCols * channels + 3];
        java.util.Arrays.fill(y, 9f);
        GemmTest.kernels(which).maxPool2x2(rows.x(), rows.first(), rows.inRow(), y, o, outCols, channels);
        for (int j = 0; j < outCols; j++) {
            for (int c = 0; c < channels; c++) {
                float expected = rows.x()[rows.at(j, c, 0)];
                for (int k = 1; k < 4; k++) {
                    expected = Math.max(expected, rows.x()[rows.at(j, c, k)]);
                }
                // Bits (NaN canonical): NaN must win, and +0 must beat -0 as Math.max has it.
                assertThat(Float.floatToIntBits(y[o + j * channels + c])).as("window %d channel %d", j, c)
                        .isEqualTo(Float.floatToIntBits(expected));
            }
        }
        assertThat(y[0]).isEqualTo(9f);
        assertThat(y[o + outCols * channels]).isEqualTo(9f);
    }

    @ParameterizedTest(name = "{0} outCols={1} channels={2}")
    @MethodSource("sizes")
    void gradientGoesToTheFirstPixelEqualToTheMaximum(String which, int outCols, int channels) {
        SplittableRandom random = new SplittableRandom(outCols * 37L + channels);
        Rows rows = Rows.random(outCols, channels, random);
        int o = 2;
        float[] y = new float[o + outCols * channels + 3];
        Engine.scalar().maxPool2x2(rows.x(), rows.first(), rows.inRow(), y, o, outCols, channels);
        float[] dy = new float[y.length];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = 1 + random.nextInt(100);
        }
        float[] dx = new float[rows.x().length];
        java.util.Arrays.fill(dx, -7f);
        GemmTest.kernels(which).maxPool2x2Gradient(rows.x(), rows.first(), rows.inRow(), y, dy, o, dx, outCols,
                channels);
        float[] expected = new float[dx.length];
        java.util.Arrays.fill(expected, -7f);
        for (int j = 0; j < outCols; j++) {
            for (int c = 0; c < channels; c++) {
                float max = y[o + j * channels + c];
                int winner = 0;
                if (!Float.isNaN(max)) {
                    while (rows.x()[rows.at(j, c, winner)] != max) {
                        winner++;
                    }
                }
                for (int k = 0; k < 4; k++) {
                    expected[rows.at(j, c, k)] = k == winner ? dy[o + j * channels + c] : 0f;
                }
            }
        }
        assertThat(dx).containsExactly(expected);
    }
}
