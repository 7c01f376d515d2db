package org.jvision.training;

import org.jvision.model.Sequential;
import org.jvision.optimizers.Optimizer;

/** What callbacks may see and ask of the fit loop. */
public interface TrainingControl {
    /** Ends training after the current epoch. */
    void requestStop(String reason);

    /** The model being trained (to copy or restore its weights). */
    Sequential model();

    /** The optimizer (schedules change its learning rate). */
    Optimizer optimizer();
}
