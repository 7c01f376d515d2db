package org.jvision.layers;

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
public final class Sigmoid extends ElementwiseActivation {
    /** Sigmoid has no hyperparameters. */
    public record Config() {
    }

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
    protected void activate(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        }
    }

    @Override
    protected void differentiate(float[] y, float[] dy, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) {
            dx[i] = dy[i] * y[i] * (1f - y[i]);
        }
    }

    @Override
    public Record config() {
        return new Config();
    }
}
