package org.jvision.layers;

import java.util.SplittableRandom;

/**
 * The random stream of a {@link StochasticLayer}: a seed taken at build time and the number of
 * batches drawn so far; each batch gets a fresh generator from both.
 */
final class BatchRandom {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private long seed;
    private long batches;

    void seed(SplittableRandom random) {
        this.seed = random.nextLong();
        this.batches = 0;
    }

    /** The generator of the next training batch. */
    SplittableRandom nextBatch() {
        // split() mixes the state into a new, independent generator (its own gamma), so batch
        // generators whose seeds differ by multiples of the golden gamma do not overlap.
        return new SplittableRandom(seed + GOLDEN_GAMMA * batches++).split();
    }

    long batches() {
        return batches;
    }

    void setBatches(long batches) {
        if (batches < 0) {
            throw new IllegalArgumentException("the count of batches drawn must be >= 0, received: " + batches);
        }
        this.batches = batches;
    }
}
