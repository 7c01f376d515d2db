package org.jvision.layers;

import org.jvision.kernel.Parallel;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * An activation applied to each element on its own, {@code y = f(x)}, for inputs of any rank. Each
 * subclass gives {@code f} and its derivative written in terms of the output {@code y} (for every
 * activation here, y tells all that f' needs), so forward keeps only its output buffer.
 *
 * <p>The loops are split across threads for large tensors; outputs and gradients live in buffers
 * reused from batch to batch.
 */
public abstract class ElementwiseActivation extends Layer {
    /** Element-wise work is split across threads only above this many values per thread. */
    private static final int MIN_CHUNK = 1 << 15;

    private Tensor output;
    private Tensor inputGradient;
    private Tensor lastOutput;

    protected ElementwiseActivation(String name) {
        super(name);
    }

    /** {@code y[i] = f(x[i])} for {@code i} in {@code [from, to)}. */
    protected abstract void activate(float[] x, float[] y, int from, int to);

    /** {@code dx[i] = dy[i] * f'(x[i])}, with f' expressed through {@code y[i] = f(x[i])}. */
    protected abstract void differentiate(float[] y, float[] dy, float[] dx, int from, int to);

    @Override
    public final Shape outputShape(Shape inputShape) {
        return inputShape;
    }

    @Override
    public final Tensor forward(Tensor input, boolean training) {
        checkInput(input);
        Tensor out = Tensor.reuse(output, input.shape());
        float[] x = input.data();
        float[] y = out.data();
        Parallel.forChunks(input.size(), MIN_CHUNK, (from, to) -> activate(x, y, from, to));
        output = out;
        lastOutput = out;
        return out;
    }

    @Override
    public final Tensor backward(Tensor outputGradient) {
        checkOutputGradient(outputGradient, lastOutput == null ? null : lastOutput.shape());
        Tensor dx = Tensor.reuse(inputGradient, outputGradient.shape());
        float[] y = lastOutput.data();
        float[] dy = outputGradient.data();
        float[] d = dx.data();
        Parallel.forChunks(dx.size(), MIN_CHUNK, (from, to) -> differentiate(y, dy, d, from, to));
        inputGradient = dx;
        return dx;
    }
}
