package org.jvision.optimizers;

import java.util.List;

/**
 * Adam (Kingma &amp; Ba, 2015, Algorithm 1), per parameter element with step count {@code t}:
 * <pre>
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   m_hat = m / (1 - beta1^t)          (bias corrections)
 *   v_hat = v / (1 - beta2^t)
 *   w = w - lr * m_hat / (sqrt(v_hat) + eps)
 * </pre>
 * Defaults lr 0.001, beta1 0.9, beta2 0.999, eps 1e-8, as in the paper and in PyTorch.
 */
public final class Adam extends Optimizer {
    /** Hyperparameters. */
    public record Config(float learningRate, float beta1, float beta2, float epsilon) {
        public static Config defaults() {
            return new Config(0.001f, 0.9f, 0.999f, 1e-8f);
        }
    }

    private final float beta1;
    private final float beta2;
    private final float epsilon;

    public Adam() {
        this(Config.defaults());
    }

    public Adam(float learningRate) {
        this(new Config(learningRate, 0.9f, 0.999f, 1e-8f));
    }

    public Adam(Config config) {
        super(config.learningRate());
        requireInUnitInterval("beta1", config.beta1());
        requireInUnitInterval("beta2", config.beta2());
        if (!(config.epsilon() > 0)) {
            throw new IllegalArgumentException("adam: epsilon must be positive, received: " + config.epsilon());
        }
        this.beta1 = config.beta1();
        this.beta2 = config.beta2();
        this.epsilon = config.epsilon();
    }

    private static void requireInUnitInterval(String what, float value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("adam: " + what + " must be in [0, 1), received: " + value);
        }
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public Record config() {
        return new Config(learningRate(), beta1, beta2, epsilon);
    }

    @Override
    protected List<String> slotNames() {
        return List.of("m", "v");
    }

    @Override
    protected void update(float[] weights, float[] gradients, int n, float lr, ParameterState state) {
        update(weights, gradients, state.slot(0), state.slot(1), n, state.step(), lr, beta1, beta2, epsilon);
    }

    /** The rule above over {@code n} elements, step {@code t} (1-based). */
    static void update(float[] w, float[] g, float[] m, float[] v, int n, long t,
                       float lr, float beta1, float beta2, float eps) {
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        // Fold the bias corrections into the step size and epsilon (same result, fewer divides):
        // lr * (m/c1) / (sqrt(v/c2) + eps) = (lr*sqrt(c2)/c1) * m / (sqrt(v) + eps*sqrt(c2)).
        float stepSize = (float) (lr * Math.sqrt(correction2) / correction1);
        float epsHat = (float) (eps * Math.sqrt(correction2));
        float oneMinusBeta1 = 1 - beta1;
        float oneMinusBeta2 = 1 - beta2;
        for (int i = 0; i < n; i++) {
            float gi = g[i];
            float mi = beta1 * m[i] + oneMinusBeta1 * gi;
            float vi = beta2 * v[i] + oneMinusBeta2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            w[i] -= stepSize * mi / ((float) Math.sqrt(vi) + epsHat);
        }
    }
}
