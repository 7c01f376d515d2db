package org.jvision.optimizers;

import java.util.List;

/**
 * Stochastic (or mini-batch, or batch) gradient descent, with optional momentum (Polyak's heavy
 * ball; Nesterov's look-ahead form of Sutskever et al., 2013) and weight decay, as PyTorch's
 * {@code torch.optim.SGD} with dampening 0, per parameter element:
 * <pre>
 *   g = g + weight_decay * w            (weights only, never biases)
 *   v = momentum * v + g                (v starts at 0, so the first step has v = g)
 *   w = w - lr * (nesterov ? g + momentum * v : v)
 * </pre>
 * With momentum 0 this is plain {@code w = w - lr * g} and keeps no state. Defaults: lr 0.01 (as in
 * Keras; PyTorch has none), momentum 0, nesterov false, weight decay 0. The "momentum" and
 * "nesterov" of {@link Optimizers} are this class with momentum 0.9.
 */
public final class SGD extends Optimizer {
    /** Hyperparameters. */
    public record Config(float learningRate, float momentum, boolean nesterov, float weightDecay) {
        public static Config defaults() {
            return new Config(0.01f, 0f, false, 0f);
        }

        public Config withLearningRate(float learningRate) {
            return new Config(learningRate, momentum, nesterov, weightDecay);
        }

        public Config withMomentum(float momentum) {
            return new Config(learningRate, momentum, nesterov, weightDecay);
        }

        public Config withNesterov(boolean nesterov) {
            return new Config(learningRate, momentum, nesterov, weightDecay);
        }

        public Config withWeightDecay(float weightDecay) {
            return new Config(learningRate, momentum, nesterov, weightDecay);
        }
    }

    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;
    private final List<String> slotNames;

    public SGD() {
        this(Config.defaults());
    }

    public SGD(float learningRate) {
        this(Config.defaults().withLearningRate(learningRate));
    }

    public SGD(Config config) {
        super(config.learningRate());
        this.momentum = requireDecayRate("sgd", "momentum", config.momentum());
        this.weightDecay = requireNonNegative("sgd", "weight decay", config.weightDecay());
        if (config.nesterov() && config.momentum() == 0) {
            throw new IllegalArgumentException("sgd: nesterov needs a momentum above 0, received: momentum=" + config.momentum());
        }
        this.nesterov = config.nesterov();
        this.slotNames = momentum > 0 ? List.of("momentum") : List.of();
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public Record config() {
        return new Config(learningRate(), momentum, nesterov, weightDecay);
    }

    @Override
    protected List<String> slotNames() {
        return slotNames;
    }

    @Override
    protected void update(float[] weights, float[] gradients, int from, int to, float lr, boolean decays, ParameterState state) {
        float decay = decays ? weightDecay : 0f;
        if (momentum > 0) {
            descendWithMomentum(weights, gradients, state.slot(0), from, to, lr, momentum, nesterov, decay);
        } else {
            descend(weights, gradients, from, to, lr, decay);
        }
    }

    /** {@code w[i] -= lr * (g[i] + wd * w[i])}. */
    static void descend(float[] w, float[] g, int from, int to, float lr, float wd) {
        for (int i = from; i < to; i++) {
            w[i] -= lr * (g[i] + wd * w[i]);
        }
    }

    /** The rule above with the velocity {@code v}. */
    static void descendWithMomentum(float[] w, float[] g, float[] v, int from, int to, float lr, float mu, boolean nesterov, float wd) {
        for (int i = from; i < to; i++) {
            float gi = g[i] + wd * w[i];
            float vi = mu * v[i] + gi;
            v[i] = vi;
            w[i] -= lr * (nesterov ? gi + mu * vi : vi);
        }
    }
}
