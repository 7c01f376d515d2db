package org.jvision.zoo;

import java.util.List;
import org.jvision.layers.BatchNormalization;
import org.jvision.layers.Conv2D;
import org.jvision.layers.Dense;
import org.jvision.layers.Dropout;
import org.jvision.layers.Flatten;
import org.jvision.layers.Initializer;
import org.jvision.layers.MaxPool2D;
import org.jvision.layers.Padding;
import org.jvision.layers.ReLU;
import org.jvision.layers.Softmax;
import org.jvision.model.Sequential;
import org.jvision.tensor.Shape;

/**
 * The built-in models, for any input size and class count. Each ends in {@link Softmax} (so
 * {@code predict} gives probabilities; training fuses it into the cross-entropy). Layers followed
 * by ReLU use He initialization, the rest Glorot.
 */
public final class Zoo {
    private Zoo() {
    }

    public static List<String> names() {
        return List.of("mlp", "lenet5", "vgg-small");
    }

    /** An unbuilt model by name: "mlp", "lenet5" or "vgg-small". */
    public static Sequential create(String name, Shape inputShape, int classes) {
        return switch (name) {
            case "mlp" -> mlp(inputShape, classes);
            case "lenet5" -> lenet5(inputShape, classes);
            case "vgg-small" -> vggSmall(inputShape, classes);
            default -> throw new IllegalArgumentException("unknown model '" + name + "', expected one of " + String.join(", ", names()));
        };
    }

    /** Flatten, dense 256 - ReLU, dense 128 - ReLU, dense (classes), softmax. */
    public static Sequential mlp(Shape inputShape, int classes) {
        return new Sequential(inputShape)
                .add(new Flatten())
                .add(dense(256, Initializer.HE_NORMAL)).add(new ReLU())
                .add(dense(128, Initializer.HE_NORMAL)).add(new ReLU())
                .add(dense(classes, Initializer.GLOROT_UNIFORM)).add(new Softmax());
    }

    /**
     * LeNet-5 (LeCun et al. 1998) in its classic layout with today's ReLU and max pooling:
     * conv 5x5 (6, padding 2) - pool 2 - conv 5x5 (16) - pool 2 - dense 120 - dense 84 - dense (classes).
     */
    public static Sequential lenet5(Shape inputShape, int classes) {
        return new Sequential(inputShape)
                .add(conv(6, 5, Padding.explicit(2), true)).add(new ReLU())
                .add(maxPool())
                .add(conv(16, 5, Padding.valid(), true)).add(new ReLU())
                .add(maxPool())
                .add(new Flatten())
                .add(dense(120, Initializer.HE_NORMAL)).add(new ReLU())
                .add(dense(84, Initializer.HE_NORMAL)).add(new ReLU())
                .add(dense(classes, Initializer.GLOROT_UNIFORM)).add(new Softmax());
    }

    /**
     * A small VGG (Simonyan &amp; Zisserman 2015): two blocks of two 3x3 convolutions (32, then 64
     * filters, "same" padding) with batch norm and ReLU, each block closed by 2x2 max pooling; then
     * dense 256 - batch norm - ReLU - dropout 0.5 - dense (classes). Convolutions before batch norm
     * have no bias (batch norm's beta replaces it). Batch norm keeps its moving statistics with
     * momentum 0.9 (PyTorch's default, 0.1 in its convention): with Adam's fast early steps, Keras's
     * 0.99 averages over too many stale batches and costs validation accuracy in short runs.
     */
    public static Sequential vggSmall(Shape inputShape, int classes) {
        Sequential m = new Sequential(inputShape);
        for (int filters : new int[] {32, 64}) {
            m.add(conv(filters, 3, Padding.same(), false)).add(batchNorm()).add(new ReLU());
            m.add(conv(filters, 3, Padding.same(), false)).add(batchNorm()).add(new ReLU());
            m.add(maxPool());
        }
        return m.add(new Flatten())
                .add(new Dense(null, new Dense.Config(256, false, Initializer.HE_NORMAL)))
                .add(batchNorm()).add(new ReLU())
                .add(new Dropout(0.5))
                .add(dense(classes, Initializer.GLOROT_UNIFORM)).add(new Softmax());
    }

    private static BatchNormalization batchNorm() {
        return new BatchNormalization(null, new BatchNormalization.Config(0.9, 1e-5));
    }

    private static Dense dense(int units, Initializer init) {
        return new Dense(null, new Dense.Config(units, true, init));
    }

    private static Conv2D conv(int filters, int size, Padding padding, boolean useBias) {
        return new Conv2D(null, new Conv2D.Config(filters, new int[] {size, size}, null, padding, useBias, Initializer.HE_NORMAL));
    }

    private static MaxPool2D maxPool() {
        return new MaxPool2D(null, MaxPool2D.Config.of(2));
    }
}
