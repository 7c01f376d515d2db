package org.jvision.training;

import java.util.Map;

/**
 * A callback whose state must survive a checkpoint for a resumed run to behave as an uninterrupted
 * one (early stopping's best value and patience count, a schedule's initial rate, the plateau
 * reducer's wait). The checkpoint stores each callback's state under its {@link #stateKey()}.
 */
public interface Checkpointable {
    /** A name unique among the fit's callbacks, e.g. "early_stopping". */
    String stateKey();

    /** The state now: plain numbers, and arrays (such as a copy of the best weights). */
    SavedState saveState();

    /** Puts back what {@link #saveState} returned, before training resumes. */
    void restoreState(SavedState state);

    /** A callback's saved state. Numbers are doubles (counts fit exactly); arrays are named. */
    record SavedState(Map<String, Double> numbers, Map<String, float[]> arrays) {
        public SavedState {
            numbers = Map.copyOf(numbers);
            arrays = Map.copyOf(arrays);
        }

        /** A saved number, or a clear error when the checkpoint lacks it. */
        public double number(String key) {
            Double value = numbers.get(key);
            if (value == null) {
                throw new IllegalArgumentException("the checkpoint's callback state lacks '" + key + "'");
            }
            return value;
        }
    }
}
