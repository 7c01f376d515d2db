package org.jvision.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.jvision.kernel.Parallel;
import org.jvision.training.TrainingCheckpoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jvision train}: trains a built-in model, reports validation and test results, saves it. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a built-in model on Fashion-MNIST (or the embedded sample of it).",
                "Validation data is a seeded, stratified split of the training data; the test set is used once, at the end."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "lenet5", description = "mlp, lenet5 or vgg-small (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--epochs", defaultValue = "5", description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Examples per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", description = "Learning rate (default: the optimizer's, e.g. 0.001 for adam, 0.01 for sgd).")
    Float learningRate;

    @Option(names = "--optimizer", defaultValue = "adam", description = "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamax or adamw "
            + "(default: ${DEFAULT-VALUE}); PyTorch's defaults for each.")
    String optimizer;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for initialization, splitting, shuffling and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--val-split", defaultValue = "0.1", description = "Share of the training data held out for validation (default: ${DEFAULT-VALUE}).")
    double valSplit;

    @Option(names = "--data", description = "A folder with Fashion-MNIST's IDX files, or 'sample' for the embedded sample. "
            + "Default: $JVISION_DATA, then /usr/share/datasets/fashion-mnist, then the embedded sample.")
    String data;

    @Option(names = "--out", defaultValue = "runs/latest", description = "Folder for model.safetensors and history.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--no-progress", description = "No progress bar (epoch lines only).")
    boolean noProgress;

    @Option(names = "--dropout", description = "Dropout rate after each hidden dense layer (mlp, lenet5; vgg-small's own is 0.5).")
    Double dropout;

    @Option(names = "--batch-norm", description = "Batch normalization before each hidden ReLU (mlp, lenet5; vgg-small always has it).")
    boolean batchNorm;

    @Option(names = "--noise", defaultValue = "0", description = "Standard deviation of Gaussian noise added to the inputs in training (default: none).")
    double noise;

    @Option(names = "--l1", defaultValue = "0", description = "L1 penalty alpha on every weight (not biases): loss + alpha*sum|w|.")
    double l1;

    @Option(names = "--l2", defaultValue = "0", description = "L2 penalty lambda on every weight (not biases): loss + lambda/2*sum(w^2).")
    double l2;

    @Option(names = "--lr-schedule", description = "step:EVERY:FACTOR, exp:EVERY:FACTOR, cosine[:MIN_LR], warmup:EPOCHS[+SCHEDULE] "
            + "or plateau:PATIENCE[:FACTOR[:MIN_LR]] (default: constant).")
    String lrSchedule;

    @Option(names = "--early-stopping", description = "MONITOR:PATIENCE[:MIN_DELTA], e.g. val_loss:3; restores the best epoch's weights.")
    String earlyStopping;

    @Option(names = "--checkpoint-every", defaultValue = "1", description = "Save --out/checkpoint.safetensors every N epochs (N or Ne), "
            + "every N batches (Nb), or never (0); default: every epoch.")
    String checkpointEvery;

    @Option(names = "--resume", description = "Go on with the run whose checkpoint is in this folder, with its settings "
            + "(only --epochs, --threads, --data, --out and --no-progress may be given with it).")
    Path resume;

    @Spec
    CommandSpec spec;

    /** The options --resume accepts beside it: they change where or how fast, not what is trained. */
    private static final Set<String> RESUMABLE = Set.of("--resume", "--epochs", "--threads", "--data", "--out", "--no-progress");

    @Override
    public Integer call() throws IOException {
        if (resume != null) {
            return resume();
        }
        validateOptions();
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        RunSettings settings = new RunSettings(model, epochs, batchSize, learningRate, optimizer.toLowerCase(Locale.ROOT), seed,
                Parallel.threads(), valSplit, data, dropout, batchNorm, noise, l1, l2, lrSchedule, earlyStopping, checkpointEvery);
        TrainingRun.validate(settings);
        new TrainingRun(settings, out, !noProgress, System.out).run(null);
        return 0;
    }

    private int resume() throws IOException {
        for (CommandLine.Model.OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            if (!RESUMABLE.contains(option.longestName())) {
                throw new IllegalArgumentException("--resume takes the run's settings from its checkpoint; drop " + option.longestName()
                        + " (only " + String.join(", ", new TreeSet<>(RESUMABLE)) + " may be given with it)");
            }
        }
        Path file = resume.resolve(TrainingRun.CHECKPOINT);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--resume " + resume + ": no " + TrainingRun.CHECKPOINT + " there (a run writes one with "
                    + "--checkpoint-every, every epoch by default)");
        }
        TrainingCheckpoint checkpoint = TrainingCheckpoint.read(file);
        String saved = checkpoint.metadata().get(TrainingRun.RUN_METADATA);
        if (saved == null) {
            throw new IllegalArgumentException(file + " was not written by jvision train: it has no run settings to resume with");
        }
        RunSettings settings = RunSettings.fromJson(saved, file.toString());
        boolean given = spec.commandLine().getParseResult().hasMatchedOption("--epochs");
        if (given) {
            validateOptions();
            if (epochs < checkpoint.history().size()) {
                throw new IllegalArgumentException("--epochs " + epochs + ": the checkpoint has already done " + checkpoint.history().size());
            }
            settings = settings.withEpochs(epochs);
        }
        if (threads != null) {
            settings = settings.withThreads(threads);
        }
        if (data != null) {
            settings = settings.withData(data);
        }
        Path target = spec.commandLine().getParseResult().hasMatchedOption("--out") ? out : resume;
        TrainingRun.validate(settings);
        new TrainingRun(settings, target, !noProgress, System.out).run(checkpoint);
        return 0;
    }

    private void validateOptions() {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, received: " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, received: " + batchSize);
        }
        if (!(valSplit >= 0 && valSplit < 1)) {
            throw new IllegalArgumentException("--val-split must be in [0, 1), received: " + valSplit);
        }
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, received: " + threads);
        }
        if (learningRate != null && !(learningRate > 0)) {
            throw new IllegalArgumentException("--lr must be positive, received: " + learningRate);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " exists and is not a folder");
        }
    }
}
