package org.jvision.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jvision.data.IdxReader;
import org.jvision.data.ImageReader;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/** Reads {@code predict}'s inputs into one batch: PNG/JPEG files, or one IDX images file. */
final class InputImages {
    private InputImages() {
    }

    /**
     * A batch {@code [n, ...inputShape]} with pixels in [0, 1]; {@code labels} receives a name per
     * image (the file name, or {@code file[i]} for the images of an IDX file).
     */
    static Tensor read(List<Path> files, Shape inputShape, List<String> labels) throws IOException {
        List<Tensor> images = new ArrayList<>();
        for (Path file : files) {
            if (isIdx(file)) {
                Tensor batch = IdxReader.readImages(file);
                if (!batch.shape().dropBatch().equals(inputShape)) {
                    throw new IllegalArgumentException(file + ": holds images of shape " + batch.shape().dropBatch()
                            + ", the model expects " + inputShape);
                }
                for (int i = 0; i < batch.dim(0); i++) {
                    images.add(batch.slice(i, i + 1).withShape(inputShape));
                    labels.add(file + "[" + i + "]");
                }
            } else {
                images.add(ImageReader.read(file, inputShape));
                labels.add(file.toString());
            }
        }
        Tensor batch = new Tensor(inputShape.withBatch(images.size()));
        int per = inputShape.size();
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i).data(), 0, batch.data(), i * per, per);
        }
        return batch;
    }

    /** IDX files start with two zero bytes (after gunzipping); images never do. */
    private static boolean isIdx(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            boolean gzip = head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
            if (gzip) {
                try (InputStream z = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
                    head = z.readNBytes(4);
                } catch (IOException e) {
                    return false;
                }
            }
            return head.length == 4 && head[0] == 0 && head[1] == 0 && head[2] == 8;
        }
    }
}
