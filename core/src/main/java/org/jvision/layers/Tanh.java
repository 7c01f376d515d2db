package org.jvision.layers;

import org.jvision.kernel.Parallel;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * The hyperbolic tangent, element-wise, for inputs of any rank:
 *
 * <pre>
 *   y = tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))        dy/dx = 1 - y^2
 * </pre>
 *
 * Forward keeps its output {@code y}, which is all the derivative needs. Zero-centred, unlike the
 * sigmoid ({@code tanh(x) = 2 sigma(2x) - 1}).
 */
public final class Tanh extends Layer {
    /** Tanh has no hyperparameters. */
    public record Config() {
    }

    /** Element-wise work is split across threads only above this many values per thread. */
    private static final int MIN_CHUNK = 1 << 14;

    private Tensor output;
    private Tensor inputGradient;
    private Tensor lastOutput;

    public Tanh() {
        this(null);
    }

    public Tanh(String name) {
        super(name);
    }

    public Tanh(String name, Config config) {
        this(name);
    }

    @Override
    public String type() {
        return "Tanh";
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
                y[i] = (float) Math.tanh(x[i]);
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
                d[i] = dy[i] * (1f - y[i] * y[i]);
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
