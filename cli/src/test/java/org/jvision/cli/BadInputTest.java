package org.jvision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jvision.data.FashionMnist;
import org.jvision.data.IdxWriter;
import org.jvision.data.Standardization;
import org.jvision.data.TrainTest;
import org.jvision.layers.Dense;
import org.jvision.model.ModelFile;
import org.jvision.model.Preprocessing;
import org.jvision.model.Sequential;
import org.jvision.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every user mistake gives exit code 1, one line on stderr naming the problem, no stack trace, and
 * nothing in {@code --out}.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    private void assertCleanFailure(CliRun run, String... expectedInMessage) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        String err = run.err().strip();
        assertThat(err.lines().count()).as(run.toString()).isEqualTo(1);
        assertThat(err).startsWith("jvision ").contains(expectedInMessage).doesNotContain("Exception", "\tat ");
    }

    private CliRun train(Path data, Path out) {
        return CliRun.of("train", "--data", data.toString(), "--model", "mlp", "--epochs", "1", "--no-progress",
                "--out", out.toString());
    }

    /** A copy of the embedded sample as IDX files in {@code dir}, to be spoiled by each test. */
    private Path sampleFolder(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        TrainTest sample = FashionMnist.embeddedSample();
        IdxWriter.writeImages(dir.resolve("train-images-idx3-ubyte"), sample.train().images());
        IdxWriter.writeLabels(dir.resolve("train-labels-idx1-ubyte"), sample.train().labels());
        IdxWriter.writeImages(dir.resolve("t10k-images-idx3-ubyte"), sample.test().images());
        IdxWriter.writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), sample.test().labels());
        return dir;
    }

    @Test
    void missingDataFolder() {
        Path out = tmp.resolve("out");
        assertCleanFailure(train(tmp.resolve("nowhere"), out), "nowhere");
        assertThat(out).doesNotExist();
    }

    @Test
    void missingIdxFile() throws IOException {
        Path dir = sampleFolder("missing");
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        Path out = tmp.resolve("out");
        assertCleanFailure(train(dir, out), "t10k-labels-idx1-ubyte");
        assertThat(out).doesNotExist();
    }

    @Test
    void truncatedIdxFile() throws IOException {
        Path dir = sampleFolder("truncated");
        Path images = dir.resolve("train-images-idx3-ubyte");
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path out = tmp.resolve("out");
        assertCleanFailure(train(dir, out), "train-images-idx3-ubyte", "truncated");
        assertThat(out).doesNotExist();
    }

    @Test
    void labelsOutOfRange() throws IOException {
        Path dir = sampleFolder("labels");
        int[] labels = FashionMnist.embeddedSample().train().labels();
        labels[17] = 12;
        IdxWriter.writeLabels(dir.resolve("train-labels-idx1-ubyte"), labels);
        Path out = tmp.resolve("out");
        assertCleanFailure(train(dir, out), "12", "out of range");
        assertThat(out).doesNotExist();
    }

    @Test
    void modelFileThatIsNotOne() throws IOException {
        Path junk = Files.writeString(tmp.resolve("model.safetensors"), "this is not a model");
        assertCleanFailure(CliRun.of("evaluate", "--model", junk.toString(), "--data", "sample"), "model.safetensors");
        assertCleanFailure(CliRun.of("evaluate", "--model", tmp.resolve("absent.safetensors").toString()), "absent.safetensors");
    }

    @Test
    void modelFileCutShort() throws IOException {
        Path out = tmp.resolve("run");
        assertThat(CliRun.of("train", "--data", "sample", "--model", "mlp", "--epochs", "1", "--no-progress",
                "--out", out.toString()).exitCode()).isZero();
        Path model = out.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(model);
        for (int length : new int[] {0, 5, 8, 100, bytes.length / 2, bytes.length - 1}) {
            Path cut = Files.write(tmp.resolve("cut" + length + ".safetensors"), java.util.Arrays.copyOf(bytes, length));
            assertCleanFailure(CliRun.of("evaluate", "--model", cut.toString(), "--data", "sample"), cut.getFileName().toString());
        }
    }

    @Test
    void imageThatIsNotOne() throws IOException {
        Path out = tmp.resolve("run");
        assertThat(CliRun.of("train", "--data", "sample", "--model", "mlp", "--epochs", "1", "--no-progress",
                "--out", out.toString()).exitCode()).isZero();
        Path fake = Files.writeString(tmp.resolve("cat.png"), "not really a png");
        assertCleanFailure(CliRun.of("predict", "--model", out.resolve("model.safetensors").toString(), "--input", fake.toString()),
                "cat.png");
    }

    @Test
    void modelWhoseInputShapeDoesNotFitTheData() throws IOException {
        Sequential wrong = new Sequential(Shape.of(10)).add(new Dense(10)).build(1);
        Path model = tmp.resolve("wrong.safetensors");
        ModelFile.save(model, wrong, new Preprocessing(FashionMnist.CLASS_NAMES,
                new Standardization(new float[] {0f}, new float[] {1f})), "softmax_cross_entropy");
        assertCleanFailure(CliRun.of("evaluate", "--model", model.toString(), "--data", "sample"), "[28, 28, 1]", "[10]");
    }

    @Test
    void badOptionsAreUsageErrors() {
        CliRun run = CliRun.of("train", "--epochs", "many");
        assertThat(run.exitCode()).isEqualTo(2);
        assertCleanFailure(CliRun.of("train", "--data", "sample", "--model", "resnet9000", "--out", tmp.resolve("o").toString()),
                "resnet9000", "mlp, lenet5, vgg-small");
        assertThat(tmp.resolve("o")).doesNotExist();
    }

}
