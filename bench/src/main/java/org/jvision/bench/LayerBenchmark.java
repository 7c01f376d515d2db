package org.jvision.bench;

import java.util.concurrent.TimeUnit;
import org.jvision.layers.Layer;
import org.jvision.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * Forward (training mode) and backward of one layer of a zoo model at batch 64, on random data.
 * The layer is taken from the built model ({@code "vgg-small/conv2d_2"}), so its configuration,
 * input shape and whether it computes an input gradient (a model's first layer does not) are
 * exactly those of training. Backward runs again and again on the state of one forward, which
 * is what it reads; it only adds into the parameter gradients.
 *
 * <p>Subclasses name the layers in a {@code layer} parameter; JMH generates both benchmarks for each.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public abstract class LayerBenchmark extends BenchmarkDefaults {
    private Layer layer;
    private Tensor input;
    private Tensor outputGradient;

    /** The layer's path, {@code model/layer}: the subclass's {@code @Param}. */
    protected abstract String layerPath();

    /** The type the subclass measures, so that a mistyped path fails instead of timing another layer. */
    protected abstract Class<? extends Layer> layerType();

    @Setup
    public void buildLayer() {
        layer = ZooModels.layer(layerPath());
        if (!layerType().isInstance(layer)) {
            throw new IllegalArgumentException("'" + layerPath() + "' is a " + layer.type() + ", not a "
                    + layerType().getSimpleName() + ": this benchmark measures " + layerType().getSimpleName() + " layers");
        }
        input = ZooModels.gaussian(layer.inputShape().withBatch(ZooModels.BATCH), 3);
        Tensor output = layer.forward(input, true);
        outputGradient = ZooModels.gaussian(output.shape(), 4);
    }

    @Benchmark
    public Tensor forward() {
        return layer.forward(input, true);
    }

    @Benchmark
    public Tensor backward() {
        return layer.backward(outputGradient);
    }
}
