package org.jvision.optimizers.schedules;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jvision.optimizers.schedules.ScheduleAssertions.assertRate;

import org.junit.jupiter.api.Test;

class WarmupTest {
    @Test
    void rampsLinearlyPerStepToTheInitialRate() {
        Warmup warmup = new Warmup(2);
        // 2 epochs x 4 batches = 8 steps: 0.1/8, 2 * 0.1/8, ..., 0.1
        for (int step = 0; step < 8; step++) {
            assertRate(warmup, 0.1f, step / 4, step % 4, 4, 0.0125 * (step + 1));
        }
        assertRate(warmup, 0.1f, 2, 0, 4, 0.1);
        assertRate(warmup, 0.1f, 9, 3, 4, 0.1);
    }

    @Test
    void theScheduleAfterCountsItsEpochsFromTheEndOfTheWarmup() {
        Warmup warmup = new Warmup(1, new StepDecay(2, 0.5f));
        assertRate(warmup, 0.1f, 0, 0, 2, 0.05);
        assertRate(warmup, 0.1f, 0, 1, 2, 0.1);
        assertRate(warmup, 0.1f, 1, 0, 2, 0.1); // epoch 0 of the step decay
        assertRate(warmup, 0.1f, 2, 1, 2, 0.1); // epoch 1
        assertRate(warmup, 0.1f, 3, 0, 2, 0.05); // epoch 2: the first drop
        assertRate(warmup, 0.1f, 5, 0, 2, 0.025);
    }

    @Test
    void warmupThenCosineStartsTheCosineAtTheFullRate() {
        Warmup warmup = new Warmup(2, new CosineDecay(8, 0f));
        assertRate(warmup, 0.2f, 1, 9, 10, 0.2);
        assertRate(warmup, 0.2f, 2, 0, 10, 0.2);
        assertRate(warmup, 0.2f, 6, 0, 10, 0.1); // half of the 8 cosine epochs
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new Warmup(0)).hasMessage("Warmup: warmupEpochs must be >= 1, received: 0");
        assertThatThrownBy(() -> new Warmup(1, new Warmup(2)))
                .hasMessage("Warmup: the schedule after warm-up cannot be another warm-up, received: warmup:2");
        assertThatThrownBy(() -> new Warmup(1, null)).isInstanceOf(NullPointerException.class).hasMessageContaining("Constant");
    }
}
