package org.jvision.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * Reads a folder of pictures with one sub-folder per class into a {@link Dataset}, as Keras's
 * {@code image_dataset_from_directory} and torchvision's {@code ImageFolder} do:
 * <pre>
 * photos/
 *   cat/  a.jpg b.png …
 *   dog/  c.jpeg …
 * </pre>
 * The class names are the sub-folder names in sorted order (labels 0, 1, …); the pictures of each
 * class are taken in sorted file-name order, every {@code .png}, {@code .jpg} and {@code .jpeg}
 * file (any case), and each is read by {@link ImageReader} as {@code inputShape}: converted to its
 * channel count and resized to its rows and cols. Other files and hidden entries (names starting
 * with a dot) are skipped; a class folder may be empty.
 */
public final class ImageFolder {
    private ImageFolder() {
    }

    /** Reads {@code root} (see above) into a data set of images {@code [n, ...inputShape]}. */
    public static Dataset load(Path root, Shape inputShape) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + (Files.exists(root) ? ": is not a folder" : ": no such folder"));
        }
        List<Path> classFolders;
        try (Stream<Path> entries = Files.list(root)) {
            classFolders = entries.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted().toList();
        }
        if (classFolders.isEmpty()) {
            throw new IOException(root + ": has no class sub-folders; expected one folder of PNG/JPEG pictures"
                    + " per class, like " + root.resolve("cat") + "/1.jpg");
        }
        List<String> classNames = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        for (Path folder : classFolders) {
            int label = classNames.size();
            classNames.add(folder.getFileName().toString());
            try (Stream<Path> entries = Files.list(folder)) {
                for (Path file : entries.filter(ImageFolder::isPicture).sorted().toList()) {
                    files.add(file);
                    labelList.add(label);
                }
            }
        }
        if (files.isEmpty()) {
            throw new IOException(root + ": the class folders " + classNames + " hold no .png, .jpg or .jpeg files");
        }
        int imageSize = inputShape.size();
        float[] pixels = new float[Math.multiplyExact(files.size(), imageSize)];
        int[] labels = new int[files.size()];
        for (int i = 0; i < files.size(); i++) {
            Tensor image = ImageReader.read(files.get(i), inputShape);
            System.arraycopy(image.data(), 0, pixels, i * imageSize, imageSize);
            labels[i] = labelList.get(i);
        }
        return Dataset.wrap(new Tensor(inputShape.withBatch(files.size()), pixels), labels, classNames);
    }

    private static boolean hidden(Path path) {
        return path.getFileName().toString().startsWith(".");
    }

    private static boolean isPicture(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return !hidden(path) && Files.isRegularFile(path)
                && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }
}
