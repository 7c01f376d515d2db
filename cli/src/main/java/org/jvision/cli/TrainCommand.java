package org.jvision.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jvision.data.Dataset;
import org.jvision.data.Splits;
import org.jvision.data.Standardization;
import org.jvision.data.TrainTest;
import org.jvision.kernel.Engine;
import org.jvision.kernel.Parallel;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.model.ModelFile;
import org.jvision.model.Preprocessing;
import org.jvision.model.Sequential;
import org.jvision.optimizers.Adam;
import org.jvision.optimizers.Optimizer;
import org.jvision.optimizers.SGD;
import org.jvision.training.Evaluation;
import org.jvision.training.FitOptions;
import org.jvision.training.History;
import org.jvision.training.Trainer;
import org.jvision.zoo.Zoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    @Option(names = "--lr", description = "Learning rate (default: 0.001 for adam, 0.01 for sgd).")
    Float learningRate;

    @Option(names = "--optimizer", defaultValue = "adam", description = "sgd or adam (default: ${DEFAULT-VALUE}).")
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

    @Override
    public Integer call() throws IOException {
        PrintStream stdout = System.out;
        validateOptions();
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        TrainTest loaded = DataSource.load(data);
        stdout.println("Data: " + loaded.source());

        // Validation comes out of the training data; the test set waits for the very end.
        Dataset trainPart = loaded.train();
        Dataset validationPart = null;
        if (valSplit > 0) {
            Splits.TrainValidation split = Splits.trainValidation(loaded.train(), valSplit, seed);
            trainPart = split.train();
            validationPart = split.validation();
        }
        // Statistics from the training part only, applied unchanged to validation and test.
        Standardization standardization = Standardization.fit(trainPart);
        Dataset train = standardization.apply(trainPart);
        Dataset validation = validationPart == null ? null : standardization.apply(validationPart);
        Dataset test = standardization.apply(loaded.test());

        Sequential network = Zoo.create(model, train.imageShape(), train.classCount()).build(seed);
        Optimizer opt = createOptimizer();
        stdout.print(network.summary());
        stdout.printf(Locale.ROOT, "Training %s on %,d examples (validation %,d) for %d epoch%s: batch %d, %s lr %s, %d threads, %s kernels%n",
                model, train.size(), validation == null ? 0 : validation.size(), epochs, epochs == 1 ? "" : "s", batchSize, opt.name(),
                opt.learningRate(), Parallel.threads(), Engine.kernels().name());

        Trainer trainer = new Trainer(network, opt, new SoftmaxCrossEntropy());
        FitOptions.Builder options = FitOptions.builder().epochs(epochs).batchSize(batchSize).seed(seed).validation(validation)
                .callback(new ProgressCallback(stdout, System.err, !noProgress));
        History history = trainer.fit(train, options.build());

        Evaluation result = trainer.evaluate(test, 256);
        stdout.printf(Locale.ROOT, "Test: loss %.4f - accuracy %.4f (%,d examples)%n", result.loss(), result.accuracy(), result.examples());

        Files.createDirectories(out);
        Path modelFile = out.resolve("model.safetensors");
        ModelFile.save(modelFile, network, new Preprocessing(train.classNames(), standardization),
                "softmax_cross_entropy");
        history.write(out.resolve("history.json"));
        stdout.println("Saved " + modelFile + " and " + out.resolve("history.json"));
        return 0;
    }

    private void validateOptions() {
        if (!Zoo.names().contains(model)) {
            throw new IllegalArgumentException("unknown --model '" + model + "', expected one of " + String.join(", ", Zoo.names()));
        }
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

    private Optimizer createOptimizer() {
        return switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "adam" -> new Adam(learningRate == null ? 0.001f : learningRate);
            case "sgd" -> new SGD(learningRate == null ? 0.01f : learningRate);
            default -> throw new IllegalArgumentException("unknown --optimizer '" + optimizer + "', expected sgd or adam");
        };
    }
}
