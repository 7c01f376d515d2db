package org.jvision.optimizers.schedules;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jvision.optimizers.schedules.ScheduleAssertions.assertRate;

import org.junit.jupiter.api.Test;

class StepDecayTest {
    @Test
    void dropsByTheFactorEveryNEpochsAndIsFlatInBetween() {
        StepDecay step = new StepDecay(2, 0.1f);
        double[] expected = {0.1, 0.1, 0.01, 0.01, 0.001, 0.001, 0.0001};
        for (int epoch = 0; epoch < expected.length; epoch++) {
            for (int batch : new int[] {0, 5, 9}) {
                assertRate(step, 0.1f, epoch, batch, 10, expected[epoch]);
            }
        }
    }

    @Test
    void everyEpochWithHalving() {
        StepDecay step = new StepDecay(1, 0.5f);
        assertRate(step, 0.08f, 0, 0, 1, 0.08);
        assertRate(step, 0.08f, 1, 0, 1, 0.04);
        assertRate(step, 0.08f, 3, 0, 1, 0.01);
    }

    @Test
    void rejectsBadArgumentsEchoingThem() {
        assertThatThrownBy(() -> new StepDecay(0, 0.1f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("StepDecay: everyEpochs must be >= 1, received: 0");
        assertThatThrownBy(() -> new StepDecay(3, 1.5f)).hasMessage("StepDecay: factor must be in (0, 1], received: 1.5");
        assertThatThrownBy(() -> new StepDecay(3, 0f)).hasMessageContaining("received: 0.0");
        assertThatThrownBy(() -> new StepDecay(3, Float.NaN)).hasMessageContaining("received: NaN");
    }
}
