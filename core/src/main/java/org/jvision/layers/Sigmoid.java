package org.jvision.layers;

import org.jvision.kernel.Parallel;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * The logistic sigmoid, element-wise, for inputs of any rank:
 *
 * <pre>
 *   y = sigma(x) = 1 / (1 + exp(-x))        dy/dx = y * (1 - y)
 * </pre>
 *
 * Forward keeps its output {@code y}, which is all the derivative needs. The formula is evaluated in
 * double, where {@code exp(-x)} overflowing to infinity for very negative {@code x} still gives the
 * right limit 0, so no special stable branch is needed. For a binary classifier prefer
 * {@code losses.BinaryCrossEntropy} on the logits, which fuses this with the loss.
 */
public final class Sigmoid extends Layer {
    /** Sigmoid has no hyperparameters. */
    public record Config() {
    }

    /** Element-wise work is split across threads only above this many values per thread. */
    private static final int MIN_CHUNK = 1 << 14;

    private Tensor output;
    private Tensor inputGradient;
    private Tensor lastOutput;

    public Sigmoid() {
        this(null);
    }

    public Sigmoid(String name) {
        super(name);
    }

    public Sigmoid(String name, Config config) {
        this(name);
    }

    @Override
    public String type() {
        return "Sigmoid";
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        return inputShape;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        checkInput(input);
        Tensor out = Tensor.reuse(output, input.shape());
        float[] x = input.data();
        float[] y = out.data();
        Parallel.forRange(input.size(), MIN_CHUNK, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
            }
        });
        output = out;
        lastOutput = out;
        return out;
    }

    @Override
    public Tensor backward(Tensor outputGradient) {
        if (lastOutput == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        if (!outputGradient.shape().equals(lastOutput.shape())) {
            throw new IllegalArgumentException(describe() + ": output gradient has shape " + outputGradient.shape()
                    + ", the last forward produced " + lastOutput.shape());
        }
        Tensor dx = Tensor.reuse(inputGradient, outputGradient.shape());
        float[] y = lastOutput.data();
        float[] dy = outputGradient.data();
        float[] d = dx.data();
        Parallel.forRange(dx.size(), MIN_CHUNK, (from, to) -> {
            for (int i = from; i < to; i++) {
                d[i] = dy[i] * y[i] * (1f - y[i]);
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
