package org.jvision.optimizers.schedules;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jvision.optimizers.schedules.ScheduleAssertions.assertRate;

import org.junit.jupiter.api.Test;

class ExponentialDecayTest {
    @Test
    void tenfoldEveryEightEpochsSmoothlyPerEpoch() {
        ExponentialDecay exp = new ExponentialDecay(8, 0.1f);
        assertRate(exp, 1f, 0, 0, 100, 1.0);
        assertRate(exp, 1f, 1, 0, 100, 0.7498942093324559); // 10^(-1/8)
        assertRate(exp, 1f, 4, 0, 100, 0.31622776601683794); // 10^(-1/2)
        assertRate(exp, 1f, 8, 0, 100, 0.1);
        assertRate(exp, 1f, 12, 0, 100, 0.03162277660168379);
        assertRate(exp, 1f, 16, 0, 100, 0.01);
    }

    @Test
    void changesOnlyAtEpochBoundaries() {
        ExponentialDecay exp = new ExponentialDecay(8, 0.1f);
        for (int batch = 0; batch < 50; batch++) {
            assertRate(exp, 0.5f, 4, batch, 50, 0.5 * 0.31622776601683794);
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new ExponentialDecay(-2, 0.1f)).hasMessage("ExponentialDecay: everyEpochs must be >= 1, received: -2");
        assertThatThrownBy(() -> new ExponentialDecay(8, 2f)).hasMessage("ExponentialDecay: factor must be in (0, 1], received: 2.0");
    }
}
