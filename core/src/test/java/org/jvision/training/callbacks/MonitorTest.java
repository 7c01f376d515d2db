package org.jvision.training.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MonitorTest {
    @Test
    void autoModeComesFromTheName() {
        assertThat(Monitor.of("loss").mode()).isEqualTo(Monitor.Mode.MIN);
        assertThat(Monitor.of("val_loss").mode()).isEqualTo(Monitor.Mode.MIN);
        assertThat(Monitor.of("accuracy").mode()).isEqualTo(Monitor.Mode.MAX);
        assertThat(Monitor.of("val_accuracy").modeName()).isEqualTo("max");
        assertThat(Monitor.of("val_accuracy").needsValidation()).isTrue();
        assertThat(Monitor.of("loss").needsValidation()).isFalse();
    }

    @Test
    void anImprovementMustBeatTheBestByMoreThanMinDelta() {
        Monitor min = Monitor.of("val_loss");
        assertThat(min.improves(0.5, min.worst(), 0.1)).isTrue();
        assertThat(min.improves(0.39, 0.5, 0.1)).isTrue();
        assertThat(min.improves(0.4, 0.5, 0.0999)).isTrue();
        assertThat(min.improves(0.45, 0.5, 0.1)).isFalse();
        assertThat(min.improves(0.5, 0.5, 0)).isFalse();
        assertThat(min.improves(Double.NaN, 0.5, 0)).isFalse();
        Monitor max = Monitor.of("accuracy");
        assertThat(max.improves(0.1, max.worst(), 0)).isTrue();
        assertThat(max.improves(0.61, 0.5, 0.1)).isTrue();
        assertThat(max.improves(0.55, 0.5, 0.1)).isFalse();
        assertThat(max.improves(Double.NaN, 0.5, 0)).isFalse();
    }
}
