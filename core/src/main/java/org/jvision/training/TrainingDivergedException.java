package org.jvision.training;

/**
 * Training stopped because the loss became NaN or infinite. The model keeps the weights of the
 * last step whose loss was finite: the diverging batch's step is never applied.
 */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final int batch;

    public TrainingDivergedException(int epoch, int batch, Trainer.StepResult step) {
        super("training diverged: " + (Float.isFinite(step.loss()) ? "a gradient became infinite or NaN (the loss was "
                + step.loss() + ")" : "the loss became " + step.loss()) + " at epoch " + epoch + ", batch " + batch
                + "; stopped with the weights of the last finite step (try a lower learning rate)");
        this.epoch = epoch;
        this.batch = batch;
    }

    public int epoch() {
        return epoch;
    }

    public int batch() {
        return batch;
    }
}
