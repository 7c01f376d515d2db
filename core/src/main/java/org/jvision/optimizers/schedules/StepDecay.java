package org.jvision.optimizers.schedules;

/**
 * Step decay: the rate drops by {@code factor} every {@code everyEpochs} epochs and is constant in
 * between,
 * <pre>  lr(epoch) = initial · factor^floor(epoch / everyEpochs)</pre>
 * e.g. {@code StepDecay(10, 0.1)} from 0.1 gives 0.1 for epochs 0–9, 0.01 for 10–19, 0.001 for
 * 20–29. PyTorch's {@code torch.optim.lr_scheduler.StepLR(step_size, gamma)}; Keras's
 * {@code ExponentialDecay(staircase=True)} counted in epochs.
 *
 * @param everyEpochs how many epochs between drops, at least 1
 * @param factor what the rate is multiplied by at each drop, in (0, 1]
 */
public record StepDecay(int everyEpochs, float factor) implements LearningRateSchedule {
    public StepDecay {
        Schedules.requireEpochs("StepDecay", "everyEpochs", everyEpochs);
        Schedules.requireFactor("StepDecay", factor);
    }

    @Override
    public float learningRate(float initial, int epoch, int batch, int batchesPerEpoch) {
        return (float) (initial * Math.pow(factor, Math.floorDiv(epoch, everyEpochs)));
    }

    @Override
    public String spec() {
        return "step:" + everyEpochs + ":" + Schedules.format(factor);
    }
}
