package org.jvision.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.jvision.tensor.Tensor;

/**
 * Writes images and labels as IDX files (the format {@link IdxReader} reads), gzip-compressed when
 * the file name ends in {@code .gz}. Pixels in [0, 1] are stored as bytes {@code round(255 x)}, so
 * pixels read by {@link IdxReader} are written back to the very same bytes.
 */
public final class IdxWriter {
    private IdxWriter() {
    }

    /** Writes images {@code [n, rows, cols, 1]} (or {@code [n, rows, cols]}) with values in [0, 1]. */
    public static void writeImages(Path file, Tensor images) throws IOException {
        byte[] bytes = imageBytes(images);
        try (OutputStream out = create(file)) {
            writeImages(out, images.dim(0), images.dim(1), images.dim(2), bytes);
        }
    }

    /** Writes labels, each in 0..255. */
    public static void writeLabels(Path file, int[] labels) throws IOException {
        byte[] bytes = labelBytes(labels);
        try (OutputStream out = create(file)) {
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(IdxReader.LABELS_MAGIC);
            data.writeInt(labels.length);
            data.write(bytes);
            data.flush();
        }
    }

    /** Writes images, uncompressed, to a stream that the caller closes. */
    public static void writeImages(OutputStream out, Tensor images) throws IOException {
        writeImages(out, images.dim(0), images.dim(1), images.dim(2), imageBytes(images));
    }

    private static void writeImages(OutputStream out, int count, int rows, int cols, byte[] bytes) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(IdxReader.IMAGES_MAGIC);
        data.writeInt(count);
        data.writeInt(rows);
        data.writeInt(cols);
        data.write(bytes);
        data.flush();
    }

    private static byte[] imageBytes(Tensor images) {
        boolean oneChannel = images.rank() == 4 && images.dim(3) == 1;
        if (images.rank() != 3 && !oneChannel) {
            throw new IllegalArgumentException(
                    "IDX images are [n, rows, cols, 1] or [n, rows, cols], got shape " + images.shape());
        }
        float[] pixels = images.data();
        byte[] bytes = new byte[images.size()];
        for (int i = 0; i < bytes.length; i++) {
            float x = pixels[i];
            if (!(x >= 0f && x <= 1f)) {
                throw new IllegalArgumentException("IDX pixels must be in [0, 1], got " + x + " at index " + i);
            }
            bytes[i] = (byte) Math.round(x * 255f);
        }
        return bytes;
    }

    private static byte[] labelBytes(int[] labels) {
        byte[] bytes = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException(
                        "IDX labels are bytes 0..255, got " + labels[i] + " at index " + i);
            }
            bytes[i] = (byte) labels[i];
        }
        return bytes;
    }

    private static OutputStream create(Path file) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        if (!file.getFileName().toString().endsWith(".gz")) {
            return out;
        }
        return new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        };
    }
}
