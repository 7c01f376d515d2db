package org.jvision.training;

/** What callbacks may ask of the fit loop. */
public interface TrainingControl {
    /** Ends training after the current epoch. */
    void requestStop(String reason);
}
