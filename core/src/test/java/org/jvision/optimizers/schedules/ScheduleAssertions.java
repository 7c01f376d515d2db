package org.jvision.optimizers.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Percentage;

/** Compares a schedule's float rate with a value computed independently in double precision. */
final class ScheduleAssertions {
    private ScheduleAssertions() {
    }

    static void assertRate(LearningRateSchedule schedule, float initial, int epoch, int batch, int batchesPerEpoch, double expected) {
        assertThat((double) schedule.learningRate(initial, epoch, batch, batchesPerEpoch))
                .as("%s at epoch %d, batch %d of %d", schedule.spec(), epoch, batch, batchesPerEpoch)
                .isCloseTo(expected, Percentage.withPercentage(1e-4));
    }
}
