package org.jvision.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * Reads a PNG or JPEG picture into a float32 tensor {@code [rows, cols, channels]} with values in
 * [0, 1], ready for a model: converted to the model's channel count and resized to its input size.
 *
 * <p>Grayscale conversion uses the luma weights of ITU-R BT.601,
 * {@code Y = 0.299 R + 0.587 G + 0.114 B}; a gray picture given to a 3-channel model is repeated
 * in R, G and B. Transparency is ignored. Gray pictures (8 or 16 bits) are read from their raster,
 * so their values are not changed by a colour-space conversion.
 *
 * <p>Resizing is bilinear: each output pixel is a weighted mean of the input pixels around its
 * centre, with triangle weights {@code max(0, 1 - |d| / s)} where {@code d} is the distance between
 * pixel centres in input pixels and {@code s = max(1, in / out)}. When enlarging ({@code s = 1})
 * this is ordinary bilinear interpolation with half-pixel centres (as {@code tf.image.resize} and
 * PIL do); when shrinking, the triangle widens to cover every input pixel, so a photo of 3000x4000
 * shrunk to 28x28 is averaged rather than sampled at a few points (PIL's bilinear filter, and
 * {@code antialias=True} in TensorFlow).
 */
public final class ImageReader {
    private static final double R = 0.299;
    private static final double G = 0.587;
    private static final double B = 0.114;

    private ImageReader() {
    }

    /**
     * Reads {@code file} at its own size: {@code [height, width, 1]} for a gray picture,
     * {@code [height, width, 3]} otherwise.
     */
    public static Tensor read(Path file) throws IOException {
        BufferedImage image = decode(file);
        return toTensor(image, isGray(image) ? 1 : 3);
    }

    /**
     * Reads {@code file} as a model input of shape {@code inputShape = [rows, cols, channels]}
     * (channels 1 or 3): converted to that many channels, then resized to rows x cols.
     */
    public static Tensor read(Path file, Shape inputShape) throws IOException {
        if (inputShape.rank() != 3 || (inputShape.dim(2) != 1 && inputShape.dim(2) != 3)
                || inputShape.dim(0) <= 0 || inputShape.dim(1) <= 0) {
            throw new IllegalArgumentException(
                    "image input shape must be [rows, cols, 1 or 3], got " + inputShape);
        }
        BufferedImage image = decode(file);
        return resize(toTensor(image, inputShape.dim(2)), inputShape.dim(0), inputShape.dim(1));
    }

    /** The gray version {@code [rows, cols, 1]} of an RGB image {@code [rows, cols, 3]} (luma). */
    public static Tensor toGrayscale(Tensor rgb) {
        if (rgb.rank() != 3 || rgb.dim(2) != 3) {
            throw new IllegalArgumentException("grayscale conversion needs [rows, cols, 3], got " + rgb.shape());
        }
        int pixels = rgb.dim(0) * rgb.dim(1);
        float[] in = rgb.data();
        float[] out = new float[pixels];
        for (int p = 0; p < pixels; p++) {
            out[p] = (float) (R * in[3 * p] + G * in[3 * p + 1] + B * in[3 * p + 2]);
        }
        return new Tensor(Shape.of(rgb.dim(0), rgb.dim(1), 1), out);
    }

