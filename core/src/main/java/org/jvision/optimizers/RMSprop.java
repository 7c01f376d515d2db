package org.jvision.optimizers;

import java.util.ArrayList;
import java.util.List;

/**
 * RMSprop (Hinton, Coursera "Neural Networks for Machine Learning", lecture 6e, 2012; the centered
 * form from Graves, "Generating Sequences With Recurrent Neural Networks", 2013), as PyTorch's
 * {@code torch.optim.RMSprop}: each element's gradient is divided by a running root mean square.
 * <pre>
 *   g = g + weight_decay * w               (L2 penalty, weights only, never biases)
 *   s = alpha * s + (1 - alpha) * g^2      (square_avg)
 *   centered:  a = alpha * a + (1 - alpha) * g,   d = sqrt(s - a^2) + eps
 *   otherwise:                                    d = sqrt(s) + eps
 *   momentum > 0:  b = momentum * b + g / d,  w = w - lr * b
 *   otherwise:                                w = w - lr * g / d
 * </pre>
 * All state starts at 0. Defaults as PyTorch: lr 0.01, alpha 0.99, eps 1e-8, momentum 0, not
 * centered, weight decay 0. (Keras's defaults differ: lr 0.001, rho 0.9, eps 1e-7.)
 */
public final class RMSprop extends Optimizer {
    /** Hyperparameters. */
    public record Config(float learningRate, float alpha, float epsilon, float momentum, boolean centered, float weightDecay) {
        public static Config defaults() {
            return new Config(0.01f, 0.99f, 1e-8f, 0f, false, 0f);
        }

        public Config withLearningRate(float learningRate) {
            return new Config(learningRate, alpha, epsilon, momentum, centered, weightDecay);
        }

        public Config withMomentum(float momentum) {
            return new Config(learningRate, alpha, epsilon, momentum, centered, weightDecay);
        }

        public Config withCentered(boolean centered) {
            return new Config(learningRate, alpha, epsilon, momentum, centered, weightDecay);
        }

        public Config withWeightDecay(float weightDecay) {
            return new Config(learningRate, alpha, epsilon, momentum, centered, weightDecay);
        }
    }

    private final float alpha;
    private final float epsilon;
    private final float momentum;
    private final boolean centered;
    private final float weightDecay;
    private final List<String> slotNames;

    public RMSprop() {
        this(Config.defaults());
    }

    public RMSprop(Config config) {
        super(config.learningRate());
        this.alpha = requireDecayRate("rmsprop", "alpha", config.alpha());
        this.epsilon = requirePositive("rmsprop", "epsilon", config.epsilon());
        this.momentum = requireDecayRate("rmsprop", "momentum", config.momentum());
        this.centered = config.centered();
        this.weightDecay = requireNonNegative("rmsprop", "weight decay", config.weightDecay());
        List<String> names = new ArrayList<>(List.of("square_avg"));
        if (momentum > 0) {
            names.add("momentum");
        }
        if (centered) {
            names.add("grad_avg");
        }
        this.slotNames = List.copyOf(names);
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public Record config() {
        return new Config(learningRate(), alpha, epsilon, momentum, centered, weightDecay);
    }

    @Override
    protected List<String> slotNames() {
        return slotNames;
    }

    @Override
    protected void update(float[] weights, float[] gradients, int from, int to, float lr, boolean decays, ParameterState state) {
        float[] buffer = momentum > 0 ? state.slot(slotNames.indexOf("momentum")) : null;
        float[] gradientAverage = centered ? state.slot(slotNames.indexOf("grad_avg")) : null;
        update(weights, gradients, state.slot(0), gradientAverage, buffer, from, to, lr, alpha, epsilon, momentum,
                decays ? weightDecay : 0f);
    }

    /**
     * The rule above over elements {@code [from, to)}; {@code a} is null unless centered, {@code b} null
     * unless momentum is above 0. A centered variance rounded below 0 counts as 0.
     */
    static void update(float[] w, float[] g, float[] s, float[] a, float[] b, int from, int to,
                       float lr, float alpha, float eps, float mu, float wd) {
        float oneMinusAlpha = 1 - alpha;
        for (int i = from; i < to; i++) {
            float gi = g[i] + wd * w[i];
            float si = alpha * s[i] + oneMinusAlpha * gi * gi;
            s[i] = si;
            float meanSquare = si;
            if (a != null) {
                float ai = alpha * a[i] + oneMinusAlpha * gi;
                a[i] = ai;
                meanSquare = Math.max(0f, si - ai * ai);
            }
            float direction = gi / ((float) Math.sqrt(meanSquare) + eps);
            if (b != null) {
                direction = mu * b[i] + direction;
                b[i] = direction;
            }
            w[i] -= lr * direction;
        }
    }
}
