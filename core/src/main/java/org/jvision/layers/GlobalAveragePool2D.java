package org.jvision.layers;

import java.util.Arrays;
import org.jvision.kernel.Parallel;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * Global average pooling: {@code [batch, h, w, c] -> [batch, c]}, each channel averaged over all
 * {@code h*w} positions, {@code y[b, c] = (1/(h*w)) Σ_{i,j} x[b, i, j, c]} (Lin et al., "Network in
 * Network", 2013; the head of GoogLeNet and ResNet). Backward spreads {@code dy[b, c] / (h*w)}
 * evenly over the channel's positions.
 */
public final class GlobalAveragePool2D extends Layer {
    /** GlobalAveragePool2D has no hyperparameters. */
    public record Config() {
    }

    private Shape lastInputShape;
    private Tensor output;
    private Tensor inputGradient;

    public GlobalAveragePool2D(String name, Config config) {
        super(name);
    }

    public GlobalAveragePool2D(String name) {
        this(name, new Config());
    }

    public GlobalAveragePool2D() {
        this(null);
    }

    @Override
    public String type() {
        return "GlobalAveragePool2D";
    }

    @Override
    public Config config() {
        return new Config();
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() != 3 || inputShape.dim(0) == 0 || inputShape.dim(1) == 0) {
            throw new IllegalArgumentException(describe() + ": expects non-empty images [rows, cols, channels] per"
                    + " example, received input shape " + inputShape);
        }
        return Shape.of(inputShape.dim(2));
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        lastInputShape = x.shape();
        int batch = x.dim(0);
        int positions = x.dim(1) * x.dim(2);
        int channels = x.dim(3);
        output = Tensor.reuse(output, Shape.of(batch, channels));
        float[] in = x.data();
        float[] y = output.data();
        float inverse = 1f / positions;
        Parallel.forChunks(batch, WindowGeometry.minExamplesPerTask((long) positions * channels), (from, to) -> {
            for (int b = from; b < to; b++) {
                int o = b * channels;
                Arrays.fill(y, o, o + channels, 0f);
                for (int p = 0; p < positions; p++) {
                    int base = (b * positions + p) * channels;
                    for (int c = 0; c < channels; c++) {
                        y[o + c] += in[base + c];
                    }
                }
                for (int c = 0; c < channels; c++) {
                    y[o + c] *= inverse;
                }
            }
        });
        return output;
    }

    @Override
    public Tensor backward(Tensor dy) {
        checkOutputGradient(dy, lastInputShape == null ? null : output.shape());
        inputGradient = inputGradientBuffer(inputGradient, lastInputShape, dy);
        int batch = lastInputShape.dim(0);
        int positions = lastInputShape.dim(1) * lastInputShape.dim(2);
        int channels = lastInputShape.dim(3);
        float[] g = dy.data();
        float[] d = inputGradient.data();
        float inverse = 1f / positions;
        Parallel.forChunks(batch, WindowGeometry.minExamplesPerTask((long) positions * channels), (from, to) -> {
            for (int b = from; b < to; b++) {
                for (int p = 0; p < positions; p++) {
                    int base = (b * positions + p) * channels;
                    for (int c = 0; c < channels; c++) {
                        d[base + c] = g[b * channels + c] * inverse;
                    }
                }
            }
        });
        return inputGradient;
    }
}
