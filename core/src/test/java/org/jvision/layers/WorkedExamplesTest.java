package org.jvision.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/** The worked examples of SPEC.md, as literal numbers, through the layers themselves. */
class WorkedExamplesTest {

    static final float[][] IMAGE = {
        {3, 1, 1, 3, 2, 2},
        {1, 2, 1, 4, 1, 1},
        {1, 1, 2, 2, 1, 3},
        {2, 4, 3, 4, 2, 1},
        {1, 2, 3, 2, 1, 2},
        {4, 4, 3, 2, 1, 3},
    };
    static final float[][] KERNEL = {
        {2, 0, 0},
        {1, -1, 0},
        {0, -2, 3},
    };
    static final float[][] SMALL = {
        {1, 0, 2, 3},
        {2, 1, 0, 1},
        {1, 0, 1, 3},
        {2, 0, 3, 2},
    };
    static final float[][] SMALL_FILTER = {
        {1, 2, 0},
        {3, 2, 1},
        {0, 1, 3},
    };

    static java.util.stream.Stream<String> engines() {
        return Harness.engines();
    }

    /** A one-channel image as a batch of one: {@code [1, rows, cols, 1]}. */
    static Tensor image(float[][] rows) {
        Tensor t = Tensor.zeros(1, rows.length, rows[0].length, 1);
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < rows[0].length; c++) {
                t.set(rows[r][c], 0, r, c, 0);
            }
        }
        return t;
    }

    static float[][] matrix(Tensor t) {
        float[][] m = new float[t.dim(1)][t.dim(2)];
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[0].length; c++) {
                m[r][c] = t.get(0, r, c, 0);
            }
        }
        return m;
    }

    /** A one-filter, bias-free convolution of a one-channel image with {@code filter}. */
    static float[][] convolve(float[][] input, float[][] filter, int stride, Padding padding) {
        Conv2D conv = new Conv2D("spec", new Conv2D.Config(1, new int[] {filter.length, filter[0].length},
                new int[] {stride, stride}, padding, false, null));
        conv.build(Shape.of(input.length, input[0].length, 1), new SplittableRandom(1));
        assertThat(conv.parameters()).hasSize(1);
        Tensor k = conv.parameters().getFirst().value();
        for (int r = 0; r < filter.length; r++) {
            for (int c = 0; c < filter[0].length; c++) {
                k.set(filter[r][c], r, c, 0, 0);
            }
        }
        return matrix(conv.forward(image(input), false));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void sixBySixConvolutionSame(String engine) {
        Harness.withEngine(engine, () -> assertThat(convolve(IMAGE, KERNEL, 1, Padding.same())).isEqualTo(new float[][] {
            {1, 1, 10, -7, 2, -2},
            {0, 9, 5, -2, 16, -2},
            {7, 3, 9, 0, 8, -2},
            {2, 5, 3, 2, 10, -1},
            {3, 4, 7, 6, 16, -3},
            {-4, 2, 5, 7, 5, 0}, // the slide prints 3 in the last cell; 0 is correct
        }));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void sixBySixConvolutionValid(String engine) {
        Harness.withEngine(engine, () -> assertThat(convolve(IMAGE, KERNEL, 1, Padding.valid())).isEqualTo(new float[][] {
            {9, 5, -2, 16},
            {3, 9, 0, 8},
            {5, 3, 2, 10},
            {4, 7, 6, 16},
        }));
    }

    @Test
    void twoByTwoMaxPoolingOfTheSixBySixImage() {
        MaxPool2D pool = new MaxPool2D("pool", 2);
        pool.build(Shape.of(6, 6, 1), new SplittableRandom(1));
        assertThat(matrix(pool.forward(image(IMAGE), false))).isEqualTo(new float[][] {
            {3, 4, 2},
            {4, 4, 3},
            {4, 3, 3},
        });
    }

    @Test
    void twoByTwoAveragePoolingOfTheSixBySixImage() {
        AveragePool2D pool = new AveragePool2D("pool", 2);
        pool.build(Shape.of(6, 6, 1), new SplittableRandom(1));
        assertThat(matrix(pool.forward(image(IMAGE), false))).isEqualTo(new float[][] {
            {1.75f, 2.25f, 1.5f},
            {2f, 2.75f, 1.75f},
            {2.75f, 2.5f, 1.75f},
        });
    }

    @ParameterizedTest
    @MethodSource("engines")
    void fourByFourExamples(String engine) {
        Harness.withEngine(engine, () -> {
            assertThat(convolve(SMALL, SMALL_FILTER, 1, Padding.valid())).isEqualTo(new float[][] {
                {12, 18},
                {17, 15},
            });
            float[][] padded = {
                {7, 6, 10, 13},
                {8, 12, 18, 13},
                {8, 17, 15, 13},
                {6, 10, 10, 20},
            };
            assertThat(convolve(SMALL, SMALL_FILTER, 1, Padding.explicit(1))).isEqualTo(padded);
            // For a 3x3 kernel at stride 1, "same" is padding 1 on every side.
            assertThat(convolve(SMALL, SMALL_FILTER, 1, Padding.same())).isEqualTo(padded);
            assertThat(convolve(SMALL, new float[][] {{1, 2}, {3, 2}}, 2, Padding.valid())).isEqualTo(new float[][] {
                {9, 10},
                {7, 20},
            });
        });
    }

    // ---------------------------------------------------------------- window arithmetic on a 6x6 image

    static WindowGeometry window(int kernelRows, int kernelCols, int stride, Padding padding) {
        return WindowGeometry.of("test", "window", 6, 6, kernelRows, kernelCols, stride, stride, padding);
    }

    @Test
    void windowSizesOnSixBySix() {
        // 4x3 stride 2: rows (6-4)/2+1 = 2 tile cleanly; columns (6-3)/2+1 = 2 (floor of 2.5) leave column 5 out.
        WindowGeometry ragged = window(4, 3, 2, Padding.valid());
        assertThat(new int[] {ragged.outRows(), ragged.outCols()}).containsExactly(2, 2);
        assertThat(ragged.colStart(1) + 3).isEqualTo(5); // last window ends before column 5
        // 4x4 stride 4: one window; rows and columns 4 and 5 are never read.
        WindowGeometry sparse = window(4, 4, 4, Padding.valid());
        assertThat(new int[] {sparse.outRows(), sparse.outCols()}).containsExactly(1, 1);
        // 2x3 stride 2: rows (6-2)/2+1 = 3 windows covering rows 0..5 exactly once; columns 2.
        WindowGeometry rows = window(2, 3, 2, Padding.valid());
        assertThat(new int[] {rows.outRows(), rows.outCols()}).containsExactly(3, 2);
        assertThat(rows.rowStart(2) + 2).isEqualTo(6);

        // "same" keeps ceil(6/stride) and pads (out-1)*stride + k - 6, the odd pixel bottom/right.
        WindowGeometry sameRagged = window(4, 3, 2, Padding.same());
        assertThat(new int[] {sameRagged.outRows(), sameRagged.outCols(), sameRagged.padTop(),
            sameRagged.padBottom(), sameRagged.padLeft(), sameRagged.padRight()}).containsExactly(3, 3, 1, 1, 0, 1);
        WindowGeometry sameSparse = window(4, 4, 4, Padding.same());
        assertThat(new int[] {sameSparse.outRows(), sameSparse.outCols(), sameSparse.padTop(),
            sameSparse.padBottom()}).containsExactly(2, 2, 1, 1);
        WindowGeometry sameRows = window(2, 3, 2, Padding.same());
        assertThat(new int[] {sameRows.outRows(), sameRows.outCols(), sameRows.padTop(), sameRows.padBottom(),
            sameRows.padLeft(), sameRows.padRight()}).containsExactly(3, 3, 0, 0, 0, 1);
    }

    static float[][] ones(int rows, int cols) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            java.util.Arrays.fill(row, 1f);
        }
        return m;
    }

    /** Runs a pooling layer forward, then backward with an all-ones gradient; returns {output, dInput}. */
    static float[][][] pool(Pooling2D layer) {
        layer.build(Shape.of(6, 6, 1), new SplittableRandom(1));
        float[][] out = matrix(layer.forward(image(IMAGE), true));
        Tensor dy = Tensor.zeros(1, out.length, out[0].length, 1);
        dy.fill(1f);
        return new float[][][] {out, matrix(layer.backward(dy))};
    }

    static Pooling2D maxPool(int kernelRows, int kernelCols, int stride) {
        return new MaxPool2D("max", new MaxPool2D.Config(new int[] {kernelRows, kernelCols}, new int[] {stride, stride},
                Padding.valid()));
    }

    static Pooling2D averagePool(int kernelRows, int kernelCols, int stride) {
        return new AveragePool2D("avg", new AveragePool2D.Config(new int[] {kernelRows, kernelCols},
                new int[] {stride, stride}, Padding.valid()));
    }

    @Test
    void fourByThreeStrideTwoLeavesARaggedEdge() {
        assertThat(convolve(IMAGE, ones(4, 3), 2, Padding.valid())).isEqualTo(new float[][] {{22, 26}, {30, 26}});
        float[][][] max = pool(maxPool(4, 3, 2));
        assertThat(max[0]).isEqualTo(new float[][] {{4, 4}, {4, 4}});
        // Every window's maximum is 4; the first 4 in row-major order wins, so (3,1) is picked by two windows.
        assertThat(max[1]).isEqualTo(new float[][] {
            {0, 0, 0, 0, 0, 0},
            {0, 0, 0, 1, 0, 0},
            {0, 0, 0, 0, 0, 0},
            {0, 2, 0, 1, 0, 0},
            {0, 0, 0, 0, 0, 0},
            {0, 0, 0, 0, 0, 0},
        });
        float[][][] avg = pool(averagePool(4, 3, 2));
        assertClose(avg[0], new double[][] {{22 / 12.0, 26 / 12.0}, {30 / 12.0, 26 / 12.0}});
        double t = 1 / 12.0;
        assertClose(avg[1], new double[][] {
            {t, t, 2 * t, t, t, 0},
            {t, t, 2 * t, t, t, 0},
            {2 * t, 2 * t, 4 * t, 2 * t, 2 * t, 0},
            {2 * t, 2 * t, 4 * t, 2 * t, 2 * t, 0},
            {t, t, 2 * t, t, t, 0},
            {t, t, 2 * t, t, t, 0},
        });
    }

    @Test
    void fourByFourStrideFourLeavesPixelsUncovered() {
        assertThat(convolve(IMAGE, ones(4, 4), 4, Padding.valid())).isEqualTo(new float[][] {{35}});
        float[][][] max = pool(maxPool(4, 4, 4));
        assertThat(max[0]).isEqualTo(new float[][] {{4}});
        float[][] onlyOne = new float[6][6];
        onlyOne[1][3] = 1;
        assertThat(max[1]).isEqualTo(onlyOne);
        float[][][] avg = pool(averagePool(4, 4, 4));
        assertThat(avg[0]).isEqualTo(new float[][] {{2.1875f}});
        float[][] block = new float[6][6];
        for (int r = 0; r < 4; r++) {
            java.util.Arrays.fill(block[r], 0, 4, 0.0625f);
        }
        assertThat(avg[1]).isEqualTo(block); // rows and columns 4, 5 get no gradient
    }

    @Test
    void twoByThreeStrideTwoTilesTheRows() {
        assertThat(convolve(IMAGE, ones(2, 3), 2, Padding.valid())).isEqualTo(new float[][] {
            {9, 12}, {13, 14}, {17, 12},
        });
        float[][][] max = pool(maxPool(2, 3, 2));
        assertThat(max[0]).isEqualTo(new float[][] {{3, 4}, {4, 4}, {4, 3}});
        assertThat(max[1]).isEqualTo(new float[][] {
            {1, 0, 0, 0, 0, 0},
            {0, 0, 0, 1, 0, 0},
            {0, 0, 0, 0, 0, 0},
            {0, 1, 0, 1, 0, 0},
            {0, 0, 1, 0, 0, 0},
            {1, 0, 0, 0, 0, 0},
        });
        float[][][] avg = pool(averagePool(2, 3, 2));
        assertClose(avg[0], new double[][] {{1.5, 2}, {13 / 6.0, 14 / 6.0}, {17 / 6.0, 2}});
        double s = 1 / 6.0;
        double[] row = {s, s, 2 * s, s, s, 0};
        assertClose(avg[1], new double[][] {row, row, row, row, row, row});
    }

    static void assertClose(float[][] actual, double[][] expected) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int r = 0; r < expected.length; r++) {
            assertThat(actual[r].length).isEqualTo(expected[r].length);
            for (int c = 0; c < expected[r].length; c++) {
                assertThat((double) actual[r][c]).as("element (%d, %d)", r, c).isCloseTo(expected[r][c], within(1e-6));
            }
        }
    }
}
