package org.jvision.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EpochLogsTest {
    private static final EpochLogs WITH_VALIDATION = new EpochLogs(3, 0.5, 0.75, 0.625, 0.7, 0.001f, 1.5);
    private static final EpochLogs WITHOUT_VALIDATION = new EpochLogs(3, 0.5, 0.75, null, null, 0.001f, 1.5);

    @Test
    void looksUpEveryMetricByItsKerasName() {
        assertThat(WITH_VALIDATION.metric("loss")).isEqualTo(0.5);
        assertThat(WITH_VALIDATION.metric("accuracy")).isEqualTo(0.75);
        assertThat(WITH_VALIDATION.metric("val_loss")).isEqualTo(0.625);
        assertThat(WITH_VALIDATION.metric("val_accuracy")).isEqualTo(0.7);
        assertThat(WITH_VALIDATION.metric("learning_rate")).isEqualTo(0.001f);
        assertThat(WITHOUT_VALIDATION.metric("loss")).isEqualTo(0.5);
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> WITH_VALIDATION.metric("val_acc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown metric 'val_acc'; expected one of loss, accuracy, val_loss, val_accuracy, learning_rate");
    }

    @Test
    void aValidationMetricWithoutValidationDataSaysSo() {
        assertThatThrownBy(() -> WITHOUT_VALIDATION.metric("val_loss")).isInstanceOf(IllegalStateException.class)
                .hasMessage("val_loss is not available at epoch 3: this fit has no validation data (give it validation data, "
                        + "or monitor loss instead)");
        assertThatThrownBy(() -> WITHOUT_VALIDATION.metric("val_accuracy")).hasMessageContaining("or monitor accuracy instead");
    }

    @Test
    void theJsonFormIsUnchangedByTheLookup() {
        assertThat(History.of(List.of(WITH_VALIDATION), null).toJson()).doesNotContain("metric").contains("\"val_loss\" : 0.625");
        assertThat(History.of(List.of(WITH_VALIDATION), "why").stopReason()).isEqualTo("why");
    }
}
