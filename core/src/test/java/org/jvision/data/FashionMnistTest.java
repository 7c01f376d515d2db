package org.jvision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    private static TrainTest real;

    @TempDir
    Path dir;

    /** The real data set, loaded once; the test is skipped where it is not installed. */
    private static synchronized TrainTest realData() throws IOException {
        assumeTrue(FashionMnist.FILES.stream().allMatch(f -> Files.exists(FashionMnist.SYSTEM_DIR.resolve(f + ".gz"))),
                "Fashion-MNIST is not installed in " + FashionMnist.SYSTEM_DIR);
        if (real == null) {
            real = FashionMnist.load(FashionMnist.SYSTEM_DIR);
        }
        return real;
    }

    private static double meanPixel(Dataset data) {
        double sum = 0;
        for (float v : data.images().toArray()) {
            sum += v;
        }
        return sum / ((double) data.size() * data.imageShape().size());
    }

    /** A folder with the four files, each holding {@code n} random 4x4 images with labels 0..9. */
    private Path fakeDataSet(Path folder, int n, String... names) throws IOException {
        Files.createDirectories(folder);
        int[] labels = new int[n];
        Arrays.setAll(labels, i -> i % 10);
        IdxWriter.writeImages(folder.resolve(names[0]), IdxReaderTest.randomImages(n, 4, 4, 1));
        IdxWriter.writeLabels(folder.resolve(names[1]), labels);
        IdxWriter.writeImages(folder.resolve(names[2]), IdxReaderTest.randomImages(n / 2, 4, 4, 2));
        IdxWriter.writeLabels(folder.resolve(names[3]), Arrays.copyOf(labels, n / 2));
        return folder;
    }

    private Path fakeDataSet(Path folder) throws IOException {
        return fakeDataSet(folder, 20, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
    }

    @Test
    void classNamesInLabelOrder() {
        assertThat(FashionMnist.CLASS_NAMES).containsExactly("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    }

    @Test
    void loadsGzippedRawAndDottedNames() throws IOException {
        Path mixed = fakeDataSet(dir.resolve("mixed"), 20, "train-images-idx3-ubyte", "train-labels-idx1-ubyte.gz",
                "t10k-images.idx3-ubyte", "t10k-labels.idx1-ubyte.gz");
        TrainTest data = FashionMnist.load(mixed);
        assertThat(data.train().size()).isEqualTo(20);
        assertThat(data.test().size()).isEqualTo(10);
        assertThat(data.train().imageShape()).isEqualTo(Shape.of(4, 4, 1));
        assertThat(data.train().classNames()).isEqualTo(FashionMnist.CLASS_NAMES);
        assertThat(data.source()).isEqualTo("Fashion-MNIST from " + mixed + " (20 train / 10 test)");
    }

    @Test
    void locateLooksAtDataOptionThenEnvironmentThenSystemFolder() throws IOException {
        Path option = fakeDataSet(dir.resolve("option"));
        Path env = fakeDataSet(dir.resolve("env"));
        Path system = fakeDataSet(dir.resolve("system"));
        Path nowhere = dir.resolve("nowhere");

        assertThat(FashionMnist.locate(option, env.toString(), system)).isEqualTo(option);
        assertThat(FashionMnist.locate(null, env.toString(), system)).isEqualTo(env);
        assertThat(FashionMnist.locate(null, null, system)).isEqualTo(system);
        assertThat(FashionMnist.locate(null, nowhere.toString(), system)).isEqualTo(system);
    }

    @Test
    void locateFailsSayingWhereItLookedAndWhatItNeeds() throws IOException {
        Path partial = Files.createDirectories(dir.resolve("partial"));
        Files.write(partial.resolve("train-images-idx3-ubyte.gz"), new byte[0]);
        Files.write(partial.resolve("t10k-images-idx3-ubyte"), new byte[0]);
        Path nowhere = dir.resolve("nowhere");

        assertThatThrownBy(() -> FashionMnist.locate(null, partial.toString(), nowhere))
                .isInstanceOf(IOException.class)
                .hasMessage("Fashion-MNIST not found. Looked in:\n"
                        + "  " + partial + " ($JVISION_DATA): missing train-labels-idx1-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]\n"
                        + "  " + nowhere + ": does not exist\n"
                        + "It needs train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, "
                        + "t10k-labels-idx1-ubyte (each raw or gzipped as .gz) in one folder.\n"
                        + "Get them from https://github.com/zalandoresearch/fashion-mnist (or on Debian/Ubuntu: "
                        + "apt-get install dataset-fashion-mnist), then pass --data FOLDER or set JVISION_DATA.");
        assertThatThrownBy(() -> FashionMnist.locate(null, "", nowhere))
                .hasMessageContaining("Looked in:\n  $JVISION_DATA: not set\n  " + nowhere + ": does not exist\n");
    }

    @Test
    void anExplicitDataFolderIsNeverSwappedForAnother() throws IOException {
        Path system = fakeDataSet(dir.resolve("system"));
        Path file = Files.write(dir.resolve("a-file"), new byte[0]);
        assertThatThrownBy(() -> FashionMnist.locate(dir.resolve("typo"), null, system))
                .hasMessageStartingWith("Fashion-MNIST not found. Looked in:\n  " + dir.resolve("typo")
                        + " (--data): does not exist\nIt needs");
        assertThatThrownBy(() -> FashionMnist.locate(file, null, system))
                .hasMessageStartingWith("Fashion-MNIST not found. Looked in:\n  " + file + " (--data): is not a folder\n");
    }

    @Test
    void embeddedSampleIsAStratifiedSampleOfFashionMnist() {
        TrainTest sample = FashionMnist.embeddedSample();
        assertThat(sample.source()).isEqualTo("Fashion-MNIST sample embedded in jvision (5000 train / 1000 test)");
        assertThat(sample.train().size()).isEqualTo(5000);
        assertThat(sample.test().size()).isEqualTo(1000);
        assertThat(sample.train().classCounts()).containsOnly(500);
        assertThat(sample.test().classCounts()).containsOnly(100);
        assertThat(sample.train().classNames()).isEqualTo(FashionMnist.CLASS_NAMES);
        assertThat(sample.train().imageShape()).isEqualTo(Shape.of(28, 28, 1));
        // Pixels are the original bytes / 255, and look like Fashion-MNIST's (mean about 0.286).
        Tensor images = sample.test().images();
        for (float v : images.toArray()) {
            assertThat(v * 255).isCloseTo(Math.round(v * 255), within(1e-3f));
        }
        assertThat(meanPixel(sample.train())).isCloseTo(0.286, within(0.01));
        // Kept in the original (mixed) order, not grouped by class.
        int[] labels = sample.train().labels();
        int changes = 0;
        for (int i = 1; i < labels.length; i++) {
            changes += labels[i] != labels[i - 1] ? 1 : 0;
        }
        assertThat(changes).isGreaterThan(4000);
    }

    @Test
    void realFashionMnistWhenInstalled() throws IOException {
        TrainTest data = realData();
        assertThat(data.train().size()).isEqualTo(60000);
        assertThat(data.test().size()).isEqualTo(10000);
        assertThat(data.train().imageShape()).isEqualTo(Shape.of(28, 28, 1));
        assertThat(Arrays.copyOf(data.train().labels(), 4)).containsExactly(9, 0, 0, 3);
        assertThat(data.train().classCounts()).containsOnly(6000);
        assertThat(data.test().classCounts()).containsOnly(1000);
        assertThat(meanPixel(data.train())).isCloseTo(0.2860, within(0.0005));
        assertThat(FashionMnist.locate(null, null, FashionMnist.SYSTEM_DIR)).isEqualTo(FashionMnist.SYSTEM_DIR);
    }

    @Test
    void embeddedSampleIsExactlyWhatTheMakerDrawsFromTheRealData() throws IOException {
        TrainTest remade = MakeFashionMnistSample.sample(realData());
        TrainTest embedded = FashionMnist.embeddedSample();
        assertThat(embedded.train().labels()).containsExactly(remade.train().labels());
        assertThat(embedded.test().labels()).containsExactly(remade.test().labels());
        // Arrays.mismatch, not containsExactly: AssertJ diffs large arrays in quadratic time.
        assertThat(Arrays.mismatch(embedded.train().images().toArray(), remade.train().images().toArray()))
                .as("first differing train pixel").isEqualTo(-1);
        assertThat(Arrays.mismatch(embedded.test().images().toArray(), remade.test().images().toArray()))
                .as("first differing test pixel").isEqualTo(-1);
    }
}
