package org.jvision.training;

import java.util.ArrayList;
import java.util.List;
import org.jvision.data.Dataset;

/**
 * How to fit: epochs, batch size, the shuffling seed, optional validation data and callbacks, and
 * optionally where to save checkpoints and a checkpoint to resume from. Build with
 * {@link #builder()}; defaults are 10 epochs, batch 32 (Keras's), seed 42, shuffling on.
 */
public record FitOptions(int epochs, int batchSize, long seed, boolean shuffle, Dataset validation,
                         List<Callback> callbacks, CheckpointPolicy checkpoint, TrainingCheckpoint resumeFrom) {
    public FitOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, received: " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, received: " + batchSize);
        }
        callbacks = List.copyOf(callbacks);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with Keras's defaults. */
    public static final class Builder {
        private int epochs = 10;
        private int batchSize = 32;
        private long seed = 42;
        private boolean shuffle = true;
        private Dataset validation;
        private final List<Callback> callbacks = new ArrayList<>();
        private CheckpointPolicy checkpoint;
        private TrainingCheckpoint resumeFrom;

        private Builder() {
        }

        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        public Builder validation(Dataset validation) {
            this.validation = validation;
            return this;
        }

        public Builder callback(Callback callback) {
            callbacks.add(callback);
            return this;
        }

        /** Saves checkpoints as the policy says (none by default). */
        public Builder checkpoint(CheckpointPolicy checkpoint) {
            this.checkpoint = checkpoint;
            return this;
        }

        /**
         * Goes on from a checkpoint: its weights, optimizer state, callback states, history and
         * position replace the fresh ones. The model and optimizer must be built as for the run that
         * wrote it, and the other options (seed, batch size, data) must be the same for the result
         * to equal an uninterrupted run's.
         */
        public Builder resumeFrom(TrainingCheckpoint checkpoint) {
            this.resumeFrom = checkpoint;
            return this;
        }

        public FitOptions build() {
            return new FitOptions(epochs, batchSize, seed, shuffle, validation, callbacks, checkpoint, resumeFrom);
        }
    }
}
