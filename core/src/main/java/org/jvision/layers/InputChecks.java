package org.jvision.layers;

import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * The batch check of {@link Layer#checkInput}, for this package's layers to use meanwhile:
 * {@code Layer.checkInput} formats its message through {@code inputShape.withBatch(-1)}, which
 * {@link Shape} rejects, so a mismatched batch surfaces as "shape dimensions must be >= 0" instead
 * of naming the layer. Once that is fixed in {@code Layer}, the overrides that call this can go.
 */
final class InputChecks {
    private InputChecks() {
    }

    /** Throws, naming the layer and both shapes, unless {@code input} is a batch of the built input shape. */
    static void requireBatchOf(Layer layer, Tensor input) {
        Shape expected = layer.inputShape();
        Shape s = input.shape();
        if (s.rank() != expected.rank() + 1 || !s.dropBatch().equals(expected)) {
            String perExample = expected.toString();
            throw new IllegalArgumentException(layer.describe() + ": expects input of shape [batch"
                    + (expected.rank() == 0 ? "" : ", " + perExample.substring(1, perExample.length() - 1)) + "], got "
                    + s);
        }
    }
}
