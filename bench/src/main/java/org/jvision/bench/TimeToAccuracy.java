package org.jvision.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.jvision.data.Dataset;
import org.jvision.data.FashionMnist;
import org.jvision.data.Standardization;
import org.jvision.data.TrainTest;
import org.jvision.kernel.Parallel;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.model.Sequential;
import org.jvision.optimizers.Adam;
import org.jvision.training.Callback;
import org.jvision.training.EpochLogs;
import org.jvision.training.Evaluation;
import org.jvision.training.FitOptions;
import org.jvision.training.Trainer;
import org.jvision.zoo.Zoo;

/**
 * The jvision side of tools/time-to-accuracy.sh: trains a zoo model on the real Fashion-MNIST with
 * {@code jvision train --val-split 0}'s recipe (standardized pixels, Adam at 1e-3, batch 64, seed
 * 42) and prints after each epoch one JSON line {@code {"epoch", "train_seconds", "test_accuracy",
 * "loss"}}, like tools/pytorch/train.py. The test set is evaluated after each epoch for the report
 * only (it decides nothing), outside the timed training seconds.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp bench/target/jvision-bench.jar \
 *       org.jvision.bench.TimeToAccuracy vgg-small 3 2 /usr/share/datasets/fashion-mnist
 * </pre>
 * Arguments: model, epochs, threads, data folder.
 */
public final class TimeToAccuracy {
    private TimeToAccuracy() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: TimeToAccuracy MODEL EPOCHS THREADS DATA_DIR");
            System.exit(2);
        }
        String model = args[0];
        int epochs = Integer.parseInt(args[1]);
        Parallel.setThreads(Integer.parseInt(args[2]));
        TrainTest data = FashionMnist.load(Path.of(args[3]));
        Standardization standardization = Standardization.fit(data.train());
        Dataset train = standardization.apply(data.train());
        Dataset test = standardization.apply(data.test());
        long seed = 42;
        Sequential network = Zoo.create(model, train.imageShape(), train.classCount()).build(seed);
        Trainer trainer = new Trainer(network, new Adam(), new SoftmaxCrossEntropy());
        double[] seconds = {0};
        Callback report = new Callback() {
            @Override
            public void onEpochEnd(EpochLogs logs) {
                seconds[0] += logs.seconds();
                Evaluation result = trainer.evaluate(test, 256);
                System.out.printf(Locale.ROOT, "{\"epoch\": %d, \"train_seconds\": %.2f, \"test_accuracy\": %.4f,"
                        + " \"loss\": %.4f}%n", logs.epoch(), seconds[0], result.accuracy(), logs.loss());
            }
        };
        trainer.fit(train, FitOptions.builder().epochs(epochs).batchSize(64).seed(seed).callback(report).build());
    }
}
