package org.jvision.optimizers;

import java.util.List;

/**
 * Plain (stochastic, mini-batch or batch) gradient descent: {@code w <- w - lr * dw}.
 */
public final class SGD extends Optimizer {
    /** Hyperparameters; the learning rate defaults to 0.01 as in Keras. */
    public record Config(float learningRate) {
    }

    public SGD(float learningRate) {
        super(learningRate);
    }

    public SGD(Config config) {
        this(config.learningRate());
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public Record config() {
        return new Config(learningRate());
    }

    @Override
    protected List<String> slotNames() {
        return List.of();
    }

    @Override
    protected void update(float[] weights, float[] gradients, int n, float lr, ParameterState state) {
        descend(weights, gradients, n, lr);
    }

    /** {@code w[i] -= lr * g[i]}. */
    static void descend(float[] w, float[] g, int n, float lr) {
        for (int i = 0; i < n; i++) {
            w[i] -= lr * g[i];
        }
    }
}
