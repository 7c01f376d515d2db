package org.jvision.cli;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jvision.training.Callback;
import org.jvision.training.EpochLogs;
import org.jvision.training.TrainingControl;

/**
 * Keras-style progress: a bar per epoch on stderr (batches done, running loss and accuracy, time
 * left), then one line per epoch on stdout with training and validation loss and accuracy.
 */
final class ProgressCallback implements Callback {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean showBar;
    private int epochs;
    private int batches;
    private ProgressBar bar;

    ProgressCallback(PrintStream out, PrintStream err, boolean showBar) {
        this.out = out;
        this.err = err;
        this.showBar = showBar;
    }

    @Override
    public void onTrainBegin(TrainingControl control, int epochs, int batchesPerEpoch) {
        this.epochs = epochs;
        this.batches = batchesPerEpoch;
    }

    @Override
    public void onEpochBegin(int epoch) {
        if (showBar) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format("Epoch %d/%d", epoch, epochs))
                    .setInitialMax(batches)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(err, 110))
                    .clearDisplayOnFinish()
                    .build();
        }
    }

    @Override
    public void onBatchEnd(int epoch, int batch, double runningLoss, double runningAccuracy) {
        if (bar != null) {
            bar.stepTo(batch);
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f acc %.4f", runningLoss, runningAccuracy));
        }
    }

    @Override
    public void onEpochEnd(EpochLogs logs) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Epoch %d/%d - %.1fs - loss %.4f - accuracy %.4f",
                logs.epoch(), epochs, logs.seconds(), logs.loss(), logs.accuracy()));
        if (logs.valLoss() != null) {
            line.append(String.format(Locale.ROOT, " - val_loss %.4f - val_accuracy %.4f", logs.valLoss(), logs.valAccuracy()));
        }
        out.println(line);
        out.flush();
    }
}
