package org.jvision.optimizers.schedules;

/**
 * The learning rate for a position in training, given the rate training started with: a pure
 * function, so the same position always gives the same rate (a resumed run included).
 *
 * <p>Positions count from 0: {@code epoch} in {@code [0, epochs)}, {@code batch} in
 * {@code [0, batchesPerEpoch)}. Schedules that change once per epoch ignore the batch; those that
 * change every step use the fractional epoch {@code t = epoch + batch / batchesPerEpoch}.
 *
 * <p>The built-in schedules are immutable records whose {@link #spec()} is the CLI form, so
 * {@code Schedules.parse(s.spec(), epochs)} gives back an equal schedule. A lambda is a schedule
 * too (Keras's {@code LearningRateScheduler(schedule)} takes a function), with no CLI form.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    /**
     * The rate for the batch {@code batch} (0-based) of epoch {@code epoch} (0-based).
     *
     * @param initial the optimizer's rate when training began
     * @param batchesPerEpoch the number of optimizer steps in an epoch, at least 1
     */
    float learningRate(float initial, int epoch, int batch, int batchesPerEpoch);

    /** The schedule as {@code --lr-schedule} writes it, e.g. {@code step:8:0.1}; "custom" for one with no CLI form. */
    default String spec() {
        return "custom";
    }

    /** The fractional epoch {@code epoch + batch / batchesPerEpoch}, for per-step schedules. */
    static double fractionalEpoch(int epoch, int batch, int batchesPerEpoch) {
        return epoch + (double) batch / batchesPerEpoch;
    }
}
