package org.jvision.bench;

import java.util.SplittableRandom;
import org.jvision.layers.Layer;
import org.jvision.model.Sequential;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.jvision.zoo.Zoo;

/**
 * The zoo models as {@code jvision bench} runs them, for the benchmarks to take shapes and layers
 * from: Fashion-MNIST input {@code [28, 28, 1]}, 10 classes, batch 64, synthetic data.
 */
final class ZooModels {
    static final Shape IMAGE_SHAPE = Shape.of(28, 28, 1);
    static final int CLASSES = 10;
    static final int BATCH = 64;
    private static final long SEED = 42;

    private ZooModels() {
    }

    /** A zoo model ("mlp", "lenet5", "vgg-small"), built: its layers are named and know their shapes. */
    static Sequential build(String model) {
        return Zoo.create(model, IMAGE_SHAPE, CLASSES).build(SEED);
    }

    /**
     * A built layer of a zoo model by path, e.g. {@code "vgg-small/conv2d_2"}: its configuration and
     * input shape are exactly the zoo's, and whether it computes an input gradient too (a model's
     * first layer does not).
     */
    static Layer layer(String path) {
        int slash = path.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected a layer path 'model/layer', e.g. 'lenet5/conv2d_1', received: '"
                    + path + "'");
        }
        Sequential model = build(path.substring(0, slash));
        String name = path.substring(slash + 1);
        return model.layers().stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("model '" + path.substring(0, slash) + "' has no layer '"
                        + name + "'; it has " + model.layers().stream().map(Layer::name).toList()));
    }

    /** A batch of standard-normal values (what standardized pixels and activations look like). */
    static Tensor gaussian(Shape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor t = new Tensor(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) random.nextGaussian();
        }
        return t;
    }

    /** {@code batch} one-hot rows with uniformly random classes. */
    static Tensor oneHot(int batch, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor t = new Tensor(Shape.of(batch, classes));
        for (int r = 0; r < batch; r++) {
            t.data()[r * classes + random.nextInt(classes)] = 1f;
        }
        return t;
    }
}
