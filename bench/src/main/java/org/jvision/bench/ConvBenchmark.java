package org.jvision.bench;

import org.jvision.layers.Conv2D;
import org.jvision.layers.Layer;
import org.openjdk.jmh.annotations.Param;

/** Conv2D forward (im2col + GEMM) and backward (two GEMMs + col2im) for LeNet-5's and vgg-small's convolutions. */
public class ConvBenchmark extends LayerBenchmark {
    @Param({
        "lenet5/conv2d_1",    // 28x28x1 → 6, 5x5, padding 2 (first layer: no input gradient)
        "lenet5/conv2d_2",    // 14x14x6 → 16, 5x5, valid
        "vgg-small/conv2d_1", // 28x28x1 → 32, 3x3, same (first layer: no input gradient)
        "vgg-small/conv2d_2", // 28x28x32 → 32
        "vgg-small/conv2d_3", // 14x14x32 → 64
        "vgg-small/conv2d_4", // 14x14x64 → 64
    })
    public String layer;

    @Override
    protected String layerPath() {
        return layer;
    }

    @Override
    protected Class<? extends Layer> layerType() {
        return Conv2D.class;
    }
}
