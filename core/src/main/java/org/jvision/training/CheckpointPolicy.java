package org.jvision.training;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * When and where the fit loop saves a {@link TrainingCheckpoint}: after every {@code everyBatches}
 * steps (counted over the whole run) and at the end of every {@code everyEpochs}-th epoch, to one
 * file replaced atomically each time, so a run killed at any moment leaves the last complete one.
 *
 * @param file         where the checkpoint goes (e.g. {@code runs/x/checkpoint.safetensors})
 * @param everyEpochs  save at the end of every this many epochs; 0 for never at epoch ends
 * @param everyBatches save after every this many steps; 0 for never within epochs
 * @param metadata     extra strings stored with it (the CLI keeps its run settings there)
 */
public record CheckpointPolicy(Path file, int everyEpochs, int everyBatches, Map<String, String> metadata) {
    public CheckpointPolicy {
        Objects.requireNonNull(file, "file");
        if (everyEpochs < 0 || everyBatches < 0 || everyEpochs + everyBatches == 0) {
            throw new IllegalArgumentException("a checkpoint needs a positive interval in epochs or in batches, received: every "
                    + everyEpochs + " epochs, every " + everyBatches + " batches");
        }
        metadata = Map.copyOf(metadata);
    }

    public static CheckpointPolicy everyEpochs(Path file, int epochs) {
        return new CheckpointPolicy(file, epochs, 0, Map.of());
    }

    public static CheckpointPolicy everyBatches(Path file, int batches) {
        return new CheckpointPolicy(file, 0, batches, Map.of());
    }

    public CheckpointPolicy withMetadata(Map<String, String> extra) {
        return new CheckpointPolicy(file, everyEpochs, everyBatches, extra);
    }
}
