package org.jvision.losses;

import org.jvision.tensor.Tensor;

/**
 * What every loss here shares: forward checks that predictions and targets have one shape and
 * computes the gradient in the same pass, into a buffer reused from batch to batch; backward hands
 * that gradient out.
 */
abstract class GradientLoss implements Loss {
    private Tensor gradient;
    private Tensor lastGradient;

    /** Throws, naming the loss and both shapes, unless predictions and targets have one shape. */
    protected final void checkShapes(Tensor predictions, Tensor targets) {
        if (!predictions.shape().equals(targets.shape())) {
            throw new IllegalArgumentException(name() + ": predictions have shape " + predictions.shape()
                    + " but targets have shape " + targets.shape());
        }
    }

    /** The gradient buffer for this forward, shaped like the predictions; backward returns it. */
    protected final Tensor gradientBuffer(Tensor predictions) {
        gradient = Tensor.reuse(gradient, predictions.shape());
        lastGradient = gradient;
        return gradient;
    }

    @Override
    public final Tensor backward() {
        if (lastGradient == null) {
            throw new IllegalStateException(name() + ": backward called before forward");
        }
        return lastGradient;
    }
}