    /** {@code image} ({@code [rows, cols, channels]}) resized to {@code rows x cols} (bilinear, see above). */
    public static Tensor resize(Tensor image, int rows, int cols) {
        if (image.rank() != 3 || image.dim(0) <= 0 || image.dim(1) <= 0) {
            throw new IllegalArgumentException("resize needs an image [rows, cols, channels], got " + image.shape());
        }
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("resize target must be positive, got " + rows + "x" + cols);
        }
        int inRows = image.dim(0);
        int inCols = image.dim(1);
        int channels = image.dim(2);
        if (inRows == rows && inCols == cols) {
            return image.copy();
        }
        // Separable: resize along the columns (each row), then along the rows (each column).
        Weights across = Weights.of(inCols, cols);
        Weights down = Weights.of(inRows, rows);
        float[] in = image.data();
        float[] wide = new float[inRows * cols * channels];
        for (int r = 0; r < inRows; r++) {
            for (int x = 0; x < cols; x++) {
                for (int c = 0; c < channels; c++) {
                    double sum = 0;
                    for (int k = 0; k < across.weights[x].length; k++) {
                        sum += across.weights[x][k] * in[(r * inCols + across.first[x] + k) * channels + c];
                    }
                    wide[(r * cols + x) * channels + c] = (float) sum;
                }
            }
        }
        float[] out = new float[rows * cols * channels];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                for (int c = 0; c < channels; c++) {
                    double sum = 0;
                    for (int k = 0; k < down.weights[y].length; k++) {
                        sum += down.weights[y][k] * wide[((down.first[y] + k) * cols + x) * channels + c];
                    }
                    out[(y * cols + x) * channels + c] = (float) sum;
                }
            }
        }
        return new Tensor(Shape.of(rows, cols, channels), out);
    }

    /** For each output index, the first input index it reads and the normalized triangle weights. */
    private record Weights(int[] first, double[][] weights) {
        static Weights of(int in, int out) {
            double scale = (double) in / out;
            double support = Math.max(1.0, scale);
            int[] first = new int[out];
            double[][] weights = new double[out][];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale; // in input coordinates, pixel j spans [j, j+1)
                int lo = Math.max(0, (int) Math.floor(centre - support - 0.5) + 1);
                int hi = Math.min(in - 1, (int) Math.ceil(centre + support - 0.5) - 1);
                if (hi < lo) { // a centre beyond the edge: take the nearest pixel
                    lo = hi = Math.min(in - 1, Math.max(0, (int) Math.floor(centre)));
                }
                double[] w = new double[hi - lo + 1];
                double total = 0;
                for (int j = lo; j <= hi; j++) {
                    w[j - lo] = Math.max(0, 1 - Math.abs(j + 0.5 - centre) / support);
                    total += w[j - lo];
                }
                if (total == 0) {
                    w[0] = total = 1;
                }
                for (int k = 0; k < w.length; k++) {
                    w[k] /= total;
                }
                first[i] = lo;
                weights[i] = w;
            }
            return new Weights(first, weights);
        }
    }

    private static BufferedImage decode(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException(file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a folder, not an image");
        }
        BufferedImage image;
        try {
            if (file.getFileSystem() == FileSystems.getDefault()) {
                image = ImageIO.read(file.toFile()); // a file-backed stream, no temporary cache file
            } else {
                try (InputStream in = Files.newInputStream(file)) {
                    image = ImageIO.read(new MemoryCacheImageInputStream(in));
                }
            }
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (IIOException e) {
            throw new IOException(file + ": cannot decode the image (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            // Some decoders throw unchecked exceptions on damaged files.
            throw new IOException(file + ": damaged image (" + e + ")", e);
        }
        if (image == null) {
            throw new IOException(file + ": not a PNG or JPEG image");
        }
        return image;
    }

    private static boolean isGray(BufferedImage image) {
        return image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    private static Tensor toTensor(BufferedImage image, int channels) {
        int height = image.getHeight();
        int width = image.getWidth();
        float[] out = new float[height * width * channels];
        if (isGray(image)) {
            Raster raster = image.getRaster();
            double max = (1L << image.getColorModel().getComponentSize(0)) - 1;
            int[] row = new int[width];
            for (int y = 0; y < height; y++) {
                raster.getSamples(0, y, width, 1, 0, row);
                for (int x = 0; x < width; x++) {
                    float v = (float) (row[x] / max);
                    for (int c = 0; c < channels; c++) {
                        out[(y * width + x) * channels + c] = v;
                    }
                }
            }
        } else {
            int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
            for (int p = 0; p < argb.length; p++) {
                int r = (argb[p] >> 16) & 0xff;
                int g = (argb[p] >> 8) & 0xff;
                int b = argb[p] & 0xff;
                if (channels == 1) {
                    out[p] = (float) ((R * r + G * g + B * b) / 255);
                } else {
                    out[3 * p] = r / 255f;
                    out[3 * p + 1] = g / 255f;
                    out[3 * p + 2] = b / 255f;
                }
            }
        }
        return new Tensor(Shape.of(height, width, channels), out);
    }
}
