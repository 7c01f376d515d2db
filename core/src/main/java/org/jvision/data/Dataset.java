package org.jvision.data;

import java.util.Arrays;
import java.util.List;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * A labelled image data set, immutable: images {@code [n, rows, cols, channels]} (float32, pixels
 * usually scaled to [0, 1]), one integer label per image in {@code [0, classCount)}, and the class
 * names.
 *
 * <p>{@link #of} copies what it is given and the accessors return copies, so a data set can be
 * shared freely (between a trainer, an evaluator and a tuner). Training loops do not copy the whole
 * set: they fill a reused batch buffer with {@link #copyBatch}, which allocates nothing.
 */
public final class Dataset {
    private final Tensor images;
    private final int[] labels;
    private final List<String> classNames;
    private final Shape imageShape;
    private final int imageSize;

    /**
     * A data set of copies of {@code images} ({@code [n, rows, cols, channels]}), {@code labels}
     * (n values in {@code [0, classNames.size())}) and {@code classNames}.
     *
     * @throws IllegalArgumentException if the shapes disagree or a label is out of range, naming
     *     the first bad label and its index
     */
    public static Dataset of(Tensor images, int[] labels, List<String> classNames) {
        return new Dataset(images.copy(), labels.clone(), List.copyOf(classNames));
    }

    /** A data set that takes ownership of its arguments without copying (for this package's readers). */
    static Dataset wrap(Tensor images, int[] labels, List<String> classNames) {
        return new Dataset(images, labels, List.copyOf(classNames));
    }

    private Dataset(Tensor images, int[] labels, List<String> classNames) {
        if (images.rank() != 4) {
            throw new IllegalArgumentException(
                    "dataset images must be [n, rows, cols, channels], got shape " + images.shape());
        }
        if (images.dim(0) != labels.length) {
            throw new IllegalArgumentException(
                    "dataset has " + images.dim(0) + " images but " + labels.length + " labels");
        }
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("dataset needs at least one class name");
        }
        String badLabel = labelProblem(labels, classNames.size());
        if (badLabel != null) {
            throw new IllegalArgumentException(badLabel);
        }
        this.images = images;
        this.labels = labels;
        this.classNames = classNames;
        this.imageShape = images.shape().dropBatch();
        this.imageSize = imageShape.size();
    }

    /** The first label outside {@code [0, classCount)}, described, or null when all are in range. */
    static String labelProblem(int[] labels, int classCount) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classCount) {
                return "label " + labels[i] + " at index " + i + " is out of range for " + classCount + " classes";
            }
        }
        return null;
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** The shape of one image: {@code [rows, cols, channels]}. */
    public Shape imageShape() {
        return imageShape;
    }

    public int classCount() {
        return classNames.size();
    }

    public List<String> classNames() {
        return classNames;
    }

    public int label(int index) {
        return labels[index];
    }

    /** All labels, copied. */
    public int[] labels() {
        return labels.clone();
    }

    /** How many images each class has. */
    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** One image {@code [rows, cols, channels]}, copied. */
    public Tensor image(int index) {
        checkIndex(index, "image index");
        float[] out = new float[imageSize];
        System.arraycopy(images.data(), index * imageSize, out, 0, imageSize);
        return new Tensor(imageShape, out);
    }

    /** All images {@code [n, rows, cols, channels]}, copied (for a training loop use {@link #copyBatch}). */
    public Tensor images() {
        return images.copy();
    }

    /** The images at {@code indices}, in that order (repeats allowed), as a new data set. */
    public Dataset subset(int[] indices) {
        float[] out = new float[Math.multiplyExact(indices.length, imageSize)];
        int[] outLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            checkIndex(indices[i], "subset index");
            System.arraycopy(images.data(), indices[i] * imageSize, out, i * imageSize, imageSize);
            outLabels[i] = labels[indices[i]];
        }
        return new Dataset(new Tensor(imageShape.withBatch(indices.length), out), outLabels, classNames);
    }

    /**
     * Copies the images {@code order[from]..order[to-1]} into {@code imagesOut}
     * ({@code [to-from, rows, cols, channels]}) and their one-hot labels into {@code oneHotOut}
     * ({@code [to-from, classCount]}, or null when not wanted). Allocates nothing: training loops
     * keep both buffers for the whole run; for a smaller last batch pass a view such as
     * {@code Tensor.reuse(buffer, Shape.of(to - from, rows, cols, channels))}.
     *
     * @param order a permutation (or any list) of image indices, e.g. this epoch's shuffled order
     */
    public void copyBatch(int[] order, int from, int to, Tensor imagesOut, Tensor oneHotOut) {
        if (from < 0 || from > to || to > order.length) {
            throw new IndexOutOfBoundsException(
                    "batch [" + from + ", " + to + ") is outside the order of " + order.length + " indices");
        }
        int count = to - from;
        Shape wantImages = imageShape.withBatch(count);
        if (!imagesOut.shape().equals(wantImages)) {
            throw new IllegalArgumentException(
                    "batch images buffer has shape " + imagesOut.shape() + ", expected " + wantImages);
        }
        Shape wantOneHot = Shape.of(count, classNames.size());
        if (oneHotOut != null && !oneHotOut.shape().equals(wantOneHot)) {
            throw new IllegalArgumentException(
                    "batch one-hot buffer has shape " + oneHotOut.shape() + ", expected " + wantOneHot);
        }
        float[] src = images.data();
        float[] dst = imagesOut.data();
        for (int i = 0; i < count; i++) {
            int index = order[from + i];
            checkIndex(index, "order[" + (from + i) + "]");
            System.arraycopy(src, index * imageSize, dst, i * imageSize, imageSize);
        }
        if (oneHotOut != null) {
            oneHotOut.fill(0f);
            float[] hot = oneHotOut.data();
            for (int i = 0; i < count; i++) {
                hot[i * classNames.size() + labels[order[from + i]]] = 1f;
            }
        }
    }

    /** The pixel array, shared: for this package's read-only passes (statistics). */
    float[] pixels() {
        return images.data();
    }

    private void checkIndex(int index, String what) {
        if (index < 0 || index >= labels.length) {
            throw new IndexOutOfBoundsException(what + " " + index + " is outside a dataset of " + labels.length);
        }
    }

    @Override
    public String toString() {
        return "Dataset[" + size() + " images of " + imageShape + ", " + classCount() + " classes, per class "
                + Arrays.toString(classCounts()) + "]";
    }
}
