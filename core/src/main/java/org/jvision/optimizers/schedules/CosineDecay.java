package org.jvision.optimizers.schedules;

/**
 * Cosine decay (Loshchilov &amp; Hutter, "SGDR", 2017), per step, from the initial rate down to
 * {@code minLearningRate} over {@code totalEpochs}:
 * <pre>  lr(t) = min + (initial − min) · (1 + cos(π · t / T)) / 2,   t = epoch + batch / batchesPerEpoch</pre>
 * with {@code T = totalEpochs}: {@code initial} at the first step, {@code (initial + min) / 2}
 * half-way, approaching {@code min} at the end. Past {@code T} the rate stays at {@code min}, as
 * Keras's {@code CosineDecay} does (PyTorch's {@code CosineAnnealingLR} would climb back up).
 * The minimum is an absolute rate, as PyTorch's {@code eta_min} (Keras's {@code alpha} is a
 * fraction of the initial rate instead).
 *
 * <p>Within training ({@code t < T}) the rate stays above {@code min}, so a minimum of 0 is
 * fine for optimizers that need a positive rate.
 *
 * @param totalEpochs {@code T}, the epochs the decay spans (usually the whole training), at least 1
 * @param minLearningRate the rate the decay ends at, {@code >= 0}
 */
public record CosineDecay(int totalEpochs, float minLearningRate) implements LearningRateSchedule {
    public CosineDecay {
        Schedules.requireEpochs("CosineDecay", "totalEpochs", totalEpochs);
        if (!(minLearningRate >= 0) || !Float.isFinite(minLearningRate)) {
            throw new IllegalArgumentException("CosineDecay: minLearningRate must be a finite number >= 0, received: "
                    + minLearningRate);
        }
    }

    @Override
    public float learningRate(float initial, int epoch, int batch, int batchesPerEpoch) {
        double t = Math.min(LearningRateSchedule.fractionalEpoch(epoch, batch, batchesPerEpoch), totalEpochs);
        return (float) (minLearningRate + (initial - minLearningRate) * (1 + Math.cos(Math.PI * t / totalEpochs)) / 2);
    }

    /** {@code cosine} or {@code cosine:MIN_LR}; the span comes from the training's epochs when parsed. */
    @Override
    public String spec() {
        return minLearningRate == 0 ? "cosine" : "cosine:" + Schedules.format(minLearningRate);
    }
}
