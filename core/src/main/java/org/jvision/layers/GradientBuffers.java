package org.jvision.layers;

import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * Two buffers that the layers of one sequential model take turns at for their input gradients.
 * Going backward through a chain, a layer reads the gradient of its output and writes that of its
 * input; nothing reads a gradient once the layer before has consumed it. So two buffers, each as
 * large as the largest gradient, hold every layer's in turn: a layer takes the one its output
 * gradient is not in. Each layer keeping its own held all of them at once: vgg-small at batch 128,
 * about 80 MB of its 180 MB of layer buffers (fifteenth session, BENCHMARKS.md).
 *
 * <p>Only for a chain: a layer that kept an output gradient past the backward of the layer before
 * it (a residual block's skip path) would need a buffer of its own.
 */
public final class GradientBuffers {
    private final float[][] arrays = new float[2][];
    private final Tensor[] tensors = new Tensor[2];

    /**
     * A tensor of {@code shape} over the buffer that does not hold {@code outputGradient}, grown if
     * too small. Its contents are whatever the last layer left: the caller writes every element.
     */
    public Tensor take(Shape shape, Tensor outputGradient) {
        int i = arrays[0] != null && arrays[0] == outputGradient.data() ? 1 : 0;
        if (arrays[i] == null || arrays[i].length < shape.size()) {
            arrays[i] = new float[shape.size()];
            tensors[i] = null;
        }
        if (tensors[i] == null || !tensors[i].shape().equals(shape)) {
            tensors[i] = new Tensor(shape, arrays[i]);
        }
        return tensors[i];
    }
}
