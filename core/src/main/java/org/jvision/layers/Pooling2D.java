package org.jvision.layers;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * What max and average pooling share: a {@code kh x kw} window moved by {@code {sh, sw}} over each
 * channel separately, "valid" or "same" padding, output {@code [oh, ow, channels]} with
 * {@code oh = floor((h + padTop + padBottom - kh) / sh) + 1} (see {@link WindowGeometry}). Pooling
 * has no parameters and keeps the channel count. Padded positions never take part: a window
 * reduces only the real pixels it covers (there is at least one, since "same" pads less than a
 * window).
 */
public abstract sealed class Pooling2D extends Layer permits MaxPool2D, AveragePool2D {
    /**
     * The hyperparameters of max and average pooling (also reachable as {@code MaxPool2D.Config}
     * and {@code AveragePool2D.Config}).
     *
     * @param poolSize {@code {kh, kw}}
     * @param strides  {@code {sh, sw}}; null means the pool size
     * @param padding  valid or same; null means valid
     */
    public record Config(int[] poolSize, int[] strides, Padding padding) {
        public Config {
            poolSize = poolSize == null ? null : poolSize.clone();
            strides = strides == null ? poolSize : strides.clone();
            padding = padding == null ? Padding.valid() : padding;
        }

        /** A square window, strides equal to it, valid padding. */
        public static Config of(int poolSize) {
            return new Config(new int[] {poolSize, poolSize}, null, null);
        }

        @Override
        public int[] poolSize() {
            return poolSize == null ? null : poolSize.clone();
        }

        @Override
        public int[] strides() {
            return strides == null ? null : strides.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && Arrays.equals(poolSize, c.poolSize) && Arrays.equals(strides, c.strides)
                    && padding.equals(c.padding);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(poolSize) + Arrays.hashCode(strides)) + padding.hashCode();
        }

        @Override
        public String toString() {
            return "Pooling2D.Config[poolSize=" + Arrays.toString(poolSize) + ", strides=" + Arrays.toString(strides)
                    + ", padding=" + padding + "]";
        }
    }

    private final Config config;
    protected final int poolRows;
    protected final int poolCols;
    protected final int strideRows;
    protected final int strideCols;
    protected final Padding padding;
    protected WindowGeometry geometry;

    /** The last forward's input shape, for backward. */
    protected Shape lastInputShape;
    protected Tensor output;
    protected Tensor inputGradient;

    protected Pooling2D(String name, Config config) {
        super(name);
        this.config = config;
        int[] poolSize = config.poolSize();
        int[] strides = config.strides();
        Padding padding = config.padding();
        if (poolSize == null || poolSize.length != 2 || poolSize[0] <= 0 || poolSize[1] <= 0) {
            throw new IllegalArgumentException(describe() + ": poolSize must be two positive values {rows, cols},"
                    + " received: " + Arrays.toString(poolSize));
        }
        int[] s = strides == null ? poolSize : strides;
        if (s.length != 2 || s[0] <= 0 || s[1] <= 0) {
            throw new IllegalArgumentException(describe() + ": strides must be two positive values {rows, cols},"
                    + " received: " + Arrays.toString(s));
        }
        Padding p = padding == null ? Padding.valid() : padding;
        if (p.mode().equals(Padding.EXPLICIT)) {
            throw new IllegalArgumentException(describe() + ": padding must be 'valid' or 'same', received: " + p);
        }
        this.poolRows = poolSize[0];
        this.poolCols = poolSize[1];
        this.strideRows = s[0];
        this.strideCols = s[1];
        this.padding = p;
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
        WindowGeometry g = geometry(inputShape);
        return Shape.of(g.outRows(), g.outCols(), inputShape.dim(2));
    }

    private WindowGeometry geometry(Shape inputShape) {
        return WindowGeometry.of(describe(), "pool window", inputShape.dim(0), inputShape.dim(1), poolRows, poolCols,
                strideRows, strideCols, padding);
    }

    @Override
    protected void initialize(Shape inputShape, SplittableRandom random) {
        geometry = geometry(inputShape);
    }

    /** Checks the batch, remembers its shape and returns the reused output buffer sized for it. */
    protected Tensor prepareForward(Tensor x) {
        checkInput(x);
        lastInputShape = x.shape();
        output = Tensor.reuse(output, outputShape().withBatch(x.dim(0)));
        return output;
    }

    /** Checks the gradient against the last output and returns the reused input-gradient buffer. */
    protected Tensor prepareBackward(Tensor dy) {
        checkOutputGradient(dy, lastInputShape == null ? null : output.shape());
        inputGradient = inputGradientBuffer(inputGradient, lastInputShape, dy);
        return inputGradient;
    }
}
