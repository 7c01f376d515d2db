package org.jvision.layers;

import java.util.Arrays;
import org.jvision.kernel.Engine;
import org.jvision.kernel.Kernels;

/**
 * Max pooling whose windows tile the image (strides equal to the window, valid padding, e.g. 2x2
 * stride 2), for {@link MaxPool2D}. Each input pixel lies in at most one window, so backward needs
 * no record of where the maxima were: it compares each window with its maximum again and writes
 * every pixel of {@code dx} exactly once. Loops run over whole rows of NHWC data, the channels
 * innermost; no branch depends on the data (the comparisons go either way at random). 2x2 windows,
 * the common case, run on {@link Kernels#maxPool2x2} and {@link Kernels#maxPool2x2Gradient}.
 */
final class TiledMaxPooling {
    private TiledMaxPooling() {
    }

    /** {@code y = max} over each window, for examples {@code [from, to)}; a NaN wins its window. */
    static void forward(float[] x, float[] y, WindowGeometry g, int channels, int from, int to) {
        int kh = g.kernelRows();
        int kw = g.kernelCols();
        int inRow = g.inCols() * channels;
        int outRow = g.outCols() * channels;
        int windowCols = kw * channels;
        Kernels kernels = Engine.kernels();
        for (int b = from; b < to; b++) {
            for (int i = 0; i < g.outRows(); i++) {
                int first = (b * g.inRows() + i * kh) * inRow;
                int o = (b * g.outRows() + i) * outRow;
                if (kh == 2 && kw == 2) {
                    kernels.maxPool2x2(x, first, inRow, y, o, g.outCols(), channels);
                    continue;
                }
                for (int j = 0; j < g.outCols(); j++) {
                    int p = first + j * windowCols;
                    for (int c = 0; c < channels; c++) {
                        float max = x[p + c];
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0; kx < kw; kx++) {
                                max = Math.max(max, x[p + ky * inRow + kx * channels + c]);
                            }
                        }
                        y[o + j * channels + c] = max;
                    }
                }
            }
        }
    }

    /**
     * {@code dx} for examples {@code [from, to)}: each window's gradient goes to the first pixel
     * (row-major) equal to its maximum, or to its first pixel when the maximum is NaN; every other
     * pixel, and those no window covers (a ragged edge), gets zero.
     */
    static void backward(float[] x, float[] y, float[] dy, float[] dx, WindowGeometry g, int channels, int from,
                         int to) {
        int kh = g.kernelRows();
        int kw = g.kernelCols();
        int inRow = g.inCols() * channels;
        int outRow = g.outCols() * channels;
        int windowCols = kw * channels;
        int coveredCols = g.outCols() * windowCols;
        Kernels kernels = Engine.kernels();
        for (int b = from; b < to; b++) {
            for (int i = 0; i < g.outRows(); i++) {
                int first = (b * g.inRows() + i * kh) * inRow;
                int o = (b * g.outRows() + i) * outRow;
                if (kh == 2 && kw == 2) {
                    kernels.maxPool2x2Gradient(x, first, inRow, y, dy, o, dx, g.outCols(), channels);
                } else {
                    backwardRow(x, y, dy, dx, g.outCols(), channels, kh, kw, inRow, first, o);
                }
                for (int ky = 0; ky < kh; ky++) {
                    Arrays.fill(dx, first + ky * inRow + coveredCols, first + (ky + 1) * inRow, 0f);
                }
            }
            int imageEnd = (b + 1) * g.inRows() * inRow;
            Arrays.fill(dx, imageEnd - (g.inRows() - g.outRows() * kh) * inRow, imageEnd, 0f);
        }
    }

    /** One row of windows of any size; a NaN maximum goes to the window's first pixel. */
    private static void backwardRow(float[] x, float[] y, float[] dy, float[] dx, int outCols, int channels, int kh,
                                    int kw, int inRow, int first, int o) {
        int windowCols = kw * channels;
        for (int j = 0; j < outCols; j++) {
            int p = first + j * windowCols;
            for (int c = 0; c < channels; c++) {
                float max = y[o + j * channels + c];
                // The gradient's bits, cleared once a pixel has taken it.
                int left = Float.floatToRawIntBits(dy[o + j * channels + c]);
                int nan = max != max ? -1 : 0;
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        int at = p + ky * inRow + kx * channels + c;
                        int hit = (x[at] == max ? -1 : 0) | nan;
                        dx[at] = Float.intBitsToFloat(left & hit);
                        left &= ~hit;
                        nan = 0;
                    }
                }
            }
        }
    }
}
