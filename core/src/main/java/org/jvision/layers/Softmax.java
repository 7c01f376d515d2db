package org.jvision.layers;

import org.jvision.kernel.Engine;
import org.jvision.kernel.Kernels;
import org.jvision.kernel.Parallel;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * Softmax over the last axis, for inputs of any rank {@code >= 1} per example: each row of
 * {@code n = shape[-1]} values becomes a probability distribution.
 *
 * <pre>
 *   y_i = exp(x_i - max_j x_j) / sum_k exp(x_k - max_j x_j)
 *   dx_i = y_i * (dy_i - sum_j dy_j * y_j)
 * </pre>
 *
 * Subtracting the row maximum changes nothing mathematically and keeps {@code exp} from
 * overflowing (logits of 1000 are fine). The backward formula is the Jacobian
 * {@code dy_j/dx_i = y_j (delta_ij - y_i)} applied to {@code dy}, in O(n) per row; forward keeps only
 * its output. To train a classifier, prefer a linear last layer with
 * {@code losses.SoftmaxCrossEntropy}, which fuses softmax and the loss and whose gradient
 * {@code p - t} never underflows.
 */
public final class Softmax extends Layer {
    /** Softmax has no hyperparameters; it always works over the last axis. */
    public record Config() {
    }

    /**
     * Rows are split across threads only above this many values per thread. With the vector
     * kernels a 10-class row costs about 14 ns (1.4 ns a value), so 4,096 values are a few
     * hand-offs' worth; the scalar kernels' exponentials cost about 7 ns a value.
     */
    private static final int MIN_CHUNK = 1 << 12;

    private Tensor output;
    private Tensor inputGradient;
    private Tensor lastOutput;

    public Softmax() {
        this(null);
    }

    public Softmax(String name) {
        super(name);
    }

    public Softmax(String name, Config config) {
        this(name);
    }

    @Override
    public String type() {
        return "Softmax";
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() < 1 || inputShape.dim(-1) < 1) {
            throw new IllegalArgumentException(describe()
                    + ": needs a last axis of at least one value to normalize over, got input shape " + inputShape);
        }
        return inputShape;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        checkInput(input);
        int n = input.dim(-1);
        int rows = input.size() / n;
        Tensor out = Tensor.reuse(output, input.shape());
        float[] x = input.data();
        float[] y = out.data();
        Kernels kernels = Engine.kernels();
        Parallel.forChunks(rows, Math.max(1, MIN_CHUNK / n), (from, to) ->
                kernels.softmaxRows(x, y, from * n, to - from, n));
        output = out;
        lastOutput = out;
        return out;
    }

    @Override
    public Tensor backward(Tensor outputGradient) {
        checkOutputGradient(outputGradient, lastOutput == null ? null : lastOutput.shape());
        int n = outputGradient.dim(-1);
        int rows = outputGradient.size() / n;
        Tensor dx = inputGradientBuffer(inputGradient, outputGradient.shape(), outputGradient);
        float[] y = lastOutput.data();
        float[] dy = outputGradient.data();
        float[] d = dx.data();
        Parallel.forChunks(rows, Math.max(1, MIN_CHUNK / n), (from, to) -> {
            for (int r = from; r < to; r++) {
                int off = r * n;
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += (double) dy[off + i] * y[off + i];
                }
                float s = (float) dot;
                for (int i = 0; i < n; i++) {
                    d[off + i] = y[off + i] * (dy[off + i] - s);
                }
            }
        });
        inputGradient = dx;
        return dx;
    }

    @Override
    public Record config() {
        return new Config();
    }
}
