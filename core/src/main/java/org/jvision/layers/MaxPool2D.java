package org.jvision.layers;

import java.util.Arrays;
import org.jvision.kernel.Parallel;
import org.jvision.tensor.Tensor;

/**
 * Max pooling: {@code y[b, i, j, c] = max} over the window's real pixels of {@code x[b, ·, ·, c]}.
 * Shapes and padding as in {@link Pooling2D}; strides default to the pool size (non-overlapping
 * windows, e.g. 2x2 stride 2 halves each side).
 *
 * <p>Backward sends each output's gradient only to the position of its maximum; on ties, to the
 * first in the window's row-major order (as PyTorch does). When the windows tile the image
 * (strides equal to the pool size, valid padding: the usual 2x2 pooling) backward finds each
 * maximum again by comparing the window with its output ({@link TiledMaxPooling}), which costs
 * less than recording it. Other windows may overlap, so forward in training records the positions
 * in a reused int buffer; inference skips that and a backward pass after it locates them then. A
 * NaN input wins its window (and takes the gradient at the window's first pixel), so divergence
 * shows up downstream instead of being pooled away.
 */
public final class MaxPool2D extends Pooling2D {

    /** For each output element of the last batch, the index in the input of its maximum. */
    private int[] argmax = new int[0];
    /** The last forward's input, and whether {@link #argmax} has been filled for it. */
    private Tensor input;
    private boolean maximaLocated;

    public MaxPool2D(String name, Config config) {
        super(name, config);
    }

    /** A square window with strides equal to it, valid padding. */
    public MaxPool2D(String name, int poolSize) {
        this(name, Config.of(poolSize));
    }

    /** A square window with strides equal to it, valid padding, named by the model. */
    public MaxPool2D(int poolSize) {
        this(null, poolSize);
    }

    @Override
    public String type() {
        return "MaxPool2D";
    }

    /** Whether the windows tile the image: strides equal to the window, no padding. */
    private boolean tiles() {
        return strideRows == poolRows && strideCols == poolCols && geometry.padTop() == 0
                && geometry.padLeft() == 0 && geometry.padBottom() == 0 && geometry.padRight() == 0;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor out = prepareForward(x);
        input = x;
        if (tiles()) {
            int perExample = out.size() / Math.max(1, x.dim(0));
            Parallel.forChunks(x.dim(0), WindowGeometry.minExamplesPerTask((long) perExample * poolRows * poolCols),
                    (from, to) -> TiledMaxPooling.forward(x.data(), out.data(), geometry, x.dim(3), from, to));
            return out;
        }
        if (argmax.length < out.size()) {
            argmax = new int[out.size()];
        }
        float[] in = x.data();
        float[] y = out.data();
        int perExample = out.size() / Math.max(1, x.dim(0));
        Parallel.forChunks(x.dim(0), WindowGeometry.minExamplesPerTask((long) perExample * poolRows * poolCols),
                (from, to) -> {
                    maxima(in, y, x.dim(3), from, to);
                    if (training) {
                        locateMaxima(in, y, x.dim(3), from, to);
                    }
                });
        // Inference needs no positions; a backward pass after it finds them then.
        maximaLocated = training;
        return out;
    }

    /** The maximum of every window of examples {@code [from, to)}: Math.max vectorizes, and a NaN wins. */
    private void maxima(float[] in, float[] y, int channels, int from, int to) {
        WindowGeometry g = geometry;
        int h = g.inRows();
        int w = g.inCols();
        for (int b = from; b < to; b++) {
            for (int i = 0; i < g.outRows(); i++) {
                int rowFrom = Math.max(0, g.rowStart(i));
                int rowTo = Math.min(h, g.rowStart(i) + poolRows);
                for (int j = 0; j < g.outCols(); j++) {
                    int colFrom = Math.max(0, g.colStart(j));
                    int colTo = Math.min(w, g.colStart(j) + poolCols);
                    int o = ((b * g.outRows() + i) * g.outCols() + j) * channels;
                    int first = ((b * h + rowFrom) * w + colFrom) * channels;
                    for (int c = 0; c < channels; c++) {
                        y[o + c] = in[first + c];
                    }
                    for (int r = rowFrom; r < rowTo; r++) {
                        for (int col = colFrom; col < colTo; col++) {
                            int p = ((b * h + r) * w + col) * channels;
                            for (int c = 0; c < channels; c++) {
                                y[o + c] = Math.max(y[o + c], in[p + c]);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Where each maximum of examples {@code [from, to)} is: scan the window backwards and take
     * every position equal to the maximum, so the first in row-major order wins ties. A bit mask,
     * not a branch: the comparison goes either way at random, and the branchy one-pass loop
     * measured 2.6x slower. The window's first real pixel is the default, which stays when a NaN
     * makes the maximum equal to nothing.
     */
    private void locateMaxima(float[] in, float[] y, int channels, int from, int to) {
        WindowGeometry g = geometry;
        int h = g.inRows();
        int w = g.inCols();
        int[] arg = argmax;
        for (int b = from; b < to; b++) {
            for (int i = 0; i < g.outRows(); i++) {
                int rowFrom = Math.max(0, g.rowStart(i));
                int rowTo = Math.min(h, g.rowStart(i) + poolRows);
                for (int j = 0; j < g.outCols(); j++) {
                    int colFrom = Math.max(0, g.colStart(j));
                    int colTo = Math.min(w, g.colStart(j) + poolCols);
                    int o = ((b * g.outRows() + i) * g.outCols() + j) * channels;
                    int first = ((b * h + rowFrom) * w + colFrom) * channels;
                    for (int c = 0; c < channels; c++) {
                        arg[o + c] = first + c;
                    }
                    for (int r = rowTo - 1; r >= rowFrom; r--) {
                        for (int col = colTo - 1; col >= colFrom; col--) {
                            int p = ((b * h + r) * w + col) * channels;
                            for (int c = 0; c < channels; c++) {
                                int hit = in[p + c] == y[o + c] ? -1 : 0;
                                arg[o + c] = (arg[o + c] & ~hit) | ((p + c) & hit);
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dx = prepareBackward(dy);
        int batch = dx.dim(0);
        int inPerExample = dx.size() / Math.max(1, batch);
        int outPerExample = dy.size() / Math.max(1, batch);
        if (tiles()) {
            Parallel.forChunks(batch, WindowGeometry.minExamplesPerTask(inPerExample + outPerExample),
                    (from, to) -> TiledMaxPooling.backward(input.data(), output.data(), dy.data(), dx.data(), geometry,
                            input.dim(3), from, to));
            return dx;
        }
        if (!maximaLocated) {
            int perExample = output.size() / Math.max(1, input.dim(0));
            Parallel.forChunks(input.dim(0), WindowGeometry.minExamplesPerTask((long) perExample * poolRows * poolCols),
                    (from, to) -> locateMaxima(input.data(), output.data(), input.dim(3), from, to));
            maximaLocated = true;
        }
        float[] g = dy.data();
        float[] d = dx.data();
        int[] arg = argmax;
        Parallel.forChunks(batch, WindowGeometry.minExamplesPerTask(inPerExample + outPerExample), (from, to) -> {
            // The maxima of example b lie in b's slice of dx, so threads never share a pixel.
            Arrays.fill(d, from * inPerExample, to * inPerExample, 0f);
            for (int o = from * outPerExample; o < to * outPerExample; o++) {
                d[arg[o]] += g[o];
            }
        });
        return dx;
    }
}
