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
 * reused from batch to batch, or, when the model says the input may be overwritten (the previous
 * layer's output is its own scratch, {@link Layer#outputOverwritableByNextLayer}), in the input
 * and output-gradient tensors themselves: y = f(x) and dx = dy * f'(y) are element by element, so
 * writing each result over its source is exact.
 *
 * <p>When the layer before applies this activation itself ({@link BatchNormalization} with a fused
 * {@link ReLU}, set up by the model), forward and backward pass their tensors through.
 */
public abstract class ElementwiseActivation extends Layer {
    /** Element-wise work is split across threads only above this many values per thread. */
    private static final int MIN_CHUNK = 1 << 15;

    private Tensor output;
    private Tensor inputGradient;
    private Tensor lastOutput;
    private boolean appliedByPreviousLayer;

    protected ElementwiseActivation(String name) {
        super(name);
    }

    /** {@code y[i] = f(x[i])} for {@code i} in {@code [from, to)}. */
    protected abstract void activate(float[] x, float[] y, int from, int to);

    /** {@code dx[i] = dy[i] * f'(x[i])}, with f' expressed through {@code y[i] = f(x[i])}. */
    protected abstract void differentiate(float[] y, float[] dy, float[] dx, int from, int to);

    /** Set by the model: whether the layer before already applies this activation to its output. */
    public void setAppliedByPreviousLayer(boolean applied) {
        this.appliedByPreviousLayer = applied;
    }

    public boolean isAppliedByPreviousLayer() {
        return appliedByPreviousLayer;
    }

    @Override
    public final Shape outputShape(Shape inputShape) {
        return inputShape;
    }

    @Override
    public final Tensor forward(Tensor input, boolean training) {
        checkInput(input);
        if (appliedByPreviousLayer) {
            lastOutput = input;
            return input;
        }
        // In place when the previous layer's output is ours to overwrite: no buffer, half the memory traffic.
        Tensor out = isInputOverwritable() ? input : Tensor.reuse(output, input.shape());
        float[] x = input.data();
        float[] y = out.data();
        Parallel.forChunks(input.size(), MIN_CHUNK, (from, to) -> activate(x, y, from, to));
        if (out != input) {
            output = out;
        }
        lastOutput = out;
        return out;
    }

    @Override
    public final Tensor backward(Tensor outputGradient) {
        checkOutputGradient(outputGradient, lastOutput == null ? null : lastOutput.shape());
        if (appliedByPreviousLayer) {
            return outputGradient;
        }
        // In place too: the next layer's gradient buffer is read once, here, and never again.
        Tensor dx = isInputOverwritable() ? outputGradient
                : inputGradientBuffer(inputGradient, outputGradient.shape(), outputGradient);
        float[] y = lastOutput.data();
        float[] dy = outputGradient.data();
        float[] d = dx.data();
        Parallel.forChunks(dx.size(), MIN_CHUNK, (from, to) -> differentiate(y, dy, d, from, to));
        if (dx != outputGradient) {
            inputGradient = dx;
        }
        return dx;
    }
}
