package org.jvision.layers;

/**
 * A layer that draws random numbers in training (dropout, noise injection). Each training batch
 * draws from its own generator, derived from the layer's seed and the batch's number, so the whole
 * random state is that count: a checkpoint saves it, and a resumed run draws exactly what an
 * uninterrupted one would.
 */
public interface StochasticLayer {
    /** How many training batches the layer has drawn for. */
    long batchesDrawn();

    /** Sets the count, as a resumed run does before its first batch. */
    void setBatchesDrawn(long batches);
}
