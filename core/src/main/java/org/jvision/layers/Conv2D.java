package org.jvision.layers;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jvision.kernel.Engine;
import org.jvision.kernel.Parallel;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, the kernel is not flipped, as in every DL framework):
 * <pre>
 *   y[b, i, j, co] = bias[co] + Σ_{ky, kx, ci} x[b, i*sh - padTop + ky, j*sw - padLeft + kx, ci] · W[ky, kx, ci, co]
 * </pre>
 * with zeros outside the image. Shapes (NHWC): input {@code [batch, h, w, cin]}, kernel
 * {@code [kh, kw, cin, cout]}, output {@code [batch, oh, ow, cout]} where
 * {@code oh = floor((h + padTop + padBottom - kh) / sh) + 1} (likewise {@code ow}); see
 * {@link Padding} for "valid", "same" and explicit padding and {@link WindowGeometry} for the
 * arithmetic.
 *
 * <p>Forward unfolds the patches (im2col) into a reused matrix {@code P [batch*oh*ow, kh*kw*cin]}
 * and makes one matrix product with the kernel viewed as {@code [kh*kw*cin, cout]}: {@code Y = P·W + b}.
 * A 1x1, stride-1, unpadded convolution (a channel mixer / bottleneck) skips the unfolding: the
 * input already is {@code P}. Backward is matrix products too:
 * {@code dW += Pᵀ·dY}, {@code db += Σ_rows dY}, {@code dP = dY·Wᵀ}, then {@code dX = fold(dP)} (col2im),
 * adding where windows overlap.
 *
 * <p>Initialization: the kernel from {@link Config#kernelInitializer()} (Glorot uniform by default,
 * as Keras; He normal for ReLU networks) with fan-in {@code kh*kw*cin} and fan-out
 * {@code kh*kw*cout}; the bias at zero.
 */
public final class Conv2D extends Layer {

    /**
     * Conv2D's hyperparameters.
     *
     * @param filters           output channels (cout), positive
     * @param kernelSize        {@code {kh, kw}}
     * @param strides           {@code {sh, sw}}; null means {@code {1, 1}}
     * @param padding           null means valid
     * @param useBias           whether to add a learned bias per output channel
     * @param kernelInitializer null means {@link Initializer#GLOROT_UNIFORM}
     */
    public record Config(int filters, int[] kernelSize, int[] strides, Padding padding, boolean useBias,
                         Initializer kernelInitializer) {
        public Config {
            kernelSize = kernelSize == null ? null : kernelSize.clone();
            strides = strides == null ? new int[] {1, 1} : strides.clone();
            padding = padding == null ? Padding.valid() : padding;
            kernelInitializer = kernelInitializer == null ? Initializer.GLOROT_UNIFORM : kernelInitializer;
        }

        /** A square kernel, stride 1, valid padding, with bias, Glorot uniform. */
        public static Config of(int filters, int kernelSize) {
            return new Config(filters, new int[] {kernelSize, kernelSize}, null, null, true, null);
        }

        public Config withStrides(int rows, int cols) {
            return new Config(filters, kernelSize, new int[] {rows, cols}, padding, useBias, kernelInitializer);
        }

        public Config withPadding(Padding newPadding) {
            return new Config(filters, kernelSize, strides, newPadding, useBias, kernelInitializer);
        }

        public Config withUseBias(boolean newUseBias) {
            return new Config(filters, kernelSize, strides, padding, newUseBias, kernelInitializer);
        }

        public Config withKernelInitializer(Initializer initializer) {
            return new Config(filters, kernelSize, strides, padding, useBias, initializer);
        }

        @Override
        public int[] kernelSize() {
            return kernelSize == null ? null : kernelSize.clone();
        }

        @Override
        public int[] strides() {
            return strides.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && filters == c.filters && Arrays.equals(kernelSize, c.kernelSize)
                    && Arrays.equals(strides, c.strides) && padding.equals(c.padding) && useBias == c.useBias
                    && kernelInitializer == c.kernelInitializer;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * filters + Arrays.hashCode(kernelSize)) + Arrays.hashCode(strides) + padding.hashCode();
        }

