package org.jvision.zoo;

import java.util.List;
import org.jvision.layers.BatchNormalization;
import org.jvision.layers.Conv2D;
import org.jvision.layers.Dense;
import org.jvision.layers.Dropout;
import org.jvision.layers.Flatten;
import org.jvision.layers.GaussianNoise;
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

    /**
     * Regularization options of the built-in models.
     *
     * @param dropout   the dropout rate after each hidden dense layer's activation, or null for the
     *                  model's own (none for mlp and lenet5, 0.5 for vgg-small)
     * @param batchNorm batch normalization between each hidden convolution or dense layer and its
     *                  ReLU (that layer then has no bias; beta replaces it); vgg-small always has it
     * @param noise     the standard deviation of Gaussian noise added to the input in training, 0 for none
     */
    public record Options(Double dropout, boolean batchNorm, double noise) {
        public Options {
            if (dropout != null && !(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("the dropout rate must be in [0, 1), received: " + dropout);
            }
            if (!(noise >= 0) || !Double.isFinite(noise)) {
                throw new IllegalArgumentException("the noise standard deviation must be a finite number >= 0, received: " + noise);
            }
        }

        /** Each model as its own definition says. */
        public static Options defaults() {
            return new Options(null, false, 0);
        }
    }

    /** An unbuilt model by name: "mlp", "lenet5" or "vgg-small". */
    public static Sequential create(String name, Shape inputShape, int classes) {
        return create(name, inputShape, classes, Options.defaults());
    }

    /** An unbuilt model by name, with dropout, batch norm or input noise added as {@code options} say. */
    public static Sequential create(String name, Shape inputShape, int classes, Options options) {
        return switch (name) {
            case "mlp" -> mlp(inputShape, classes, options);
            case "lenet5" -> lenet5(inputShape, classes, options);
            case "vgg-small" -> vggSmall(inputShape, classes, options);
            default -> throw new IllegalArgumentException("unknown model '" + name + "', expected one of " + String.join(", ", names()));
        };
    }

    /** Flatten, dense 256 - ReLU, dense 128 - ReLU, dense (classes), softmax. */
    public static Sequential mlp(Shape inputShape, int classes) {
        return mlp(inputShape, classes, Options.defaults());
    }

    /** The mlp with {@code options}: [noise] - flatten - (dense [- BN] - ReLU [- dropout]) x2 - dense - softmax. */
    public static Sequential mlp(Shape inputShape, int classes, Options options) {
        Sequential m = input(inputShape, options).add(new Flatten());
        hiddenDense(m, 256, options);
        hiddenDense(m, 128, options);
        return m.add(dense(classes, Initializer.GLOROT_UNIFORM)).add(new Softmax());
    }

    /**
     * LeNet-5 (LeCun et al. 1998) in its classic layout with today's ReLU and max pooling:
     * conv 5x5 (6, padding 2) - pool 2 - conv 5x5 (16) - pool 2 - dense 120 - dense 84 - dense (classes).
     */
    public static Sequential lenet5(Shape inputShape, int classes) {
        return lenet5(inputShape, classes, Options.defaults());
    }

    /** LeNet-5 with {@code options}: batch norm after each convolution and hidden dense layer, dropout after the hidden dense layers. */
    public static Sequential lenet5(Shape inputShape, int classes, Options options) {
        Sequential m = input(inputShape, options);
        m.add(conv(6, 5, Padding.explicit(2), !options.batchNorm()));
        activation(m, options.batchNorm());
        m.add(maxPool());
        m.add(conv(16, 5, Padding.valid(), !options.batchNorm()));
        activation(m, options.batchNorm());
        m.add(maxPool()).add(new Flatten());
        hiddenDense(m, 120, options);
        hiddenDense(m, 84, options);
        return m.add(dense(classes, Initializer.GLOROT_UNIFORM)).add(new Softmax());
    }

    private static Sequential input(Shape inputShape, Options options) {
        Sequential m = new Sequential(inputShape);
        if (options.noise() > 0) {
            m.add(new GaussianNoise(options.noise()));
        }
        return m;
    }

    /** dense [- BN] - ReLU [- dropout]. */
    private static void hiddenDense(Sequential m, int units, Options options) {
        m.add(new Dense(null, new Dense.Config(units, !options.batchNorm(), Initializer.HE_NORMAL)));
        activation(m, options.batchNorm());
        if (options.dropout() != null && options.dropout() > 0) {
            m.add(new Dropout(options.dropout()));
        }
    }

    private static void activation(Sequential m, boolean batchNorm) {
        if (batchNorm) {
            m.add(batchNorm());
        }
        m.add(new ReLU());
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
        return vggSmall(inputShape, classes, Options.defaults());
    }

    /** vgg-small with {@code options}: input noise, and another dropout rate than 0.5. */
    public static Sequential vggSmall(Shape inputShape, int classes, Options options) {
        Sequential m = input(inputShape, options);
        for (int filters : new int[] {32, 64}) {
            m.add(conv(filters, 3, Padding.same(), false)).add(batchNorm()).add(new ReLU());
            m.add(conv(filters, 3, Padding.same(), false)).add(batchNorm()).add(new ReLU());
            m.add(maxPool());
        }
        return m.add(new Flatten())
                .add(new Dense(null, new Dense.Config(256, false, Initializer.HE_NORMAL)))
                .add(batchNorm()).add(new ReLU())
                .add(new Dropout(options.dropout() == null ? 0.5 : options.dropout()))
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
