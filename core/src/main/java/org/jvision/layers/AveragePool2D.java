package org.jvision.layers;

import java.util.Arrays;
import org.jvision.kernel.Parallel;
import org.jvision.tensor.Tensor;

/**
 * Average pooling: {@code y[b, i, j, c] = (1/N) Σ} over the window's real pixels of
 * {@code x[b, ·, ·, c]}. Shapes and padding as in {@link Pooling2D}; strides default to the pool size.
 *
 * <p>{@code N} counts only the real pixels a window covers: with "valid" padding always
 * {@code kh*kw}; with "same" padding a border window averages fewer pixels (padding is not counted
 * as zeros), as Keras/TensorFlow do (PyTorch's {@code count_include_pad=False}). Backward sends
 * {@code 1/N} of each output's gradient to each of those pixels.
 */
public final class AveragePool2D extends Pooling2D {


    public AveragePool2D(String name, Config config) {
        super(name, config);
    }

    /** A square window with strides equal to it, valid padding. */
    public AveragePool2D(String name, int poolSize) {
        this(name, Config.of(poolSize));
    }

    /** A square window with strides equal to it, valid padding, named by the model. */
    public AveragePool2D(int poolSize) {
        this(null, poolSize);
    }

    @Override
    public String type() {
        return "AveragePool2D";
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor out = prepareForward(x);
        float[] in = x.data();
        float[] y = out.data();
        WindowGeometry g = geometry;
        int h = g.inRows();
        int w = g.inCols();
        int channels = x.dim(3);
        int perExample = out.size() / Math.max(1, x.dim(0));
        Parallel.forChunks(x.dim(0), WindowGeometry.minExamplesPerTask((long) perExample * poolRows * poolCols),
                (from, to) -> {
                    for (int b = from; b < to; b++) {
                        for (int i = 0; i < g.outRows(); i++) {
                            int rowFrom = Math.max(0, g.rowStart(i));
                            int rowTo = Math.min(h, g.rowStart(i) + poolRows);
                            for (int j = 0; j < g.outCols(); j++) {
                                int colFrom = Math.max(0, g.colStart(j));
                                int colTo = Math.min(w, g.colStart(j) + poolCols);
                                int o = ((b * g.outRows() + i) * g.outCols() + j) * channels;
                                Arrays.fill(y, o, o + channels, 0f);
                                for (int r = rowFrom; r < rowTo; r++) {
                                    for (int col = colFrom; col < colTo; col++) {
                                        int p = ((b * h + r) * w + col) * channels;
                                        for (int c = 0; c < channels; c++) {
                                            y[o + c] += in[p + c];
                                        }
                                    }
                                }
                                float inverseCount = 1f / ((rowTo - rowFrom) * (colTo - colFrom));
                                for (int c = 0; c < channels; c++) {
                                    y[o + c] *= inverseCount;
                                }
                            }
                        }
                    }
                });
        return out;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dx = prepareBackward(dy);
        float[] gy = dy.data();
        float[] d = dx.data();
        WindowGeometry g = geometry;
        int h = g.inRows();
        int w = g.inCols();
        int channels = dx.dim(3);
        int inPerExample = h * w * channels;
        int outPerExample = g.outRows() * g.outCols() * channels;
        Parallel.forChunks(dx.dim(0), WindowGeometry.minExamplesPerTask((long) outPerExample * poolRows * poolCols),
                (from, to) -> {
                    // Each example writes only its own slice of dx.
                    Arrays.fill(d, from * inPerExample, to * inPerExample, 0f);
                    for (int b = from; b < to; b++) {
                        for (int i = 0; i < g.outRows(); i++) {
                            int rowFrom = Math.max(0, g.rowStart(i));
                            int rowTo = Math.min(h, g.rowStart(i) + poolRows);
                            for (int j = 0; j < g.outCols(); j++) {
                                int colFrom = Math.max(0, g.colStart(j));
                                int colTo = Math.min(w, g.colStart(j) + poolCols);
                                int o = ((b * g.outRows() + i) * g.outCols() + j) * channels;
                                float inverseCount = 1f / ((rowTo - rowFrom) * (colTo - colFrom));
                                for (int r = rowFrom; r < rowTo; r++) {
                                    for (int col = colFrom; col < colTo; col++) {
                                        int p = ((b * h + r) * w + col) * channels;
                                        for (int c = 0; c < channels; c++) {
                                            d[p + c] += gy[o + c] * inverseCount;
                                        }
                                    }
                                }
                            }
                        }
                    }
                });
        return dx;
    }
}