        @Override
        public String toString() {
            return "Conv2D.Config[filters=" + filters + ", kernelSize=" + Arrays.toString(kernelSize) + ", strides="
                    + Arrays.toString(strides) + ", padding=" + padding + ", useBias=" + useBias
                    + ", kernelInitializer=" + kernelInitializer + "]";
        }
    }

    private final Config config;
    private final int kernelRows;
    private final int kernelCols;
    private final int strideRows;
    private final int strideCols;

    private Parameter kernel;
    private Parameter bias;
    private WindowGeometry geometry;

    // What forward keeps for backward, and buffers reused from batch to batch.
    private Tensor input;
    private Tensor patches;
    private Tensor output;
    private Tensor patchGradient;
    private Tensor inputGradient;
    private double[] biasSums;

    public Conv2D(String name, Config config) {
        super(name);
        this.config = config;
        String who = describe();
        if (config.filters() <= 0) {
            throw new IllegalArgumentException(who + ": filters must be positive, received: " + config.filters());
        }
        int[] k = config.kernelSize();
        if (k == null || k.length != 2 || k[0] <= 0 || k[1] <= 0) {
            throw new IllegalArgumentException(who + ": kernelSize must be two positive values {rows, cols}, received: "
                    + Arrays.toString(k));
        }
        int[] s = config.strides();
        if (s.length != 2 || s[0] <= 0 || s[1] <= 0) {
            throw new IllegalArgumentException(who + ": strides must be two positive values {rows, cols}, received: "
                    + Arrays.toString(s));
        }
        kernelRows = k[0];
        kernelCols = k[1];
        strideRows = s[0];
        strideCols = s[1];
    }

    /** A square kernel, stride 1, valid padding, with bias. */
    public Conv2D(String name, int filters, int kernelSize) {
        this(name, Config.of(filters, kernelSize));
    }

    /** A square kernel and stride. */
    public Conv2D(String name, int filters, int kernelSize, int stride, Padding padding) {
        this(name, Config.of(filters, kernelSize).withStrides(stride, stride).withPadding(padding));
    }

    @Override
    public String type() {
        return "Conv2D";
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() != 3) {
            throw new IllegalArgumentException(describe() + ": expects images [rows, cols, channels] per example,"
                    + " received input shape " + inputShape);
        }
        if (kernel != null && inputShape.dim(2) != kernel.value().dim(2)) {
            throw channelMismatch(inputShape);
        }
        WindowGeometry g = geometry(inputShape);
        return Shape.of(g.outRows(), g.outCols(), config.filters());
    }

    private WindowGeometry geometry(Shape inputShape) {
        return WindowGeometry.of(describe(), "kernel", inputShape.dim(0), inputShape.dim(1), kernelRows, kernelCols,
                strideRows, strideCols, config.padding());
    }

    private IllegalArgumentException channelMismatch(Shape received) {
        Shape k = kernel.value().shape();
        return new IllegalArgumentException(describe() + ": input has " + received.dim(-1) + " channels, kernel expects "
                + k.dim(2) + " (input shape " + received + ", kernel shape " + k + ")");
    }

    @Override
    protected void initialize(Shape inputShape, SplittableRandom random) {
        geometry = geometry(inputShape);
        int inChannels = inputShape.dim(2);
        int outChannels = config.filters();
        Tensor w = Tensor.zeros(kernelRows, kernelCols, inChannels, outChannels);
        config.kernelInitializer().fill(w, kernelRows * kernelCols * inChannels, kernelRows * kernelCols * outChannels,
                random);
        kernel = Parameter.weight("kernel", w);
        bias = config.useBias() ? Parameter.bias("bias", Tensor.zeros(outChannels)) : null;
        biasSums = new double[outChannels];
    }

    @Override
    public List<Parameter> parameters() {
        requireBuilt();
        return bias == null ? List.of(kernel) : List.of(kernel, bias);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        requireBuilt();
        if (x.rank() == 4 && x.dim(3) != kernel.value().dim(2)) {
            throw channelMismatch(x.shape());
        }
        checkInput(x);
        int batch = x.dim(0);
        int rows = batch * geometry.outRows() * geometry.outCols();
        int patchSize = kernelRows * kernelCols * x.dim(3);
        int outChannels = config.filters();

        float[] p;
        if (geometry.isPointwise()) {
            p = x.data();
        } else {
            patches = Tensor.reuse(patches, Shape.of(rows, patchSize));
            p = patches.data();
            im2col(x.data(), p, batch, x.dim(3), geometry);
        }
        input = x;

        output = Tensor.reuse(output, outputShape().withBatch(batch));
        float[] y = output.data();
        if (bias != null) {
            // Y starts as the bias in every row; the product is added to it.
            float[] b = bias.value().data();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(b, 0, y, r * outChannels, outChannels);
            }
        }
        // Y[rows, cout] (+)= P[rows, kh*kw*cin] · W[kh*kw*cin, cout]
        Engine.kernels().gemm(false, false, rows, outChannels, patchSize,
                p, 0, patchSize, kernel.value().data(), 0, outChannels, y, 0, outChannels, bias != null);
        return output;
    }

    @Override
    public Tensor backward(Tensor dy) {
        checkOutputGradient(dy, input == null ? null : output.shape());
        int batch = input.dim(0);
        int inChannels = input.dim(3);
        int rows = batch * geometry.outRows() * geometry.outCols();
        int patchSize = kernelRows * kernelCols * inChannels;
        int outChannels = config.filters();
        float[] g = dy.data();
        boolean pointwise = geometry.isPointwise();
        float[] p = pointwise ? input.data() : patches.data();

        // dW[kh*kw*cin, cout] += Pᵀ · dY
        Engine.kernels().gemm(true, false, patchSize, outChannels, rows,
                p, 0, patchSize, g, 0, outChannels, kernel.gradient().data(), 0, outChannels, true);

        // db += Σ over all rows of dY (summed in double: there are batch*oh*ow rows)
        if (bias != null) {
            BiasGradient.accumulate(g, rows, outChannels, biasSums, bias.gradient().data());
        }
        if (!isInputGradientNeeded()) {
            return null;
        }

        // dP[rows, kh*kw*cin] = dY · Wᵀ, then dX = fold(dP); a pointwise dP already is dX.
        inputGradient = Tensor.reuse(inputGradient, input.shape());
        float[] dp;
        if (pointwise) {
            dp = inputGradient.data();
        } else {
            patchGradient = Tensor.reuse(patchGradient, Shape.of(rows, patchSize));
            dp = patchGradient.data();
        }
        Engine.kernels().gemm(false, true, rows, patchSize, outChannels,
                g, 0, outChannels, kernel.value().data(), 0, outChannels, dp, 0, patchSize, false);
        if (!pointwise) {
            col2im(dp, inputGradient.data(), batch, inChannels, geometry);
        }
        return inputGradient;
    }

    /**
     * Unfolds every window into a row of {@code p}: row {@code (b*oh + i)*ow + j}, column
     * {@code (ky*kw + kx)*cin + ci}, zeros where the window hangs over the border. In one window row
     * the {@code kw*cin} values are contiguous in the input and in the patch, so they are copied
     * as one span (clipped at the left and right borders).
     */
    static void im2col(float[] x, float[] p, int batch, int channels, WindowGeometry g) {
        int h = g.inRows();
        int w = g.inCols();
        int kh = g.kernelRows();
        int kw = g.kernelCols();
        int patchSize = kh * kw * channels;
        int perExample = g.outRows() * g.outCols();
        Parallel.forRange(batch, WindowGeometry.minExamplesPerTask((long) perExample * patchSize), (from, to) -> {
            for (int b = from; b < to; b++) {
                int xBase = b * h * w * channels;
                for (int i = 0; i < g.outRows(); i++) {
                    int y0 = g.rowStart(i);
                    for (int j = 0; j < g.outCols(); j++) {
                        int x0 = g.colStart(j);
                        int kxFrom = Math.max(0, -x0);
                        int kxTo = Math.min(kw, w - x0);
                        int row = ((b * g.outRows() + i) * g.outCols() + j) * patchSize;
                        for (int ky = 0; ky < kh; ky++) {
                            int dst = row + ky * kw * channels;
                            int iy = y0 + ky;
                            if (iy < 0 || iy >= h || kxFrom >= kxTo) {
                                zero(p, dst, kw * channels);
                                continue;
                            }
                            zero(p, dst, kxFrom * channels);
                            copy(x, xBase + (iy * w + x0 + kxFrom) * channels, p, dst + kxFrom * channels,
                                    (kxTo - kxFrom) * channels);
                            zero(p, dst + kxTo * channels, (kw - kxTo) * channels);
                        }
                    }
                }
            }
        });
    }

    /**
     * Copies {@code n} floats. With one input channel a patch row is a handful of floats (5 for
     * LeNet's 5x5 kernels), where System.arraycopy's call overhead costs more than the copy.
     */
    private static void copy(float[] src, int from, float[] dst, int to, int n) {
        if (n >= 32) {
            System.arraycopy(src, from, dst, to, n);
            return;
        }
        for (int t = 0; t < n; t++) {
            dst[to + t] = src[from + t];
        }
    }

    /** Zeroes {@code n} floats (usually none or a few: the padded part of a patch row). */
    private static void zero(float[] a, int from, int n) {
        for (int t = 0; t < n; t++) {
            a[from + t] = 0f;
        }
    }

    /**
     * Folds patch gradients back onto the image (the adjoint of {@link #im2col}): every patch entry
     * is added to the pixel it was copied from; entries that came from padding are dropped.
     */
    static void col2im(float[] dp, float[] dx, int batch, int channels, WindowGeometry g) {
        int h = g.inRows();
        int w = g.inCols();
        int kh = g.kernelRows();
        int kw = g.kernelCols();
        int patchSize = kh * kw * channels;
        int perExample = g.outRows() * g.outCols();
        Parallel.forRange(batch, WindowGeometry.minExamplesPerTask((long) perExample * patchSize), (from, to) -> {
            // Each example writes only its own slice of dx: no two threads touch the same pixel.
            Arrays.fill(dx, from * h * w * channels, to * h * w * channels, 0f);
            for (int b = from; b < to; b++) {
                int xBase = b * h * w * channels;
                for (int i = 0; i < g.outRows(); i++) {
                    int y0 = g.rowStart(i);
                    for (int j = 0; j < g.outCols(); j++) {
                        int x0 = g.colStart(j);
                        int kxFrom = Math.max(0, -x0);
                        int kxTo = Math.min(kw, w - x0);
                        int row = ((b * g.outRows() + i) * g.outCols() + j) * patchSize;
                        for (int ky = 0; ky < kh; ky++) {
                            int iy = y0 + ky;
                            if (iy < 0 || iy >= h || kxFrom >= kxTo) {
                                continue;
                            }
                            int src = row + (ky * kw + kxFrom) * channels;
                            int dst = xBase + (iy * w + x0 + kxFrom) * channels;
                            int n = (kxTo - kxFrom) * channels;
                            for (int t = 0; t < n; t++) {
                                dx[dst + t] += dp[src + t];
                            }
                        }
                    }
                }
            }
        });
    }
}
