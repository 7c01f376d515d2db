package org.jvision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    private static final List<String> THREE = List.of("a", "b", "c");

    @TempDir
    Path dir;

    /** Random images whose pixels are exact multiples of 1/255, as the reader produces them. */
    static Tensor randomImages(int n, int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[n * rows * cols];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(256) / 255f;
        }
        return Tensor.of(pixels, n, rows, cols, 1);
    }

    /** An IDX file: big-endian magic, dims, then the data bytes. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"images-idx3-ubyte", "images-idx3-ubyte.gz"})
    void imagesRoundTripExactly(String name) throws IOException {
        Tensor images = randomImages(7, 5, 3, 1);
        Path file = dir.resolve(name);
        IdxWriter.writeImages(file, images);

        byte[] header = Arrays.copyOf(Files.readAllBytes(file), 2);
        assertThat(header[0] == (byte) 0x1f && header[1] == (byte) 0x8b).isEqualTo(name.endsWith(".gz"));
        Tensor back = IdxReader.readImages(file);
        assertThat(back.shape()).isEqualTo(Shape.of(7, 5, 3, 1));
        assertThat(back.toArray()).containsExactly(images.toArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"labels-idx1-ubyte", "labels-idx1-ubyte.gz"})
    void labelsRoundTripExactly(String name) throws IOException {
        int[] labels = {0, 9, 255, 3, 3, 128};
        Path file = dir.resolve(name);
        IdxWriter.writeLabels(file, labels);
        assertThat(IdxReader.readLabels(file)).containsExactly(labels);
    }

    @Test
    void rawFileHasTheExactIdxLayout() throws IOException {
        Tensor images = Tensor.of(new float[] {0, 1, 128 / 255f, 1 / 255f}, 1, 2, 2, 1);
        Path file = dir.resolve("tiny");
        IdxWriter.writeImages(file, images);
        assertThat(Files.readAllBytes(file))
                .containsExactly(idx(0x803, new int[] {1, 2, 2}, new byte[] {0, (byte) 255, (byte) 128, 1}));
    }

    @Test
    void gzipIsDetectedByContentNotByName() throws IOException {
        byte[] raw = idx(0x801, new int[] {3}, new byte[] {1, 2, 0});
        assertThat(IdxReader.readLabels(file("raw-but-named.gz", raw))).containsExactly(1, 2, 0);
        assertThat(IdxReader.readLabels(file("gzipped-but-named-raw", gzip(raw)))).containsExactly(1, 2, 0);
    }

    @Test
    void readsFromAStream() throws IOException {
        byte[] raw = idx(0x803, new int[] {1, 1, 2}, new byte[] {(byte) 255, 0});
        Tensor t = IdxReader.readImages(new ByteArrayInputStream(gzip(raw)), "x");
        assertThat(t.toArray()).containsExactly(1f, 0f);
    }

    @Test
    void gzipFileOfManyMembersIsReadWhole() throws IOException {
        byte[] raw = idx(0x801, new int[] {4}, new byte[] {1, 2, 3, 4});
        byte[] first = gzip(Arrays.copyOf(raw, 9));
        byte[] second = gzip(Arrays.copyOfRange(raw, 9, raw.length));
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        assertThat(IdxReader.readLabels(file("two-members.gz", both))).containsExactly(1, 2, 3, 4);
    }

    // ---- errors: each names the file, the problem and where ----

    @Test
    void gzippedTwiceIsNotAnIdxFile() throws IOException {
        byte[] raw = idx(0x803, new int[] {1, 1, 1}, new byte[] {0});
        Path file = file("train-images-idx3-ubyte.gz", gzip(gzip(raw)));
        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IOException.class)
                .hasMessage(file + ": not an IDX file: magic number 0x1f8b0800 at byte 0, expected 0x00000803 (images)");
    }

    @Test
    void textFileIsNotAnIdxFile() throws IOException {
        Path file = file("notes.txt", "hello world, this is text".getBytes());
        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .hasMessage(file + ": not an IDX file: magic number 0x68656c6c at byte 0, expected 0x00000801 (labels)");
    }

    @Test
    void labelsFileGivenAsImages() throws IOException {
        Path file = file("train-labels-idx1-ubyte", idx(0x801, new int[] {1}, new byte[] {3}));
        assertThatThrownBy(() -> IdxReader.readImages(file))
                .hasMessage(file + ": magic number 0x00000801 at byte 0 marks a labels file, expected 0x00000803 (images)");
        Path images = file("train-images-idx3-ubyte", idx(0x803, new int[] {1, 1, 1}, new byte[] {3}));
        assertThatThrownBy(() -> IdxReader.readLabels(images))
                .hasMessage(images + ": magic number 0x00000803 at byte 0 marks an images file, expected 0x00000801 (labels)");
    }

    @Test
    void unsupportedElementType() throws IOException {
        Path file = file("floats", idx(0x0d03, new int[] {1, 1, 1}, new byte[4]));
        assertThatThrownBy(() -> IdxReader.readImages(file))
                .hasMessage(file + ": IDX element type 0x0d (float) at byte 2 is not supported, expected 0x08 (unsigned byte)");
    }

    @Test
    void wrongNumberOfDimensions() throws IOException {
        Path file = file("matrix", idx(0x0802, new int[] {2, 2}, new byte[4]));
        assertThatThrownBy(() -> IdxReader.readImages(file))
                .hasMessage(file + ": IDX file with 2 dimensions (magic number 0x00000802 at byte 0), "
                        + "expected 0x00000803 (images) with 3 dimensions");
    }

    @Test
    void truncatedHeader() throws IOException {
        byte[] full = idx(0x803, new int[] {60000, 28, 28}, new byte[0]);
        Path raw = file("train-images-idx3-ubyte", Arrays.copyOf(full, 10));
        assertThatThrownBy(() -> IdxReader.readImages(raw))
                .hasMessage(raw + ": truncated header: file ends at byte 10, the images header needs 16 bytes");
        Path gz = file("train-images-idx3-ubyte.gz", gzip(Arrays.copyOf(full, 6)));
        assertThatThrownBy(() -> IdxReader.readImages(gz))
                .hasMessage(gz + ": truncated header: uncompressed data ends at byte 6, the images header needs 16 bytes");
        Path empty = file("empty", new byte[0]);
        assertThatThrownBy(() -> IdxReader.readLabels(empty))
                .hasMessage(empty + ": truncated header: file ends at byte 0, the labels header needs 8 bytes");
    }

    @Test
    void truncatedData() throws IOException {
        byte[] bytes = idx(0x803, new int[] {60000, 28, 28}, new byte[1000 - 16]);
        Path gz = file("train-images-idx3-ubyte.gz", gzip(bytes));
        assertThatThrownBy(() -> IdxReader.readImages(gz))
                .isInstanceOf(IOException.class)
                .hasMessage(gz + ": truncated: header promises 60000 images of 28x28 (47040016 bytes), "
                        + "uncompressed data ends at byte 1000");
        Path labels = file("labels", idx(0x801, new int[] {10}, new byte[7]));
        assertThatThrownBy(() -> IdxReader.readLabels(labels))
                .hasMessage(labels + ": truncated: header promises 10 labels (18 bytes), file ends at byte 15");
    }

    @Test
    void trailingBytes() throws IOException {
        Path file = file("labels", idx(0x801, new int[] {10}, new byte[13]));
        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .hasMessage(file + ": trailing data: header promises 10 labels (18 bytes), but 3 more bytes follow "
                        + "(file goes on to byte 21)");
        Path gz = file("images.gz", gzip(idx(0x803, new int[] {1, 2, 2}, new byte[5])));
        assertThatThrownBy(() -> IdxReader.readImages(gz))
                .hasMessageStartingWith(gz + ": trailing data: header promises 1 images of 2x2 (20 bytes), but 1 more");
    }

    @Test
    void zeroAndNegativeDimensions() throws IOException {
        Path zeroRows = file("zero-rows", idx(0x803, new int[] {5, 0, 28}, new byte[0]));
        assertThatThrownBy(() -> IdxReader.readImages(zeroRows))
                .hasMessage(zeroRows + ": rows is 0 (at byte 8), must be positive");
        Path negativeCols = file("negative-cols", idx(0x803, new int[] {5, 28, -3}, new byte[0]));
        assertThatThrownBy(() -> IdxReader.readImages(negativeCols))
                .hasMessage(negativeCols + ": cols is -3 (at byte 12), must be positive");
        Path zeroCount = file("zero-count", idx(0x801, new int[] {0}, new byte[0]));
        assertThatThrownBy(() -> IdxReader.readLabels(zeroCount))
                .hasMessage(zeroCount + ": label count is 0 (at byte 4), must be positive");
    }

    @Test
    void hugePromiseIsRejectedBeforeReading() throws IOException {
        Path file = file("huge", idx(0x803, new int[] {100000, 1000, 1000}, new byte[0]));
        assertThatThrownBy(() -> IdxReader.readImages(file))
                .hasMessage(file + ": header promises 100000 images of 1000x1000 (100000000016 bytes), "
                        + "more than jvision can hold in one array");
    }

    @Test
    void truncatedGzipStream() throws IOException {
        byte[] gz = gzip(idx(0x801, new int[] {2000}, new byte[2000]));
        Path file = file("cut.gz", Arrays.copyOf(gz, gz.length - 12));
        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ": corrupt or truncated gzip data after ");
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("nowhere-idx1-ubyte");
        assertThatThrownBy(() -> IdxReader.readLabels(file)).hasMessage(file + ": no such file");
    }

    @Test
    void labelsOutOfRangeNameTheFileLabelAndIndex() throws IOException {
        Path images = dir.resolve("images");
        IdxWriter.writeImages(images, randomImages(4, 2, 2, 3));
        Path labels = dir.resolve("labels");
        IdxWriter.writeLabels(labels, new int[] {0, 2, 12, 1});
        assertThatThrownBy(() -> IdxReader.readDataset(images, labels, THREE))
                .isInstanceOf(IOException.class)
                .hasMessage("labels file " + labels + ": label 12 at index 2 is out of range for 3 classes");
    }

    @Test
    void imageAndLabelCountsMustMatch() throws IOException {
        Path images = dir.resolve("images");
        IdxWriter.writeImages(images, randomImages(4, 2, 2, 3));
        Path labels = dir.resolve("labels");
        IdxWriter.writeLabels(labels, new int[] {0, 2, 1});
        assertThatThrownBy(() -> IdxReader.readDataset(images, labels, THREE))
                .isInstanceOf(IOException.class)
                .hasMessage(images + " holds 4 images but " + labels + " holds 3 labels; they must match one to one");
    }

    @Test
    void readDatasetPairsImagesAndLabels() throws IOException {
        Tensor pixels = randomImages(4, 2, 2, 3);
        Path images = dir.resolve("images.gz");
        IdxWriter.writeImages(images, pixels);
        Path labels = dir.resolve("labels.gz");
        IdxWriter.writeLabels(labels, new int[] {0, 2, 1, 2});
        Dataset data = IdxReader.readDataset(images, labels, THREE);
        assertThat(data.size()).isEqualTo(4);
        assertThat(data.imageShape()).isEqualTo(Shape.of(2, 2, 1));
        assertThat(data.labels()).containsExactly(0, 2, 1, 2);
        assertThat(data.images().toArray()).containsExactly(pixels.toArray());
    }

    @Test
    void writerRejectsWhatIdxCannotHold() {
        assertThatThrownBy(() -> IdxWriter.writeLabels(dir.resolve("l"), new int[] {1, 256}))
                .hasMessage("IDX labels are bytes 0..255, got 256 at index 1");
        assertThatThrownBy(() -> IdxWriter.writeImages(dir.resolve("i"), Tensor.of(new float[] {0.5f, 1.5f}, 1, 1, 2, 1)))
                .hasMessage("IDX pixels must be in [0, 1], got 1.5 at index 1");
        assertThatThrownBy(() -> IdxWriter.writeImages(dir.resolve("i"), Tensor.zeros(1, 2, 2, 3)))
                .hasMessage("IDX images are [n, rows, cols, 1] or [n, rows, cols], got shape [1, 2, 2, 3]");
    }
}
