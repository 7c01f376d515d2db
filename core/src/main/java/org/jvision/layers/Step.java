package org.jvision.layers;

import org.jvision.kernel.Parallel;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * The Heaviside step of Rosenblatt's perceptron, element-wise, for inputs of any rank:
 *
 * <pre>
 *   y = 1 if x &gt; 0, else 0        dy/dx = 0 (everywhere it exists; undefined at 0)
 * </pre>
 *
 * Its derivative is zero almost everywhere, so backward returns zeros: gradient descent cannot
 * train the layers below a step, which is why networks use sigmoid, tanh or ReLU instead. It is
 * here for the perceptron (trained with its own rule, not backpropagation) and for teaching.
 * Forward is branch-free, {@code signum(max(x, 0))} (see {@link ReLU}); a NaN input gives NaN.
 */
public final class Step extends Layer {
    /** Step has no hyperparameters. */
    public record Config() {
    }

    /** Element-wise work is split across threads only above this many values per thread. */
    private static final int MIN_CHUNK = 1 << 15;

    private Tensor output;
    private Tensor inputGradient;
    private Shape lastShape;

    public Step() {
        this(null);
    }

    public Step(String name) {
        super(name);
    }

    public Step(String name, Config config) {
        this(name);
    }

    @Override
    public String type() {
        return "Step";
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
                y[i] = Math.signum(Math.max(x[i], 0f));
            }
        });
        output = out;
        lastShape = input.shape();
        return out;
    }

    /** Returns zeros of the input's shape: the step's derivative is 0 wherever it exists. */
    @Override
    public Tensor backward(Tensor outputGradient) {
        if (lastShape == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        if (!outputGradient.shape().equals(lastShape)) {
            throw new IllegalArgumentException(describe() + ": output gradient has shape " + outputGradient.shape()
                    + ", the last forward produced " + lastShape);
        }
        Tensor dx = Tensor.reuse(inputGradient, outputGradient.shape());
        dx.fill(0f);
        inputGradient = dx;
        return dx;
    }

    @Override
    public Record config() {
        return new Config();
    }
}
