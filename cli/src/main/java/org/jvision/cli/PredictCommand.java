package org.jvision.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jvision.losses.Losses;
import org.jvision.model.ModelFile;
import org.jvision.model.Preprocessing;
import org.jvision.optimizers.SGD;
import org.jvision.tensor.Tensor;
import org.jvision.training.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jvision predict}: classifies images with a saved model. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify images with a saved model: PNG or JPEG files (converted to the model's input size and channels),",
                "or an IDX images file. Prints the most likely classes with their probabilities."})
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "The model file (model.safetensors) written by train.")
    Path model;

    @Option(names = "--input", required = true, arity = "1..*", description = "Image files (PNG/JPEG) or one IDX images file.")
    List<Path> inputs;

    @Option(names = "--top", defaultValue = "3", description = "How many classes to show per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws IOException {
        if (top < 1) {
            throw new IllegalArgumentException("--top must be at least 1, received: " + top);
        }
        ModelFile.Contents contents = ModelFile.load(model);
        Preprocessing preprocessing = contents.preprocessing();
        List<String> labels = new ArrayList<>();
        Tensor images = InputImages.read(inputs, contents.model().inputShape(), labels);
        preprocessing.applyInPlace(images);
        Trainer trainer = new Trainer(contents.model(), new SGD(0.01f), Losses.byName(contents.loss()));
        Tensor probabilities = trainer.predict(images, 256);
        int classes = probabilities.dim(1);
        List<String> names = preprocessing.classNames();
        for (int i = 0; i < labels.size(); i++) {
            int[] best = topClasses(probabilities.data(), i * classes, classes, Math.min(top, classes));
            StringBuilder line = new StringBuilder(labels.get(i)).append(": ");
            for (int r = 0; r < best.length; r++) {
                String name = best[r] < names.size() ? names.get(best[r]) : "class " + best[r];
                line.append(r == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.4f", name,
                        probabilities.data()[i * classes + best[r]]));
            }
            System.out.println(line);
        }
        return 0;
    }

    private static int[] topClasses(float[] p, int offset, int classes, int k) {
        Integer[] index = new Integer[classes];
        for (int c = 0; c < classes; c++) {
            index[c] = c;
        }
        java.util.Arrays.sort(index, (a, b) -> Float.compare(p[offset + b], p[offset + a]));
        int[] best = new int[k];
        for (int r = 0; r < k; r++) {
            best[r] = index[r];
        }
        return best;
    }
}
