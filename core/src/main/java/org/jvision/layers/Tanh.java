package org.jvision.layers;

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
public final class Tanh extends ElementwiseActivation {
    /** Tanh has no hyperparameters. */
    public record Config() {
    }

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
    protected void activate(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = (float) Math.tanh(x[i]);
        }
    }

    @Override
    protected void differentiate(float[] y, float[] dy, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) {
            dx[i] = dy[i] * (1f - y[i] * y[i]);
        }
    }

    @Override
    public Record config() {
        return new Config();
    }
}
