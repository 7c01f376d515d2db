package org.jvision.bench;

import org.jvision.layers.BatchNormalization;
import org.jvision.layers.Layer;
import org.openjdk.jmh.annotations.Param;

/**
 * BatchNormalization forward in training mode (batch statistics, moving averages updated) and
 * backward, for vgg-small's three distinct shapes (its other two batch norms repeat them).
 */
public class BatchNormBenchmark extends LayerBenchmark {
    @Param({
        "vgg-small/batch_normalization_1", // 28x28x32, after conv2d_1
        "vgg-small/batch_normalization_3", // 14x14x64, after conv2d_3
        "vgg-small/batch_normalization_5", // 256 features, after dense_1
    })
    public String layer;

    @Override
    protected String layerPath() {
        return layer;
    }

    @Override
    protected Class<? extends Layer> layerType() {
        return BatchNormalization.class;
    }
}
