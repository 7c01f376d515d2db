package org.jvision.layers;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jvision.kernel.Engine;
import org.jvision.kernel.Kernels;
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
 * <p>Forward unfolds the patches (im2col) into a matrix {@code P [oh*ow, kh*kw*cin]} per group of
 * images and makes one matrix product per group with the kernel viewed as {@code [kh*kw*cin, cout]}:
 * {@code Y = P·W + b}. Threads take whole groups ({@link ImageGroups}); a group's P fits in L2, and
 * the whole batch's P (58 MB for a 3x3 convolution of 32 channels at 28x28, batch 64) is never
 * materialized. With few output channels and column stride 1, forward and the kernel gradient are
 * {@link DirectConvolution} instead (no patches at all). A 1x1, stride-1, unpadded convolution (a channel mixer / bottleneck) skips the
 * unfolding: the input already is {@code P}. Backward is matrix products too, per group, with P
 * unfolded again: {@code dW += Pᵀ·dY} (one block per thread, added in thread order),
 * {@code db += Σ_rows dY}, {@code dP = dY·Wᵀ}, then {@code dX = fold(dP)} (col2im), adding where
 * windows overlap; for stride 1 and at least 16 input channels, dX is instead a convolution of dY
 * with the flipped kernel ({@link TransposedInputGradient}), with no fold.
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
    private Tensor output;
    private Tensor inputGradient;
    private double[] biasSums;
    /** One patch matrix per thread, for a group of images at a time (see {@link ImageGroups}). */
    private float[][] patchBuffers = new float[0][];
    /** Scratch per thread for {@link DirectConvolution}: an image's output gradient in channel planes. */
    private float[][] directScratch = new float[0][];
    /** Forward and the kernel gradient without im2col, for few output channels; null otherwise. */
    private DirectConvolution direct;
    /** The input gradient as a convolution of dY, for stride 1; null otherwise. */
    private TransposedInputGradient transposed;
    /** One weight-gradient block per thread, added up in thread order after backward. */
    private float[] kernelGradientParts = new float[0];

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
        direct = DirectConvolution.applies(geometry, outChannels)
                ? new DirectConvolution(geometry, inChannels, outChannels) : null;
        transposed = TransposedInputGradient.applies(geometry, inChannels)
                ? new TransposedInputGradient(geometry, inChannels, outChannels) : null;
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
        input = x;
        output = Tensor.reuse(output, outputShape().withBatch(batch));
        float[] y = output.data();
        float[] w = kernel.value().data();
        if (geometry.isPointwise()) {
            startWithBias(y, 0, rows);
            // Y[rows, cout] (+)= X[rows, cin] · W[cin, cout]: the input already is the patch matrix.
            Engine.kernels().gemm(false, false, rows, outChannels, patchSize,
                    x.data(), 0, patchSize, w, 0, outChannels, y, 0, outChannels, bias != null);
            return output;
        }
        ImageGroups groups = ImageGroups.of(batch, geometry.outRows() * geometry.outCols());
        if (direct != null) {
            direct.prepare(batch);
            Parallel.forTasks(groups.tasks(), (t, thread) -> {
                int first = firstImageOf(groups, t);
                int last = firstImageOf(groups, t + 1);
                startWithBias(y, first * groups.rowsPerImage(), last * groups.rowsPerImage());
                for (int b = first; b < last; b++) {
                    direct.forward(x.data(), b, w, y);
                }
            });
            return output;
        }
        float[][] buffers = patchBuffers(groups, groups.rowsPerImage() * patchSize);
        Parallel.forTasks(groups.tasks(), (t, thread) -> {
            float[] p = buffers[thread];
            for (int g = groups.firstGroup(t); g < groups.firstGroup(t + 1); g++) {
                int b0 = groups.firstImage(g);
                int images = groups.images(g);
                int groupRows = images * groups.rowsPerImage();
                startWithBias(y, b0 * groups.rowsPerImage(), b0 * groups.rowsPerImage() + groupRows);
                im2col(x.data(), p, b0, images, x.dim(3), geometry);
                // Y[group rows, cout] (+)= P[group rows, kh*kw*cin] · W[kh*kw*cin, cout]
                Engine.kernels().gemm(false, false, groupRows, outChannels, patchSize,
                        p, 0, patchSize, w, 0, outChannels,
                        y, b0 * groups.rowsPerImage() * outChannels, outChannels, bias != null);
            }
        });
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
        float[] w = kernel.value().data();
        float[] dw = kernel.gradient().data();

        DirectConvolution d = direct;
        // db += Σ over all rows of dY (summed in double: there are batch*oh*ow rows); the direct
        // path sums per image on its way through dY, below.
        if (bias != null && d == null) {
            BiasGradient.accumulate(g, rows, outChannels, biasSums, bias.gradient().data());
        }
        boolean needInputGradient = isInputGradientNeeded();
        if (needInputGradient) {
            inputGradient = inputGradientBuffer(inputGradient, input.shape(), dy);
        }
        if (geometry.isPointwise()) {
            // dW[cin, cout] += Xᵀ · dY;  dX[rows, cin] = dY · Wᵀ
            Engine.kernels().gemm(true, false, patchSize, outChannels, rows,
                    input.data(), 0, patchSize, g, 0, outChannels, dw, 0, outChannels, true);
            if (needInputGradient) {
                Engine.kernels().gemm(false, true, rows, patchSize, outChannels,
                        g, 0, outChannels, w, 0, outChannels, inputGradient.data(), 0, patchSize, false);
            }
            return needInputGradient ? inputGradient : null;
        }

        // Per group of images: its part of dW into the task's block (directly, or from P
        // unfolded again: cheaper than keeping the whole batch's), then dP = dY·Wᵀ and dX = fold(dP).
        ImageGroups groups = ImageGroups.of(batch, geometry.outRows() * geometry.outCols());
        double[] biasParts = d != null && bias != null ? biasPartSums(groups.tasks()) : null;
        TransposedInputGradient tg = needInputGradient ? transposed : null;
        int inPixels = input.dim(1) * input.dim(2);
        int perImage = Math.max(groups.rowsPerImage() * patchSize, tg == null ? 0 : inPixels * tg.patchSize());
        float[][] buffers = d == null || needInputGradient ? patchBuffers(groups, perImage) : null;
        float[] flipped = tg == null ? null : tg.flip(w);
        float[][] scratch = d == null ? null : directScratch(Parallel.threads());
        int blockSize = patchSize * outChannels;
        if (kernelGradientParts.length < groups.tasks() * blockSize) {
            kernelGradientParts = new float[groups.tasks() * blockSize];
        }
        float[] parts = kernelGradientParts;
        float[] x = input.data();
        float[] dx = needInputGradient ? inputGradient.data() : null;
        Parallel.forTasks(groups.tasks(), (t, thread) -> {
            float[] p = buffers == null ? null : buffers[thread];
            if (d != null) {
                Arrays.fill(parts, t * blockSize, (t + 1) * blockSize, 0f);
            }
            for (int gi = groups.firstGroup(t); gi < groups.firstGroup(t + 1); gi++) {
                int b0 = groups.firstImage(gi);
                int images = groups.images(gi);
                int groupRows = images * groups.rowsPerImage();
                int dyOffset = b0 * groups.rowsPerImage() * outChannels;
                if (d != null) {
                    for (int b = b0; b < b0 + images; b++) {
                        d.addKernelGradient(b, g, scratch[thread], parts, t * blockSize, biasParts,
                                t * outChannels);
                    }
                } else {
                    im2col(x, p, b0, images, inChannels, geometry);
                    // dW block t [kh*kw*cin, cout] (+)= Pᵀ · dY, the task's first group overwriting
                    Engine.kernels().gemm(true, false, patchSize, outChannels, groupRows,
                            p, 0, patchSize, g, dyOffset, outChannels, parts, t * blockSize, outChannels,
                            gi != groups.firstGroup(t));
                }
                if (tg != null) {
                    // dX[group pixels, cin] = im2col(dY)[group pixels, kh*kw*cout] · W'[kh*kw*cout, cin]
                    im2col(g, p, b0, images, outChannels, tg.geometry());
                    Engine.kernels().gemm(false, false, images * inPixels, inChannels, tg.patchSize(),
                            p, 0, tg.patchSize(), flipped, 0, inChannels,
                            dx, b0 * inPixels * inChannels, inChannels, false);
                } else if (dx != null) {
                    Engine.kernels().gemm(false, true, groupRows, patchSize, outChannels,
                            g, dyOffset, outChannels, w, 0, outChannels, p, 0, patchSize, false);
                    col2im(p, dx, b0, images, inChannels, geometry);
                }
            }
        });
        if (biasParts != null) {
            float[] db = bias.gradient().data();
            for (int co = 0; co < outChannels; co++) {
                double sum = 0;
                for (int t = 0; t < groups.tasks(); t++) {
                    sum += biasParts[t * outChannels + co];
                }
                db[co] += (float) sum;
            }
        }
        // dW += task 0's block + task 1's + ..., in that order whatever thread ran them.
        for (int t = 0; t < groups.tasks(); t++) {
            int base = t * blockSize;
            for (int i = 0; i < blockSize; i++) {
                dw[i] += parts[base + i];
            }
        }
        return needInputGradient ? inputGradient : null;
    }

    /**
     * Sets output rows (pixels) {@code [from, to)} to the bias, to which the convolution is then
     * added, or to zero without one. One pixel is a few floats (6 in LeNet's first layer), so the
     * rows are copied in doubling blocks: a copy per pixel cost more than the convolution.
     */
    private void startWithBias(float[] y, int from, int to) {
        int n = config.filters();
        if (bias == null) {
            Arrays.fill(y, from * n, to * n, 0f);
            return;
        }
        if (from == to) {
            return;
        }
        System.arraycopy(bias.value().data(), 0, y, from * n, n);
        for (int done = n, total = (to - from) * n; done < total; done *= 2) {
            System.arraycopy(y, from * n, y, from * n + done, Math.min(done, total - done));
        }
    }

    /** The per-thread patch buffers, grown to one group's patch matrix of {@code perImage} floats an image. */
    private float[][] patchBuffers(ImageGroups groups, int perImage) {
        patchBuffers = grown(patchBuffers, Parallel.threads(), groups.imagesPerGroup() * perImage);
        return patchBuffers;
    }

    /** Zeroed sums of the bias gradient, {@code cout} per task. */
    private double[] biasPartSums(int tasks) {
        int size = tasks * config.filters();
        if (biasSums.length < size) {
            biasSums = new double[size];
        }
        Arrays.fill(biasSums, 0, size, 0);
        return biasSums;
    }

    /** The per-thread scratch of {@link DirectConvolution}. */
    private float[][] directScratch(int threads) {
        directScratch = grown(directScratch, threads, direct.scratchSize());
        return directScratch;
    }

    /** {@code buffers} with at least {@code count} buffers of at least {@code size} floats. */
    private static float[][] grown(float[][] buffers, int count, int size) {
        float[][] result = buffers.length < count ? Arrays.copyOf(buffers, count) : buffers;
        for (int t = 0; t < count; t++) {
            if (result[t] == null || result[t].length < size) {
                result[t] = new float[size];
            }
        }
        return result;
    }

    /** The first image of task {@code t}'s groups; {@code t = tasks} gives the batch size. */
    private static int firstImageOf(ImageGroups groups, int t) {
        return Math.min(groups.batch(), groups.firstImage(groups.firstGroup(t)));
    }

    /**
     * Unfolds every window of images {@code [firstImage, firstImage + images)} into a row of
     * {@code p}: row {@code (b*oh + i)*ow + j} for the group's b-th image, column
     * {@code (ky*kw + kx)*cin + ci}, zeros where the window hangs over the border. In one window row
     * the {@code kw*cin} values are contiguous in the input and in the patch, so they are copied
     * as one span (clipped at the left and right borders).
     */
    static void im2col(float[] x, float[] p, int firstImage, int images, int channels, WindowGeometry g) {
        int h = g.inRows();
        int w = g.inCols();
        int kh = g.kernelRows();
        int kw = g.kernelCols();
        int patchSize = kh * kw * channels;
        for (int b = 0; b < images; b++) {
            int xBase = (firstImage + b) * h * w * channels;
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
    }

    /**
     * Copies {@code n} floats. With one input channel a patch row is a handful of floats (5 for
     * LeNet's 5x5 kernels), where System.arraycopy's call overhead costs more than the copy.
     */
    private static void copy(float[] src, int from, float[] dst, int to, int n) {
        if (n >= 16) {
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
     * Folds a group's patch gradients back onto its images (the adjoint of {@link #im2col}),
     * overwriting their slice of {@code dx}: every patch entry is added to the pixel it was copied
     * from; entries that came from padding are dropped. A window's rows inside the image go to
     * {@link Kernels#addBlock} at once, which may touch the rest of the image (this thread's).
     */
    static void col2im(float[] dp, float[] dx, int firstImage, int images, int channels, WindowGeometry g) {
        int h = g.inRows();
        int w = g.inCols();
        int kh = g.kernelRows();
        int kw = g.kernelCols();
        int patchSize = kh * kw * channels;
        int imageSize = h * w * channels;
        Arrays.fill(dx, firstImage * imageSize, (firstImage + images) * imageSize, 0f);
        Kernels kernels = Engine.kernels();
        for (int b = 0; b < images; b++) {
            int xBase = (firstImage + b) * imageSize;
            for (int i = 0; i < g.outRows(); i++) {
                int y0 = g.rowStart(i);
                int kyFrom = Math.max(0, -y0);
                int kyTo = Math.min(kh, h - y0);
                for (int j = 0; j < g.outCols(); j++) {
                    int x0 = g.colStart(j);
                    int kxFrom = Math.max(0, -x0);
                    int kxTo = Math.min(kw, w - x0);
                    if (kyFrom >= kyTo || kxFrom >= kxTo) {
                        continue;
                    }
                    int row = ((b * g.outRows() + i) * g.outCols() + j) * patchSize;
                    kernels.addBlock(kyTo - kyFrom, (kxTo - kxFrom) * channels,
                            dp, row + (kyFrom * kw + kxFrom) * channels, kw * channels,
                            dx, xBase + ((y0 + kyFrom) * w + x0 + kxFrom) * channels, w * channels, xBase + imageSize);
                }
            }
        }
    }

    /** Its output buffer is free for the next layer: backward reads its input (patches) and kernel, never its output. */
    @Override
    public boolean outputOverwritableByNextLayer() {
        return true;
    }
}
