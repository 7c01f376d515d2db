package org.jvision.layers;

import org.jvision.tensor.Tensor;

/**
 * A named tensor a layer owns: a trainable weight with its gradient, or a non-trainable buffer
 * (such as batch norm's moving mean) whose gradient is null. The model prefixes the layer's
 * name, giving the names used in model files: {@code conv2d_1.kernel}, {@code bn_1.moving_mean}.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor gradient;
    private final boolean regularizable;

    private Parameter(String name, Tensor value, Tensor gradient, boolean regularizable) {
        this.name = name;
        this.value = value;
        this.gradient = gradient;
        this.regularizable = regularizable;
    }

    /** A trainable weight (kernel or dense matrix), subject to L1/L2 penalties. */
    public static Parameter weight(String name, Tensor value) {
        return new Parameter(name, value, new Tensor(value.shape()), true);
    }

    /** A trainable parameter that penalties leave alone (biases, batch norm's gamma and beta). */
    public static Parameter bias(String name, Tensor value) {
        return new Parameter(name, value, new Tensor(value.shape()), false);
    }

    /** Non-trainable state saved with the model. */
    public static Parameter buffer(String name, Tensor value) {
        return new Parameter(name, value, null, false);
    }

    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    /** The accumulated gradient; null for buffers. */
    public Tensor gradient() {
        return gradient;
    }

    public boolean trainable() {
        return gradient != null;
    }

    /** Whether weight penalties (L1, L2) apply: true for kernels and weight matrices only. */
    public boolean regularizable() {
        return regularizable;
    }

    public void zeroGradient() {
        if (gradient != null) {
            gradient.fill(0f);
        }
    }
}
