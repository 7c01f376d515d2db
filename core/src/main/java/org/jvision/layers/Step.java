package org.jvision.layers;

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
public final class Step extends ElementwiseActivation {
    /** Step has no hyperparameters. */
    public record Config() {
    }

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
    protected void activate(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = Math.signum(Math.max(x[i], 0f));
        }
    }

    @Override
    protected void differentiate(float[] y, float[] dy, float[] dx, int from, int to) {
        java.util.Arrays.fill(dx, from, to, 0f); // the step is flat wherever it has a derivative
    }

    @Override
    public Record config() {
        return new Config();
    }
}
