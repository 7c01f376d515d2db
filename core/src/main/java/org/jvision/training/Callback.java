package org.jvision.training;

/**
 * Hooks into the fit loop, Keras-style: every method is a no-op by default, so a callback
 * overrides only what it needs. A callback that wants training to end calls
 * {@link TrainingControl#requestStop} rather than throwing.
 */
public interface Callback {
    default void onTrainBegin(TrainingControl control, int epochs, int batchesPerEpoch) {
    }

    default void onEpochBegin(int epoch) {
    }

    /** Before each training step; {@code batch} counts from 1 within the epoch. */
    default void onBatchBegin(int epoch, int batch) {
    }

    /** After each optimizer step, with the running means of the epoch so far. */
    default void onBatchEnd(int epoch, int batch, double runningLoss, double runningAccuracy) {
    }

    default void onEpochEnd(EpochLogs logs) {
    }

    default void onTrainEnd(History history) {
    }
}
