package org.jvision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageReaderTest {
    @TempDir
    Path dir;

    /** A 3 rows x 2 cols RGB picture with distinct colours. */
    private static BufferedImage rgb() {
        BufferedImage image = new BufferedImage(2, 3, BufferedImage.TYPE_INT_RGB);
        int[][] colours = {{0xff0000, 0x00ff00}, {0x0000ff, 0xffffff}, {0x336699, 0x000000}};
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 2; x++) {
                image.setRGB(x, y, colours[y][x]);
            }
        }
        return image;
    }

    private Path write(BufferedImage image, String format, String name) throws IOException {
        Path file = dir.resolve(name);
        assertThat(ImageIO.write(image, format, file.toFile())).isTrue();
        return file;
    }

    @Test
    void readsRgbPngExactly() throws IOException {
        Tensor t = ImageReader.read(write(rgb(), "png", "rgb.png"));
        assertThat(t.shape()).isEqualTo(Shape.of(3, 2, 3));
        assertThat(t.toArray()).containsExactly(
                1, 0, 0, 0, 1, 0,
                0, 0, 1, 1, 1, 1,
                0x33 / 255f, 0x66 / 255f, 0x99 / 255f, 0, 0, 0);
    }

    @Test
    void convertsToGrayWithLumaWhenTheModelWantsOneChannel() throws IOException {
        Tensor t = ImageReader.read(write(rgb(), "png", "rgb.png"), Shape.of(3, 2, 1));
        assertThat(t.shape()).isEqualTo(Shape.of(3, 2, 1));
        assertThat(t.toArray()).containsExactly(new float[] {
                0.299f, 0.587f, 0.114f, 1f,
                (float) ((0.299 * 0x33 + 0.587 * 0x66 + 0.114 * 0x99) / 255), 0f}, within(1e-6f));
        Tensor fromTensor = ImageReader.toGrayscale(ImageReader.read(dir.resolve("rgb.png")));
        assertThat(fromTensor.toArray()).containsExactly(t.toArray(), within(1e-6f));
    }

    @Test
    void grayPngKeepsItsValuesAndRepeatsThemForThreeChannels() throws IOException {
        BufferedImage gray = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 128, 255});
        Path file = write(gray, "png", "gray.png");
        assertThat(ImageReader.read(file).toArray()).containsExactly(0f, 128 / 255f, 1f);
        assertThat(ImageReader.read(file).shape()).isEqualTo(Shape.of(1, 3, 1));
        assertThat(ImageReader.read(file, Shape.of(1, 3, 3)).toArray())
                .containsExactly(0, 0, 0, 128 / 255f, 128 / 255f, 128 / 255f, 1, 1, 1);

        BufferedImage deep = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {65535, 32768});
        assertThat(ImageReader.read(write(deep, "png", "gray16.png")).toArray())
                .containsExactly(1f, (float) (32768 / 65535.0));
    }

    @Test
    void readsJpegWithinCompressionError() throws IOException {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                image.setRGB(x, y, y < 8 ? 0xc04020 : 0x2080e0);
            }
        }
        Path file = write(image, "jpg", "photo.jpg");
        Tensor t = ImageReader.read(file);
        assertThat(t.shape()).isEqualTo(Shape.of(16, 16, 3));
        float[] topLeft = {t.get(2, 2, 0), t.get(2, 2, 1), t.get(2, 2, 2)};
        float[] bottomRight = {t.get(13, 13, 0), t.get(13, 13, 1), t.get(13, 13, 2)};
        assertThat(topLeft).containsExactly(new float[] {0xc0 / 255f, 0x40 / 255f, 0x20 / 255f}, within(0.04f));
        assertThat(bottomRight).containsExactly(new float[] {0x20 / 255f, 0x80 / 255f, 0xe0 / 255f}, within(0.04f));

        Tensor small = ImageReader.read(file, Shape.of(2, 2, 1));
        float top = (float) ((0.299 * 0xc0 + 0.587 * 0x40 + 0.114 * 0x20) / 255);
        float bottom = (float) ((0.299 * 0x20 + 0.587 * 0x80 + 0.114 * 0xe0) / 255);
        assertThat(small.toArray()).containsExactly(new float[] {top, top, bottom, bottom}, within(0.04f));
    }

    @Test
    void enlargingIsBilinearWithHalfPixelCentres() {
        Tensor row = Tensor.of(new float[] {0, 1}, 1, 2, 1);
        assertThat(ImageReader.resize(row, 1, 4).toArray()).containsExactly(0f, 0.25f, 0.75f, 1f);
        Tensor square = Tensor.of(new float[] {0, 1, 2, 3}, 2, 2, 1);
        Tensor big = ImageReader.resize(square, 4, 4);
        // Separable: row interpolation [0, .25, .75, 1] between rows 0 and 2 in steps of .25, .75.
        assertThat(big.toArray()).containsExactly(new float[] {
                0, 0.25f, 0.75f, 1,
                0.5f, 0.75f, 1.25f, 1.5f,
                1.5f, 1.75f, 2.25f, 2.5f,
                2, 2.25f, 2.75f, 3}, within(1e-6f));
    }

    @Test
    void shrinkingAveragesEveryInputPixel() {
        float[] stripes = new float[8];
        for (int i = 0; i < 8; i++) {
            stripes[i] = i % 2;
        }
        // 8 -> 2: support 4 around centre 2.0; pixel centres 0.5..5.5 weigh .625 .875 .875 .625 .375 .125
        // (sum 3.5); the odd (value 1) pixels 1, 3, 5 give 1.625 / 3.5 = 13/28. Point sampling would
        // give 0 or 1: every input pixel counts here.
        Tensor shrunk = ImageReader.resize(Tensor.of(stripes, 1, 8, 1), 1, 2);
        assertThat(shrunk.toArray()).containsExactly(new float[] {13f / 28, 15f / 28}, within(1e-6f));
        // 4 -> 2: support 2 around centre 1.0; pixel centres 0.5, 1.5, 2.5 weigh .75 .75 .25 (sum 1.75).
        Tensor ramp = ImageReader.resize(Tensor.of(new float[] {0, 1, 2, 3}, 1, 4, 1), 1, 2);
        assertThat(ramp.toArray()).containsExactly(new float[] {5f / 7, 16f / 7}, within(1e-6f));
        Tensor constant = ImageReader.resize(Tensor.of(new float[] {0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f}, 3, 1, 2), 1, 5);
        assertThat(constant.toArray()).containsOnly(0.3f);
        Tensor same = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2, 1);
        assertThat(ImageReader.resize(same, 2, 2).toArray()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aFileThatIsNotAnImageIsAnIoErrorNamingIt() throws IOException {
        Path text = Files.writeString(dir.resolve("photo.png"), "not really a picture");
        assertThatThrownBy(() -> ImageReader.read(text))
                .isInstanceOf(IOException.class)
                .hasMessage(text + ": not a PNG or JPEG image");
        Path empty = Files.write(dir.resolve("empty.jpg"), new byte[0]);
        assertThatThrownBy(() -> ImageReader.read(empty, Shape.of(28, 28, 1)))
                .hasMessage(empty + ": not a PNG or JPEG image");
        Path missing = dir.resolve("missing.png");
        assertThatThrownBy(() -> ImageReader.read(missing)).hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> ImageReader.read(dir)).hasMessage(dir + ": is a folder, not an image");

        byte[] png = Files.readAllBytes(write(rgb(), "png", "whole.png"));
        Path cut = Files.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(png, 40));
        assertThatThrownBy(() -> ImageReader.read(cut))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(cut + ": ");
    }

    @Test
    void rejectsShapesAModelCannotTake() throws IOException {
        Path file = write(rgb(), "png", "rgb.png");
        assertThatThrownBy(() -> ImageReader.read(file, Shape.of(28, 28, 2)))
                .hasMessage("image input shape must be [rows, cols, 1 or 3], got [28, 28, 2]");
        assertThatThrownBy(() -> ImageReader.resize(Tensor.zeros(2, 2, 1), 0, 3))
                .hasMessage("resize target must be positive, got 0x3");
    }
}
