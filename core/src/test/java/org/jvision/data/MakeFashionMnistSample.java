package org.jvision.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes the Fashion-MNIST sample embedded in jvision
 * ({@code core/src/main/resources/org/jvision/data/fashion-mnist-sample/}): from the real data set,
 * 500 training images of each class and 100 test images of each class, drawn by
 * {@link Splits#sample} with seed 2017, each kept in its original order, written as gzipped IDX files.
 *
 * <p>Run it with {@code tools/make-fashion-mnist-sample.sh [FASHION_MNIST_DIR]}.
 * {@code FashionMnistTest} checks that the embedded files are exactly what this program makes from
 * the real data set, whenever that is installed.
 */
public final class MakeFashionMnistSample {
    static final Path DEFAULT_OUT = Path.of("core/src/main/resources/org/jvision/data/fashion-mnist-sample");

    private MakeFashionMnistSample() {
    }

    /** The sample of {@code full}: the same selection every time. */
    static TrainTest sample(TrainTest full) {
        Dataset train = Splits.sample(full.train(), FashionMnist.SAMPLE_TRAIN_PER_CLASS, FashionMnist.SAMPLE_SEED);
        Dataset test = Splits.sample(full.test(), FashionMnist.SAMPLE_TEST_PER_CLASS, FashionMnist.SAMPLE_SEED);
        return new TrainTest(train, test, "sample of " + full.source());
    }

    /** Arguments: [Fashion-MNIST folder (default: FashionMnist.locate)] [output folder]. */
    public static void main(String[] args) throws IOException {
        Path source = FashionMnist.locate(args.length > 0 ? Path.of(args[0]) : null);
        Path out = args.length > 1 ? Path.of(args[1]) : DEFAULT_OUT;
        TrainTest sample = sample(FashionMnist.load(source));
        Files.createDirectories(out);
        IdxWriter.writeImages(out.resolve("train-images-idx3-ubyte.gz"), sample.train().images());
        IdxWriter.writeLabels(out.resolve("train-labels-idx1-ubyte.gz"), sample.train().labels());
        IdxWriter.writeImages(out.resolve("t10k-images-idx3-ubyte.gz"), sample.test().images());
        IdxWriter.writeLabels(out.resolve("t10k-labels-idx1-ubyte.gz"), sample.test().labels());
        System.out.println("wrote " + sample.train().size() + " train / " + sample.test().size() + " test images, "
                + sample.source() + ", to " + out);
    }
}
