package org.jvision.training.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.jvision.model.ModelFile;
import org.jvision.model.Preprocessing;
import org.jvision.training.Callback;
import org.jvision.training.Checkpointable;
import org.jvision.training.EpochLogs;
import org.jvision.training.TrainingControl;

/**
 * Saves the model ({@link ModelFile}: architecture, weights, preprocessing and loss) to one file
 * during training, Keras's {@code ModelCheckpoint}: at the end of every {@code everyEpochs}-th
 * epoch, and with {@code saveBestOnly} only when the monitored metric is better than at every
 * earlier save (strictly, with no minimum change, as Keras compares). The file is replaced
 * atomically, so a crash mid-save leaves the previous model intact and no temporary file behind.
 *
 * <p>Without {@code saveBestOnly} the monitor is not read (as in Keras). With it, a monitored
 * {@code val_*} metric and no validation data is an error, not a silent fall-back.
 */
public final class ModelCheckpoint implements Callback, Checkpointable {
    private final Path file;
    private final Preprocessing preprocessing;
    private final String loss;
    private final Monitor monitor;
    private final boolean saveBestOnly;
    private final int everyEpochs;
    private TrainingControl control;
    private double best;
    private int saves;
    private boolean restored;

    /**
     * @param file where to save, replaced at each save
     * @param preprocessing saved with the model, as {@link ModelFile#save} needs
     * @param loss the loss's name, saved with the model
     * @param monitor the metric that decides "best", e.g. {@code val_loss}; direction from its name
     * @param saveBestOnly save only when {@code monitor} improves on every earlier save
     * @param everyEpochs consider saving every this many epochs, at least 1
     */
    public ModelCheckpoint(Path file, Preprocessing preprocessing, String loss, String monitor, boolean saveBestOnly,
                           int everyEpochs) {
        this.file = Objects.requireNonNull(file, "ModelCheckpoint: file");
        this.preprocessing = Objects.requireNonNull(preprocessing, "ModelCheckpoint: preprocessing");
        this.loss = Objects.requireNonNull(loss, "ModelCheckpoint: loss");
        try {
            this.monitor = Monitor.of(monitor);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("ModelCheckpoint: " + e.getMessage(), e);
        }
        if (everyEpochs < 1) {
            throw new IllegalArgumentException("ModelCheckpoint: everyEpochs must be >= 1, received: " + everyEpochs);
        }
        this.saveBestOnly = saveBestOnly;
        this.everyEpochs = everyEpochs;
        this.best = this.monitor.worst();
    }

    public Path file() {
        return file;
    }

    public Monitor monitor() {
        return monitor;
    }

    /** The best monitored value saved so far (±∞ before any save), when {@code saveBestOnly}. */
    public double bestValue() {
        return best;
    }

    /** How many times this fit saved the model. */
    public int saves() {
        return saves;
    }

    @Override
    public void onTrainBegin(TrainingControl control, int epochs, int batchesPerEpoch) {
        this.control = control;
        if (!restored) {
            best = monitor.worst();
        }
        restored = false;
        saves = 0;
    }

    @Override
    public void onEpochEnd(EpochLogs logs) {
        if (logs.epoch() % everyEpochs != 0) {
            return;
        }
        if (saveBestOnly) {
            double current = monitor.value(logs, "ModelCheckpoint");
            if (!monitor.improves(current, best, 0)) {
                return;
            }
            best = current;
        }
        try {
            ModelFile.save(file, control.model(), preprocessing, loss);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: cannot save the model at epoch " + logs.epoch() + " to " + file
                    + ": " + e.getMessage(), e);
        }
        saves++;
    }

    /** {@code model_checkpoint:<file name>}, so two checkpoints to different files keep apart. */
    @Override
    public String stateKey() {
        return "model_checkpoint:" + file.getFileName();
    }

    /** {@code best}, once a best-only save happened (nothing otherwise). */
    @Override
    public SavedState saveState() {
        return new SavedState(Double.isFinite(best) ? Map.of("best", best) : Map.of(), Map.of());
    }

    @Override
    public void restoreState(SavedState state) {
        best = state.numbers().getOrDefault("best", monitor.worst());
        restored = true;
    }
}
