package org.jvision.optimizers.schedules;

import java.util.Objects;

/**
 * Linear warm-up, per step, then another schedule. Over the first {@code warmupEpochs} epochs
 * ({@code W = warmupEpochs · batchesPerEpoch} steps) the rate climbs in equal steps from
 * {@code initial / W} to {@code initial}:
 * <pre>  lr(step s) = initial · (s + 1) / W     for s = epoch · batchesPerEpoch + batch &lt; W</pre>
 * and then follows {@code after}, <b>with its epochs counted from the end of the warm-up</b>: the
 * first epoch after warm-up is epoch 0 of {@code after}, which starts from the full initial rate.
 * That is what PyTorch's {@code SequentialLR(optimizer, [LinearLR(...), after], milestones=[W])}
 * does, and how Keras 3's {@code CosineDecay(warmup_steps=…)} and Hugging Face's
 * {@code get_cosine_schedule_with_warmup} count; so {@code warmup:2+cosine} over 10 epochs is a
 * 2-epoch ramp then a cosine over the remaining 8 ({@link Schedules#parse} sizes it so).
 *
 * <p>Starting from {@code initial / W} rather than 0 means the first step already moves the
 * weights (an optimizer rejects a rate of 0).
 *
 * @param warmupEpochs the length of the ramp in epochs, at least 1
 * @param after the schedule once warm-up is over ({@link Constant} for none)
 */
public record Warmup(int warmupEpochs, LearningRateSchedule after) implements LearningRateSchedule {
    public Warmup {
        Schedules.requireEpochs("Warmup", "warmupEpochs", warmupEpochs);
        Objects.requireNonNull(after, "Warmup: after (use new Constant() for a constant rate after warm-up)");
        if (after instanceof Warmup) {
            throw new IllegalArgumentException("Warmup: the schedule after warm-up cannot be another warm-up, received: "
                    + after.spec());
        }
    }

    /** A warm-up followed by the initial rate, unchanged. */
    public Warmup(int warmupEpochs) {
        this(warmupEpochs, new Constant());
    }

    @Override
    public float learningRate(float initial, int epoch, int batch, int batchesPerEpoch) {
        long warmupSteps = (long) warmupEpochs * batchesPerEpoch;
        long step = (long) epoch * batchesPerEpoch + batch;
        if (step < warmupSteps) {
            return (float) ((double) initial * (step + 1) / warmupSteps);
        }
        return after.learningRate(initial, epoch - warmupEpochs, batch, batchesPerEpoch);
    }

    @Override
    public String spec() {
        return "warmup:" + warmupEpochs + (after instanceof Constant ? "" : "+" + after.spec());
    }
}
