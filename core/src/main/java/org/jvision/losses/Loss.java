package org.jvision.losses;

import org.jvision.tensor.Tensor;

/**
 * A loss: the mean over the batch of a per-example error between predictions and targets, with
 * its gradient. {@link #forward} keeps what {@link #backward} needs.
 *
 * <p>Targets have the predictions' shape (one-hot rows for classification).
 */
public interface Loss {
    /** The name used in model files and the CLI, e.g. "softmax_cross_entropy". */
    String name();

    /** The mean loss over the batch. */
    float forward(Tensor predictions, Tensor targets);

    /** d(mean loss)/d(predictions) for the last forward, in a buffer the loss reuses. */
    Tensor backward();
}
