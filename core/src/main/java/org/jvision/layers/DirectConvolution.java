package org.jvision.layers;

import java.util.Arrays;
import org.jvision.kernel.Engine;
import org.jvision.kernel.Kernels;

/**
 * Convolution without im2col, for fewer output channels than a vector has lanes (LeNet's first
 * layer: 1 channel in, 6 out), where a matrix product with 6 columns fills 6 of 16 vector lanes,
 * has a short sum, and its patch matrix is mostly copying. Forward and the kernel gradient; the
 * input gradient stays a matrix product ({@link Conv2D}).
 *
 * <p>Each image is copied into a zero-padded buffer one channel plane at a time,
 * {@code xp[ci][r][c] = x[r - padTop, c - padLeft, ci]}. With column stride 1, output row i of
 * channel co is then, over kernel positions {@code t = (ky, kx, ci)},
 * <pre>
 *   y[i, j, co] += Σ_t xp[ci][i*sh + ky][j + kx] · W[t, co]
 * </pre>
 * where {@code xp[ci][i*sh + ky][j + kx]} for consecutive j is a contiguous stretch of the buffer:
 * {@link Kernels#planarConvolution} runs vector lanes along the row and broadcasts the weights. The
 * kernel gradient is the same sum the other way round, {@code dW[t, co] = Σ_{i,j} xp[…] · dy[i, j, co]},
 * with the output gradient copied into planes too ({@link Kernels#planarKernelGradient}).
 */
final class DirectConvolution {
    /**
     * Output channels up to which this beats im2col and a matrix product. Measured on LeNet's
     * layers: 1 → 6 channels several times faster both ways (28-pixel rows). With 16 channels a
     * matrix product fills every lane, and LeNet's second layer (10-pixel rows, 10 of 32 lanes
     * here) stays one.
     */
    static final int MAX_OUT_CHANNELS = 15;

    private final WindowGeometry g;
    private final int inChannels;
    private final int outChannels;
    private final int terms;
    private final int paddedCols;
    private final int plane;
    /** Where kernel position t reads the padded planes: {@code ci*plane + ky*paddedCols + kx}. */
    private final int[] positionOffsets;
    /** The last forward's images in padded planes, one after the other, kept for the kernel gradient. */
    private float[] planes = new float[0];

    DirectConvolution(WindowGeometry g, int inChannels, int outChannels) {
        this.g = g;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.terms = g.kernelRows() * g.kernelCols() * inChannels;
        this.paddedCols = g.padLeft() + g.inCols() + g.padRight();
        this.plane = (g.padTop() + g.inRows() + g.padBottom()) * paddedCols;
        positionOffsets = new int[terms];
        for (int ky = 0; ky < g.kernelRows(); ky++) {
            for (int kx = 0; kx < g.kernelCols(); kx++) {
                for (int ci = 0; ci < inChannels; ci++) {
                    positionOffsets[(ky * g.kernelCols() + kx) * inChannels + ci] = ci * plane + ky * paddedCols + kx;
                }
            }
        }
    }

    /** Whether this computes the convolution: few output channels, column stride 1, not a 1x1 product. */
    static boolean applies(WindowGeometry g, int outChannels) {
        return outChannels <= MAX_OUT_CHANNELS && g.strideCols() == 1 && !g.isPointwise();
    }

    /** Floats of scratch per thread: one image's output gradient in planes, and the kernels' slack. */
    int scratchSize() {
        return g.outRows() * g.outCols() * outChannels + Kernels.PLANAR_SLACK;
    }

    /** Makes room for a batch's planes; call before {@link #forward} on a new batch. */
    void prepare(int batch) {
        int size = batch * inChannels * plane + Kernels.PLANAR_SLACK;
        if (planes.length < size) {
            planes = new float[size];
        }
    }

    /** Adds image {@code b}'s convolution to {@code y} (which holds the bias or zeros). */
    void forward(float[] x, int b, float[] w, float[] y) {
        int at = b * inChannels * plane;
        toPlanes(x, b, planes, at);
        int imageOut = g.outRows() * g.outCols() * outChannels;
        Engine.kernels().planarConvolution(g.outRows(), g.outCols(), outChannels, terms, planes, at,
                g.strideRows() * paddedCols, positionOffsets, w, y, b * imageOut);
    }

    /**
     * Adds image {@code b}'s part of the kernel gradient to {@code dw[offset…]} (laid out as the
     * kernel), from the planes its forward kept, and when {@code biasSums} is not null its output
     * gradient's sum per channel to {@code biasSums[biasOffset…]}, on the way through.
     */
    void addKernelGradient(int b, float[] dy, float[] scratch, float[] dw, int offset, double[] biasSums,
                           int biasOffset) {
        int pixels = g.outRows() * g.outCols();
        int from = b * pixels * outChannels;
        for (int co = 0; co < outChannels; co++) {
            // Four running sums, so that the adds need not each wait for the one before (LeNet's
            // first layer: 784 pixels a channel).
            float s0 = 0f;
            float s1 = 0f;
            float s2 = 0f;
            float s3 = 0f;
            int at = co * pixels;
            int p = 0;
            for (; p + 4 <= pixels; p += 4) {
                float v0 = dy[from + p * outChannels + co];
                float v1 = dy[from + (p + 1) * outChannels + co];
                float v2 = dy[from + (p + 2) * outChannels + co];
                float v3 = dy[from + (p + 3) * outChannels + co];
                scratch[at + p] = v0;
                scratch[at + p + 1] = v1;
                scratch[at + p + 2] = v2;
                scratch[at + p + 3] = v3;
                s0 += v0;
                s1 += v1;
                s2 += v2;
                s3 += v3;
            }
            for (; p < pixels; p++) {
                float v = dy[from + p * outChannels + co];
                scratch[at + p] = v;
                s0 += v;
            }
            if (biasSums != null) {
                biasSums[biasOffset + co] += (s0 + s1) + (s2 + s3);
            }
        }
        Engine.kernels().planarKernelGradient(g.outRows(), g.outCols(), outChannels, terms, planes,
                b * inChannels * plane, g.strideRows() * paddedCols, positionOffsets, scratch, 0, dw, offset);
    }

    /** Copies image {@code b} into zero-padded channel planes at {@code xp[at…]}. */
    private void toPlanes(float[] x, int b, float[] xp, int at) {
        int h = g.inRows();
        int w = g.inCols();
        Arrays.fill(xp, at, at + inChannels * plane, 0f);
        int src = b * h * w * inChannels;
        for (int r = 0; r < h; r++) {
            int row = at + (g.padTop() + r) * paddedCols + g.padLeft();
            if (inChannels == 1) {
                System.arraycopy(x, src + r * w, xp, row, w);
                continue;
            }
            for (int c = 0; c < w; c++) {
                for (int ci = 0; ci < inChannels; ci++) {
                    xp[ci * plane + row + c] = x[src + (r * w + c) * inChannels + ci];
                }
            }
        }
    }
}
