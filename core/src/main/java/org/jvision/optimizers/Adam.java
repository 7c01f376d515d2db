package org.jvision.optimizers;

import java.util.List;

/**
 * Adam (Kingma &amp; Ba, 2015, Algorithm 1), per parameter element with step count {@code t}:
 * <pre>
 *   g = g + weight_decay * w           (L2 penalty, weights only, never biases)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   m_hat = m / (1 - beta1^t)          (bias corrections)
 *   v_hat = v / (1 - beta2^t)
 *   w = w - lr * m_hat / (sqrt(v_hat) + eps)
 * </pre>
 * Defaults lr 0.001, beta1 0.9, beta2 0.999, eps 1e-8, as in the paper and in PyTorch's
 * {@code torch.optim.Adam}; weight decay 0. The decay here is PyTorch's: added to the gradient,
 * so Adam's scaling shrinks it where gradients are large. {@link AdamW} decouples it.
 */
public final class Adam extends Optimizer {
    /** Hyperparameters. */
    public record Config(float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
        public static Config defaults() {
            return new Config(0.001f, 0.9f, 0.999f, 1e-8f, 0f);
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

    public Adam() {
        this(Config.defaults());
    }

    public Adam(float learningRate) {
        this(Config.defaults().withLearningRate(learningRate));
    }

    public Adam(Config config) {
        super(config.learningRate());
        this.beta1 = requireDecayRate("adam", "beta1", config.beta1());
        this.beta2 = requireDecayRate("adam", "beta2", config.beta2());
        this.epsilon = requirePositive("adam", "epsilon", config.epsilon());
        this.weightDecay = requireNonNegative("adam", "weight decay", config.weightDecay());
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public Record config() {
        return new Config(learningRate(), beta1, beta2, epsilon, weightDecay);
    }

    @Override
    protected List<String> slotNames() {
        return List.of("m", "v");
    }

    @Override
    protected void update(float[] weights, float[] gradients, int from, int to, float lr, boolean decays, ParameterState state) {
        update(weights, gradients, state.slot(0), state.slot(1), from, to, state.step(), lr, beta1, beta2, epsilon,
                decays ? weightDecay : 0f);
    }

    /** The rule above over elements {@code [from, to)}, step {@code t} (1-based), L2 weight decay {@code wd}. */
    static void update(float[] w, float[] g, float[] m, float[] v, int from, int to, long t,
                       float lr, float beta1, float beta2, float eps, float wd) {
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        // Fold the bias corrections into the step size and epsilon (same result, fewer divides):
        // lr * (m/c1) / (sqrt(v/c2) + eps) = (lr*sqrt(c2)/c1) * m / (sqrt(v) + eps*sqrt(c2)).
        float stepSize = (float) (lr * Math.sqrt(correction2) / correction1);
        float epsHat = (float) (eps * Math.sqrt(correction2));
        float oneMinusBeta1 = 1 - beta1;
        float oneMinusBeta2 = 1 - beta2;
        for (int i = from; i < to; i++) {
            float gi = g[i] + wd * w[i];
            float mi = beta1 * m[i] + oneMinusBeta1 * gi;
            float vi = beta2 * v[i] + oneMinusBeta2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            w[i] -= stepSize * mi / ((float) Math.sqrt(vi) + epsHat);
        }
    }
}
