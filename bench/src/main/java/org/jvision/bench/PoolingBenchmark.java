package org.jvision.bench;

import org.jvision.layers.Layer;
import org.jvision.layers.MaxPool2D;
import org.openjdk.jmh.annotations.Param;

/** MaxPool2D (2x2, stride 2) forward and backward for LeNet-5's and vgg-small's pooling layers. */
public class PoolingBenchmark extends LayerBenchmark {
    @Param({
        "lenet5/max_pool2d_1",    // 28x28x6
        "lenet5/max_pool2d_2",    // 10x10x16
        "vgg-small/max_pool2d_1", // 28x28x32
        "vgg-small/max_pool2d_2", // 14x14x64
    })
    public String layer;

    @Override
    protected String layerPath() {
        return layer;
    }

    @Override
    protected Class<? extends Layer> layerType() {
        return MaxPool2D.class;
    }
}
