package org.jvision.layers;

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
     * Rows are split across threads only above this many values per thread. An exponential costs
     * about 7 ns, so 1,024 values are several hand-offs' worth. At 16,384, a 10-class output stayed
     * on one thread up to batch 1,638: mlp inference at batch 1024 on two threads spent 68.6 µs of
     * a 2,415 µs step here, and 36.2 µs after (fifteenth session).
     */
    private static final int MIN_CHUNK = 1 << 10;

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
        Parallel.forChunks(rows, Math.max(1, MIN_CHUNK / n), (from, to) -> {
            for (int r = from; r < to; r++) {
                softmaxRow(x, y, r * n, n);
            }
        });
        output = out;
        lastOutput = out;
        return out;
    }

    /** {@code y[off..off+n) = softmax(x[off..off+n))}, with the maximum subtracted first. */
    static void softmaxRow(float[] x, float[] y, int off, int n) {
        float max = x[off];
        for (int i = 1; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            y[off + i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < n; i++) {
            y[off + i] *= inv;
        }
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
