package org.jvision.optimizers;

import java.util.List;

/**
 * AdamW: Adam with decoupled weight decay (Loshchilov &amp; Hutter, "Decoupled Weight Decay
 * Regularization", ICLR 2019), as PyTorch's {@code torch.optim.AdamW}. The weights shrink by a
 * fixed fraction each step, outside Adam's gradient scaling, then Adam steps on the bare gradient:
 * <pre>
 *   w = w * (1 - lr * weight_decay)    (weights only, never biases)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   w = w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 * Defaults as PyTorch: lr 0.001, beta1 0.9, beta2 0.999, eps 1e-8, weight decay 0.01.
 * The decay is scaled by the learning rate (PyTorch's form, not the paper's separate schedule factor).
 */
public final class AdamW extends Optimizer {
    /** Hyperparameters. */
    public record Config(float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
        public static Config defaults() {
            return new Config(0.001f, 0.9f, 0.999f, 1e-8f, 0.01f);
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

    public AdamW() {
        this(Config.defaults());
    }

    public AdamW(Config config) {
        super(config.learningRate());
        this.beta1 = requireDecayRate("adamw", "beta1", config.beta1());
        this.beta2 = requireDecayRate("adamw", "beta2", config.beta2());
        this.epsilon = requirePositive("adamw", "epsilon", config.epsilon());
        this.weightDecay = requireNonNegative("adamw", "weight decay", config.weightDecay());
    }

    @Override
    public String name() {
        return "adamw";
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
        if (decays && weightDecay > 0) {
            shrink(weights, from, to, 1 - lr * weightDecay);
        }
        Adam.update(weights, gradients, state.slot(0), state.slot(1), from, to, state.step(), lr, beta1, beta2, epsilon, 0f);
    }

    /** {@code w[i] *= factor}: the decoupled decay. */
    static void shrink(float[] w, int from, int to, float factor) {
        for (int i = from; i < to; i++) {
            w[i] *= factor;
        }
    }
}
