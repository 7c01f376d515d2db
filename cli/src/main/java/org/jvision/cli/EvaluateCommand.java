package org.jvision.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jvision.data.Dataset;
import org.jvision.data.TrainTest;
import org.jvision.losses.Losses;
import org.jvision.model.ModelFile;
import org.jvision.optimizers.SGD;
import org.jvision.training.Evaluation;
import org.jvision.training.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jvision evaluate}: loss and accuracy of a saved model on the test set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a saved model on the Fashion-MNIST test set (or the embedded sample's).")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "The model file (model.safetensors) written by train.")
    Path model;

    @Option(names = "--data", description = "As for train: a folder with the IDX files, or 'sample'.")
    String data;

    @Option(names = "--json", description = "Print one JSON object {\"loss\":…, \"accuracy\":…, \"examples\":…}.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        ModelFile.Contents contents = ModelFile.load(model);
        TrainTest loaded = DataSource.load(data);
        Dataset test = contents.preprocessing().apply(loaded.test());
        Trainer trainer = new Trainer(contents.model(), new SGD(0.01f), Losses.byName(contents.loss()));
        Evaluation result = trainer.evaluate(test, 256);
        if (json) {
            System.out.printf(Locale.ROOT, "{\"loss\":%.6f,\"accuracy\":%.6f,\"examples\":%d}%n",
                    result.loss(), result.accuracy(), result.examples());
        } else {
            System.out.println("Data: " + loaded.source());
            System.out.printf(Locale.ROOT, "Test: loss %.4f - accuracy %.4f (%,d examples)%n",
                    result.loss(), result.accuracy(), result.examples());
        }
        return 0;
    }
}
