package org.jvision.layers;

/**
 * A stride-1 convolution's input gradient computed as a convolution of the output gradient, for
 * {@link Conv2D}: with the kernel flipped in both spatial axes and its channel axes swapped,
 * <pre>
 *   dX[i, j, ci] = Σ_{a, b, co} dY[i + a - (kh-1-padTop), j + b - (kw-1-padLeft), co] · W'[a, b, co, ci]
 *   W'[a, b, co, ci] = W[kh-1-a, kw-1-b, ci, co]
 * </pre>
 * dY read as zero outside its rows and columns. So dX is im2col of dY times W', a product as deep
 * as {@code kh·kw·cout} that writes each element of dX once, instead of {@code dP = dY·Wᵀ} (a
 * product only {@code cout} deep) folded back by col2im, which added a {@code kh·kw} times larger
 * patch matrix into dX element by element (a fifth of vgg-small's convolution time).
 *
 * <p>Applies when both strides are 1 and no padding reaches a full kernel ({@code pad <= k - 1}),
 * so the gradient's own padding is not negative ("same" and "valid" convolutions of stride 1), and
 * there are at least 16 input channels. Single-threaded, vgg-small's second convolution (32 → 32
 * channels, 28x28) went from 21 to 14 ms per batch of 64 in backward.
 */
final class TransposedInputGradient {
    /** Fewest input channels (columns of the product) for which this pays. */
    static final int MIN_IN_CHANNELS = 16;

    private final WindowGeometry geometry;
    private final int inChannels;
    private final int outChannels;
    /** W' as {@code [kh, kw, cout, cin]}, refreshed from the kernel by {@link #flip}. */
    private final float[] flipped;

    TransposedInputGradient(WindowGeometry forward, int inChannels, int outChannels) {
        int kh = forward.kernelRows();
        int kw = forward.kernelCols();
        int top = kh - 1 - forward.padTop();
        int left = kw - 1 - forward.padLeft();
        this.geometry = new WindowGeometry(forward.outRows(), forward.outCols(), kh, kw, 1, 1,
                top, forward.inRows() - forward.outRows() - top + kh - 1,
                left, forward.inCols() - forward.outCols() - left + kw - 1,
                forward.inRows(), forward.inCols());
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.flipped = new float[kh * kw * inChannels * outChannels];
    }

    /**
     * Whether it applies to a convolution of this geometry from {@code inChannels} channels. The
     * product is {@code cin} columns wide: below {@link #MIN_IN_CHANNELS} it would leave most vector
     * lanes idle, and col2im costs little there.
     */
    static boolean applies(WindowGeometry g, int inChannels) {
        return inChannels >= MIN_IN_CHANNELS && !g.isPointwise() && g.strideRows() == 1 && g.strideCols() == 1
                && g.padTop() < g.kernelRows() && g.padBottom() < g.kernelRows()
                && g.padLeft() < g.kernelCols() && g.padRight() < g.kernelCols();
    }

    /** Where the gradient's windows land on dY: dY's size in, the input's size out. */
    WindowGeometry geometry() {
        return geometry;
    }

    /** Depth of the gradient's patches: {@code kh·kw·cout}. */
    int patchSize() {
        return geometry.kernelRows() * geometry.kernelCols() * outChannels;
    }

    /** Writes W' from the kernel {@code w} ({@code [kh, kw, cin, cout]}) and returns it. */
    float[] flip(float[] w) {
        int kh = geometry.kernelRows();
        int kw = geometry.kernelCols();
        for (int a = 0; a < kh; a++) {
            for (int b = 0; b < kw; b++) {
                int from = ((kh - 1 - a) * kw + (kw - 1 - b)) * inChannels * outChannels;
                int to = (a * kw + b) * outChannels * inChannels;
                for (int ci = 0; ci < inChannels; ci++) {
                    for (int co = 0; co < outChannels; co++) {
                        flipped[to + co * inChannels + ci] = w[from + ci * outChannels + co];
                    }
                }
            }
        }
        return flipped;
    }
}
