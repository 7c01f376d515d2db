package org.jvision.optimizers.schedules;

/** No schedule: the rate stays what training started with ({@code --lr-schedule constant}). */
public record Constant() implements LearningRateSchedule {
    @Override
    public float learningRate(float initial, int epoch, int batch, int batchesPerEpoch) {
        return initial;
    }

    @Override
    public String spec() {
        return "constant";
    }
}
