package org.jvision.optimizers.schedules;

/**
 * Exponential decay, smooth from epoch to epoch: the rate is multiplied by {@code factor} over
 * every {@code everyEpochs} epochs, a little at each epoch,
 * <pre>  lr(epoch) = initial · factor^(epoch / everyEpochs)</pre>
 * so "×0.1 every 8 epochs" is {@code ExponentialDecay(8, 0.1)}: epoch 4 runs at
 * {@code initial · 0.1^0.5 ≈ 0.316 · initial}, epoch 8 at {@code 0.1 · initial}. The rate changes
 * at epoch boundaries only (the batch is ignored). Keras's
 * {@code ExponentialDecay(initial, decay_steps, decay_rate)} with {@code decay_steps} counted in
 * epochs; PyTorch's {@code ExponentialLR(gamma = factor^(1/everyEpochs))}.
 *
 * @param everyEpochs the number of epochs over which the rate is multiplied by {@code factor}, at least 1
 * @param factor the decay over {@code everyEpochs} epochs, in (0, 1]
 */
public record ExponentialDecay(int everyEpochs, float factor) implements LearningRateSchedule {
    public ExponentialDecay {
        Schedules.requireEpochs("ExponentialDecay", "everyEpochs", everyEpochs);
        Schedules.requireFactor("ExponentialDecay", factor);
    }

    @Override
    public float learningRate(float initial, int epoch, int batch, int batchesPerEpoch) {
        return (float) (initial * Math.pow(factor, (double) epoch / everyEpochs));
    }

    @Override
    public String spec() {
        return "exp:" + everyEpochs + ":" + Schedules.format(factor);
    }
}
