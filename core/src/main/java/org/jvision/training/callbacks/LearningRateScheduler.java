package org.jvision.training.callbacks;

import java.util.Map;
import java.util.Objects;
import org.jvision.optimizers.Optimizer;
import org.jvision.optimizers.schedules.LearningRateSchedule;
import org.jvision.training.Callback;
import org.jvision.training.Checkpointable;
import org.jvision.training.TrainingControl;

/**
 * Applies a {@link LearningRateSchedule} to the optimizer: remembers the optimizer's rate when
 * training begins (the schedule's {@code initial}) and, before every batch, sets the rate to
 * {@code schedule.learningRate(initial, epoch, batch, batchesPerEpoch)} (0-based positions). Keras's
 * {@code LearningRateScheduler}, per step rather than per epoch, so warm-up and cosine decay are
 * smooth; PyTorch's {@code lr_scheduler} stepped every batch.
 *
 * <p>The initial rate is its checkpoint state: after {@link #restoreState} the schedule keeps
 * the rate of the original start, not the decayed rate the optimizer has when training resumes.
 *
 * <p>It overwrites the rate before every batch, so it does not combine with
 * {@link ReduceLROnPlateau}: use one or the other.
 */
public final class LearningRateScheduler implements Callback, Checkpointable {
    private static final String INITIAL = "initial_learning_rate";
    private final LearningRateSchedule schedule;
    private Optimizer optimizer;
    private int batchesPerEpoch;
    private float initial = Float.NaN;
    private boolean restored;

    public LearningRateScheduler(LearningRateSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    public LearningRateSchedule schedule() {
        return schedule;
    }

    /** The rate training started with; NaN before training begins. */
    public float initialLearningRate() {
        return initial;
    }

    @Override
    public void onTrainBegin(TrainingControl control, int epochs, int batchesPerEpoch) {
        this.optimizer = control.optimizer();
        this.batchesPerEpoch = batchesPerEpoch;
        if (!restored) {
            initial = optimizer.learningRate();
        }
        restored = false;
    }

    /** {@code epoch} and {@code batch} count from 1 here, as the fit loop does. */
    @Override
    public void onBatchBegin(int epoch, int batch) {
        float rate = schedule.learningRate(initial, epoch - 1, batch - 1, batchesPerEpoch);
        if (!(rate > 0) || !Float.isFinite(rate)) {
            throw new IllegalStateException("learning-rate schedule '" + schedule.spec() + "' gave " + rate + " at epoch " + epoch
                    + ", batch " + batch + " (initial rate " + initial + "); the optimizer needs a positive rate");
        }
        optimizer.setLearningRate(rate);
    }

    @Override
    public String stateKey() {
        return "learning_rate_scheduler";
    }

    /** {@code initial_learning_rate}, once training has begun (nothing before). */
    @Override
    public SavedState saveState() {
        return new SavedState(Float.isNaN(initial) ? Map.of() : Map.of(INITIAL, (double) initial), Map.of());
    }

    /** Puts back the initial rate; an empty state (saved before training began) restores nothing. */
    @Override
    public void restoreState(SavedState state) {
        restored = state.numbers().containsKey(INITIAL);
        initial = restored ? (float) state.number(INITIAL) : Float.NaN;
    }
}
