package org.jvision.optimizers;

import java.util.List;

/**
 * AdaMax (Kingma &amp; Ba, 2015, section 7.1, Algorithm 2): Adam with the infinity norm in place of
 * the second moment, as PyTorch's {@code torch.optim.Adamax}, per element with step count {@code t}:
 * <pre>
 *   g = g + weight_decay * w           (L2 penalty, weights only, never biases)
 *   m = beta1 * m + (1 - beta1) * g
 *   u = max(beta2 * u, |g| + eps)      (the exponentially weighted infinity norm; needs no bias correction)
 *   w = w - (lr / (1 - beta1^t)) * m / u
 * </pre>
 * PyTorch adds eps inside the max (the paper has none), so u is never 0. Defaults as PyTorch and
 * the paper: lr 0.002, beta1 0.9, beta2 0.999, eps 1e-8, weight decay 0.
 */
public final class Adamax extends Optimizer {
    /** Hyperparameters. */
    public record Config(float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
        public static Config defaults() {
            return new Config(0.002f, 0.9f, 0.999f, 1e-8f, 0f);
        }

        public Config withLearningRate(float learningRate) {
            return new Config(learningRate, beta1, beta2, epsilon, weightDecay);
        }

        public Config withWeightDecay(float weightDecay) {
            return new Config(learningRate, beta1, beta2, epsilon, weightDecay);
        }
    }

    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;

    public Adamax() {
        this(Config.defaults());
    }

    public Adamax(Config config) {
        super(config.learningRate());
        this.beta1 = requireDecayRate("adamax", "beta1", config.beta1());
        this.beta2 = requireDecayRate("adamax", "beta2", config.beta2());
        this.epsilon = requirePositive("adamax", "epsilon", config.epsilon());
        this.weightDecay = requireNonNegative("adamax", "weight decay", config.weightDecay());
    }

    @Override
    public String name() {
        return "adamax";
    }

    @Override
    public Record config() {
        return new Config(learningRate(), beta1, beta2, epsilon, weightDecay);
    }

    @Override
    protected List<String> slotNames() {
        return List.of("m", "u");
    }

    @Override
    protected void update(float[] weights, float[] gradients, int from, int to, float lr, boolean decays, ParameterState state) {
        update(weights, gradients, state.slot(0), state.slot(1), from, to, state.step(), lr, beta1, beta2, epsilon,
                decays ? weightDecay : 0f);
    }

    /** The rule above over elements {@code [from, to)}, step {@code t} (1-based). */
    static void update(float[] w, float[] g, float[] m, float[] u, int from, int to, long t,
                       float lr, float beta1, float beta2, float eps, float wd) {
        float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
        float oneMinusBeta1 = 1 - beta1;
        for (int i = from; i < to; i++) {
            float gi = g[i] + wd * w[i];
            float mi = beta1 * m[i] + oneMinusBeta1 * gi;
            float ui = Math.max(beta2 * u[i], Math.abs(gi) + eps);
            m[i] = mi;
            u[i] = ui;
            w[i] -= stepSize * mi / ui;
        }
    }
}
