package org.jvision.layers;

import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * Flattens each example to a vector: {@code [batch, d1, d2, ...] -> [batch, d1*d2*...]}. NHWC
 * order is kept (row, then column, then channel), as Keras does. A view: no copy either way.
 */
public final class Flatten extends Layer {
    /** Flatten has no hyperparameters. */
    public record Config() {
    }

    public Flatten() {
        this(null);
    }

    public Flatten(String name) {
        super(name);
    }

    public Flatten(String name, Config config) {
        this(name);
    }

    @Override
    public String type() {
        return "Flatten";
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        return Shape.of(inputShape.size());
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        checkInput(input);
        return input.withShape(outputShape().withBatch(input.dim(0)));
    }

    @Override
    public Tensor backward(Tensor outputGradient) {
        return outputGradient.withShape(inputShape().withBatch(outputGradient.dim(0)));
    }

    @Override
    public Record config() {
        return new Config();
    }
}
