package org.jvision.training.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jvision.training.Callback;
import org.jvision.training.EpochLogs;
import org.jvision.training.History;
import org.jvision.training.TrainingControl;

/**
 * Writes the history so far as {@code history.json} ({@link History#toJson()}: {@code {"epochs":
 * [{"epoch": 1, "loss": …, "val_loss": …, …}, …]}}) after every epoch, atomically, so a run that is
 * watched or killed mid-way always has a complete file. At the end of training it writes the file
 * once more, with {@code "stopped_early"} when a callback stopped training.
 */
public final class JsonHistoryLogger implements Callback {
    private final Path file;
    private final List<EpochLogs> epochs = new ArrayList<>();

    public JsonHistoryLogger(Path file) {
        this.file = Objects.requireNonNull(file, "JsonHistoryLogger: file");
    }

    @Override
    public void onTrainBegin(TrainingControl control, int epochs, int batchesPerEpoch) {
        this.epochs.clear();
    }

    @Override
    public void onEpochEnd(EpochLogs logs) {
        epochs.add(logs);
        write(History.of(epochs, null));
    }

    @Override
    public void onTrainEnd(History history) {
        write(History.of(epochs, history.stopReason()));
    }

    private void write(History history) {
        try {
            history.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("JsonHistoryLogger: cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
