package org.jvision.training.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jvision.model.AtomicFiles;
import org.jvision.training.Callback;
import org.jvision.training.EpochLogs;
import org.jvision.training.TrainingControl;

/**
 * Writes one CSV row per epoch, Keras's {@code CSVLogger}:
 * <pre>
 * epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds
 * 1,0.6931471805599453,0.5,0.7,0.45,0.001,2.5
 * </pre>
 * Numbers are written exactly (Java's shortest round-trip form; the learning rate as the float the
 * optimizer holds), a validation value is empty when there was no validation data, and lines end
 * with {@code \n}. The whole file is rewritten atomically after every epoch, so it is always
 * complete, even when training is killed.
 *
 * <p>With {@code append} (for a resumed run) the rows already in the file are kept, except those
 * of epochs the run repeats; the file's header must match.
 */
public final class CsvLogger implements Callback {
    /** The header line. */
    public static final String HEADER = "epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds";
    private final Path file;
    private final boolean append;
    private final List<String> earlier = new ArrayList<>();
    private final List<String> rows = new ArrayList<>();

    /** A logger that starts the file afresh at each fit. */
    public CsvLogger(Path file) {
        this(file, false);
    }

    public CsvLogger(Path file, boolean append) {
        this.file = Objects.requireNonNull(file, "CsvLogger: file");
        this.append = append;
    }

    @Override
    public void onTrainBegin(TrainingControl control, int epochs, int batchesPerEpoch) {
        rows.clear();
        earlier.clear();
        if (append && Files.exists(file)) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (!lines.isEmpty() && !lines.get(0).equals(HEADER)) {
                    throw new IllegalStateException("CsvLogger: cannot append to " + file + ": its header is '" + lines.get(0)
                            + "', expected '" + HEADER + "'");
                }
                earlier.addAll(lines.subList(Math.min(1, lines.size()), lines.size()));
            } catch (IOException e) {
                throw new UncheckedIOException("CsvLogger: cannot read " + file + " to append to it: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void onEpochEnd(EpochLogs logs) {
        if (rows.isEmpty()) {
            // A resumed run repeats the epochs after its checkpoint: their old rows go.
            earlier.removeIf(line -> epochOf(line) >= logs.epoch());
        }
        rows.add(row(logs));
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (String line : earlier) {
            text.append(line).append('\n');
        }
        for (String line : rows) {
            text.append(line).append('\n');
        }
        try {
            AtomicFiles.writeString(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("CsvLogger: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** One epoch's line, without the line end. */
    public static String row(EpochLogs logs) {
        return logs.epoch() + "," + logs.loss() + "," + logs.accuracy() + "," + orEmpty(logs.valLoss()) + ","
                + orEmpty(logs.valAccuracy()) + "," + (float) logs.learningRate() + "," + logs.seconds();
    }

    private static String orEmpty(Double value) {
        return value == null ? "" : value.toString();
    }

    private static int epochOf(String line) {
        int comma = line.indexOf(',');
        try {
            return Integer.parseInt(comma < 0 ? line : line.substring(0, comma));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE; // not a row of ours: dropped
        }
    }
}
