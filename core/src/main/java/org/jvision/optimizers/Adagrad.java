package org.jvision.optimizers;

import java.util.List;

/**
 * Adagrad (Duchi, Hazan &amp; Singer, "Adaptive Subgradient Methods", JMLR 2011), as PyTorch's
 * {@code torch.optim.Adagrad}: each element's step shrinks with the sum of its squared gradients,
 * so rarely-updated elements keep large steps.
 * <pre>
 *   g = g + weight_decay * w           (L2 penalty, weights only, never biases)
 *   sum = sum + g^2                    (sum starts at initial_accumulator_value)
 *   w = w - lr * g / (sqrt(sum) + eps)
 * </pre>
 * Defaults as PyTorch: lr 0.01, eps 1e-10, initial accumulator 0, weight decay 0. PyTorch's
 * {@code lr_decay} is left to the learning-rate schedules.
 */
public final class Adagrad extends Optimizer {
    /** Hyperparameters. */
    public record Config(float learningRate, float epsilon, float initialAccumulatorValue, float weightDecay) {
        public static Config defaults() {
            return new Config(0.01f, 1e-10f, 0f, 0f);
        }

        public Config withLearningRate(float learningRate) {
            return new Config(learningRate, epsilon, initialAccumulatorValue, weightDecay);
        }

        public Config withWeightDecay(float weightDecay) {
            return new Config(learningRate, epsilon, initialAccumulatorValue, weightDecay);
        }
    }

    private final float epsilon;
    private final float initialAccumulatorValue;
    private final float weightDecay;

    public Adagrad() {
        this(Config.defaults());
    }

    public Adagrad(Config config) {
        super(config.learningRate());
        this.epsilon = requirePositive("adagrad", "epsilon", config.epsilon());
        this.initialAccumulatorValue = requireNonNegative("adagrad", "initial accumulator value", config.initialAccumulatorValue());
        this.weightDecay = requireNonNegative("adagrad", "weight decay", config.weightDecay());
    }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public Record config() {
        return new Config(learningRate(), epsilon, initialAccumulatorValue, weightDecay);
    }

    @Override
    protected List<String> slotNames() {
        return List.of("sum");
    }

    @Override
    protected float initialSlotValue(int slot) {
        return initialAccumulatorValue;
    }

    @Override
    protected void update(float[] weights, float[] gradients, int from, int to, float lr, boolean decays, ParameterState state) {
        update(weights, gradients, state.slot(0), from, to, lr, epsilon, decays ? weightDecay : 0f);
    }

    /** The rule above over elements {@code [from, to)} with the accumulated squares {@code sum}. */
    static void update(float[] w, float[] g, float[] sum, int from, int to, float lr, float eps, float wd) {
        for (int i = from; i < to; i++) {
            float gi = g[i] + wd * w[i];
            float si = sum[i] + gi * gi;
            sum[i] = si;
            w[i] -= lr * gi / ((float) Math.sqrt(si) + eps);
        }
    }
}
