package org.jvision.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jvision.data.FashionMnist;
import org.jvision.tensor.Tensor;

/** Writes test inputs for the CLI. */
final class TestImages {
    private TestImages() {
    }

    /** Test image {@code index} of the embedded sample as an 8-bit grayscale PNG. */
    static Path writeSamplePng(Path file, int index) throws IOException {
        Tensor image = FashionMnist.embeddedSample().test().image(index);
        int rows = image.dim(0);
        int cols = image.dim(1);
        BufferedImage png = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int v = Math.round(image.data()[r * cols + c] * 255);
                png.getRaster().setSample(c, r, 0, v);
            }
        }
        ImageIO.write(png, "png", file.toFile());
        return file;
    }
}
