package org.jvision.layers;

import java.util.Arrays;
import org.jvision.kernel.Engine;
import org.jvision.kernel.Kernels;

/**
 * Convolution forward without im2col, for few output channels (LeNet's first layer: 1 channel
 * in, 6 out), where a matrix product with 6 columns fills 6 of 16 vector lanes and the patch
 * matrix is mostly copying.
 *
 * <p>An output row {@code y[i, ·, ·]} is {@code outCols*cout} contiguous floats, indexed by
 * {@code q = j*cout + co}. With column stride 1, its term for kernel position {@code (ky, kx, ci)} is
 * <pre>
 *   y[q] += xe[q + kx*cout] · we[q]
 * </pre>
 * where {@code xe} is input row {@code i*sh - padTop + ky}, channel {@code ci}, expanded so that
 * each pixel appears {@code cout} times ({@code xe[(c + padLeft)*cout + co] = x[c, ci]}, zeros in
 * the padding), and {@code we[q] = W[ky, kx, ci, q mod cout]}. Every term is then one
 * {@link Kernels#multiplyAdd} over contiguous arrays, with all vector lanes busy. (A plain loop
 * left to C2's auto-vectorizer ran at 2 GFLOP/s.)
 */
final class DirectConvolution {
    /** Output channels below which this beats im2col and a matrix product (one vector of floats). */
    static final int MAX_OUT_CHANNELS = 15;

    private DirectConvolution() {
    }

    static boolean applies(WindowGeometry g, int outChannels) {
        return outChannels <= MAX_OUT_CHANNELS && g.strideCols() == 1 && !g.isPointwise();
    }

    /** Floats of expanded kernel rows: {@code kh*kw*cin} rows of {@code outCols*cout}. */
    static int expandedKernelSize(WindowGeometry g, int inChannels, int outChannels) {
        return g.kernelRows() * g.kernelCols() * inChannels * g.outCols() * outChannels;
    }

    /** Floats of one image's expanded input rows: {@code h*cin} rows of {@code paddedCols*cout}. */
    static int expandedImageSize(WindowGeometry g, int inChannels, int outChannels) {
        return g.inRows() * inChannels * paddedCols(g) * outChannels;
    }

    private static int paddedCols(WindowGeometry g) {
        return g.inCols() + g.padLeft() + g.padRight();
    }

    /** {@code we} for every kernel position {@code (ky, kx, ci)}, in that order, from {@code W[kh, kw, cin, cout]}. */
    static void expandKernel(float[] w, float[] we, WindowGeometry g, int inChannels, int outChannels) {
        int rowLength = g.outCols() * outChannels;
        int positions = g.kernelRows() * g.kernelCols() * inChannels;
        for (int k = 0; k < positions; k++) {
            int base = k * rowLength;
            for (int q = 0; q < rowLength; q++) {
                we[base + q] = w[k * outChannels + q % outChannels];
            }
        }
    }

    /** Adds image {@code b}'s convolution to {@code y} (which holds the bias or zeros), with {@code xe} as scratch. */
    static void image(float[] x, int b, float[] xe, float[] we, float[] y, WindowGeometry g, int inChannels,
                      int outChannels) {
        int h = g.inRows();
        int w = g.inCols();
        int kh = g.kernelRows();
        int kw = g.kernelCols();
        int rowLength = g.outCols() * outChannels;
        int expandedRow = paddedCols(g) * outChannels;
        expandImage(x, b, xe, g, inChannels, outChannels, expandedRow);
        Kernels kernels = Engine.kernels();
        for (int i = 0; i < g.outRows(); i++) {
            int yRow = (b * g.outRows() + i) * rowLength;
            for (int ky = 0; ky < kh; ky++) {
                int r = g.rowStart(i) + ky;
                if (r < 0 || r >= h) {
                    continue; // a padding row adds nothing
                }
                for (int kx = 0; kx < kw; kx++) {
                    for (int ci = 0; ci < inChannels; ci++) {
                        int xeRow = (r * inChannels + ci) * expandedRow + kx * outChannels;
                        int weRow = ((ky * kw + kx) * inChannels + ci) * rowLength;
                        kernels.multiplyAdd(y, yRow, xe, xeRow, we, weRow, rowLength);
                    }
                }
            }
        }
    }

    private static void expandImage(float[] x, int b, float[] xe, WindowGeometry g, int inChannels, int outChannels,
                                    int expandedRow) {
        int h = g.inRows();
        int w = g.inCols();
        int padLeft = g.padLeft();
        int right = (padLeft + w) * outChannels;
        for (int r = 0; r < h; r++) {
            for (int ci = 0; ci < inChannels; ci++) {
                int row = (r * inChannels + ci) * expandedRow;
                Arrays.fill(xe, row, row + padLeft * outChannels, 0f);
                int src = ((b * h + r) * w) * inChannels + ci;
                for (int c = 0; c < w; c++) {
                    float v = x[src + c * inChannels];
                    int to = row + (c + padLeft) * outChannels;
                    for (int co = 0; co < outChannels; co++) {
                        xe[to + co] = v;
                    }
                }
                Arrays.fill(xe, row + right, row + expandedRow, 0f);
            }
        }
    }
}
