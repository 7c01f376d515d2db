package org.jvision.training.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.optimizers.Adam;
import org.jvision.optimizers.SGD;
import org.jvision.training.EpochLogs;
import org.jvision.training.FitOptions;
import org.jvision.training.History;
import org.jvision.training.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReduceLROnPlateauTest {
    /** val_loss per epoch for the worked sequence below. */
    private static final double[] VAL_LOSS = {1.0, 0.995, 0.999, 0.998, 0.997, 0.98, 0.975, 0.979, 0.99, 0.99, 0.99};

    /**
     * Patience 2, factor 0.5, min_delta 0.01, cool-down 1, min_lr 0.02, from 0.1, worked by hand:
     * 1: best 1.0 · 2: 0.995 is not below 0.99, wait 1 · 3: wait 2, lr 0.05, cool-down ·
     * 4: cool-down ends (wait 0), then wait 1 · 5: wait 2, lr 0.025 · 6: 0.98 improves ·
     * 7: wait 1 · 8: wait 2, lr max(0.0125, 0.02) = 0.02 · 9, 10, 11: at the minimum, no change.
     */
    private static final float[] RATES = {0.1f, 0.1f, 0.05f, 0.05f, 0.025f, 0.025f, 0.025f, 0.02f, 0.02f, 0.02f, 0.02f};

    private static ReduceLROnPlateau worked() {
        return new ReduceLROnPlateau("val_loss", 0.5, 2, 0.02, 0.01, 1);
    }

    @Test
    void kerasDefaults() {
        ReduceLROnPlateau plateau = new ReduceLROnPlateau();
        assertThat(plateau.monitor()).isEqualTo(new Monitor("val_loss", Monitor.Mode.MIN));
        assertThat(plateau.factor()).isEqualTo(0.1);
        assertThat(plateau.patience()).isEqualTo(10);
        assertThat(plateau.minLearningRate()).isZero();
        assertThat(plateau.minDelta()).isEqualTo(1e-4);
        assertThat(plateau.cooldown()).isZero();
    }

    @Test
    void lowersTheRateWhenTheMetricStopsImproving() {
        SGD sgd = new SGD(0.1f);
        ReduceLROnPlateau plateau = worked();
        new Fixtures.Control(sgd).begin(plateau);
        for (int i = 0; i < VAL_LOSS.length; i++) {
            plateau.onEpochEnd(Fixtures.valLoss(i + 1, VAL_LOSS[i]));
            assertThat(sgd.learningRate()).as("after epoch %d", i + 1).isEqualTo(RATES[i]);
        }
    }

    @Test
    void accuracyIsMaximized() {
        SGD sgd = new SGD(0.1f);
        ReduceLROnPlateau plateau = new ReduceLROnPlateau("val_accuracy", 0.5, 1, 0, 0, 0);
        assertThat(plateau.monitor().mode()).isEqualTo(Monitor.Mode.MAX);
        new Fixtures.Control(sgd).begin(plateau);
        double[] accuracy = {0.5, 0.6, 0.6, 0.7, 0.65};
        float[] rates = {0.1f, 0.1f, 0.05f, 0.05f, 0.025f};
        for (int i = 0; i < accuracy.length; i++) {
            plateau.onEpochEnd(Fixtures.logs(i + 1, 1, 0.5, 1, accuracy[i]));
            assertThat(sgd.learningRate()).as("after epoch %d", i + 1).isEqualTo(rates[i]);
        }
    }

    @Test
    void aRestoredReducerBehavesAsTheUninterruptedOne() {
        SGD uninterrupted = new SGD(0.1f);
        ReduceLROnPlateau original = worked();
        new Fixtures.Control(uninterrupted).begin(original);
        for (int i = 0; i < 4; i++) {
            original.onEpochEnd(Fixtures.valLoss(i + 1, VAL_LOSS[i]));
        }
        var saved = Fixtures.copyOf(original.saveState());
        assertThat(saved.numbers()).containsEntry("best", 1.0).containsEntry("wait", 1.0).containsEntry("cooldown_counter", 0.0);

        SGD resumedOptimizer = new SGD(uninterrupted.learningRate());
        ReduceLROnPlateau resumed = worked();
        resumed.restoreState(saved);
        new Fixtures.Control(resumedOptimizer).begin(resumed);
        SGD freshOptimizer = new SGD(uninterrupted.learningRate());
        ReduceLROnPlateau fresh = worked();
        new Fixtures.Control(freshOptimizer).begin(fresh);
        List<Float> freshRates = new ArrayList<>();
        for (int i = 4; i < VAL_LOSS.length; i++) {
            original.onEpochEnd(Fixtures.valLoss(i + 1, VAL_LOSS[i]));
            resumed.onEpochEnd(Fixtures.valLoss(i + 1, VAL_LOSS[i]));
            fresh.onEpochEnd(Fixtures.valLoss(i + 1, VAL_LOSS[i]));
            assertThat(resumedOptimizer.learningRate()).as("after epoch %d", i + 1).isEqualTo(RATES[i]);
            freshRates.add(freshOptimizer.learningRate());
        }
        // Without the state the reducer would have forgotten its wait and its best: a different course.
        assertThat(freshRates.get(0)).isEqualTo(0.05f);
    }

    @Test
    void aMissingValidationMetricIsAnErrorNotAFallBack() {
        ReduceLROnPlateau plateau = new ReduceLROnPlateau();
        assertThat(plateau.monitor().needsValidation()).isTrue();
        new Fixtures.Control(new SGD(0.1f)).begin(plateau);
        assertThatThrownBy(() -> plateau.onEpochEnd(Fixtures.withoutValidation(1, 0.5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ReduceLROnPlateau monitors val_loss, but val_loss is not available at epoch 1: this fit has no "
                        + "validation data (give it validation data, or monitor loss instead)");
    }

    @Test
    void rejectsBadArgumentsEchoingThem() {
        assertThatThrownBy(() -> new ReduceLROnPlateau("val_loss", 1.0, 10, 0, 1e-4, 0))
                .hasMessage("ReduceLROnPlateau: factor must be in (0, 1), received: 1.0");
        assertThatThrownBy(() -> new ReduceLROnPlateau("val_loss", 0.1, -1, 0, 1e-4, 0))
                .hasMessage("ReduceLROnPlateau: patience must be >= 0, received: -1");
        assertThatThrownBy(() -> new ReduceLROnPlateau("val_loss", 0.1, 10, -1, 1e-4, 0))
                .hasMessage("ReduceLROnPlateau: minLearningRate must be a finite number >= 0, received: -1.0");
        assertThatThrownBy(() -> new ReduceLROnPlateau("val_loss", 0.1, 10, 0, -1e-4, 0))
                .hasMessage("ReduceLROnPlateau: minDelta must be a finite number >= 0, received: -1.0E-4");
        assertThatThrownBy(() -> new ReduceLROnPlateau("val_loss", 0.1, 10, 0, 1e-4, -2))
                .hasMessage("ReduceLROnPlateau: cooldown must be >= 0, received: -2");
        assertThatThrownBy(() -> new ReduceLROnPlateau("val_acc", 0.1, 10, 0, 1e-4, 0))
                .hasMessage("ReduceLROnPlateau: unknown metric 'val_acc'; expected one of loss, accuracy, val_loss, val_accuracy, "
                        + "learning_rate");
        assertThatThrownBy(() -> new ReduceLROnPlateau("learning_rate", 0.1, 10, 0, 1e-4, 0))
                .hasMessage("ReduceLROnPlateau: cannot tell whether learning_rate should be minimized or maximized (mode auto): "
                        + "pass mode min or max");
    }

    @Test
    void parsesTheCliForm() {
        ReduceLROnPlateau p = ReduceLROnPlateau.parse("plateau:3");
        assertThat(p.monitor().metric()).isEqualTo("val_loss");
        assertThat(p.patience()).isEqualTo(3);
        assertThat(p.factor()).isEqualTo(0.1);
        assertThat(p.minLearningRate()).isZero();
        assertThat(p.minDelta()).isEqualTo(1e-4);
        ReduceLROnPlateau q = ReduceLROnPlateau.parse("plateau:5:0.5:1e-5");
        assertThat(q.patience()).isEqualTo(5);
        assertThat(q.factor()).isEqualTo(0.5);
        assertThat(q.minLearningRate()).isEqualTo(1e-5f);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "plateau|--lr-schedule 'plateau': expected plateau:PATIENCE[:FACTOR[:MIN_LR]] (e.g. plateau:3:0.5)",
        "plateau:1:0.5:0:9|--lr-schedule 'plateau:1:0.5:0:9': expected plateau:PATIENCE[:FACTOR[:MIN_LR]] (e.g. plateau:3:0.5)",
        "plateau:x|--lr-schedule 'plateau:x': PATIENCE must be a whole number of epochs >= 0, received 'x'",
        "plateau:3:2|--lr-schedule 'plateau:3:2': FACTOR must be a number in (0, 1), received '2'",
        "plateau:3:0.5:-1|--lr-schedule 'plateau:3:0.5:-1': MIN_LR must be a number >= 0, received '-1'",
        "step:3|--lr-schedule 'step:3': expected plateau:PATIENCE[:FACTOR[:MIN_LR]] (e.g. plateau:3:0.5)",
    })
    void badCliFormsSayWhatWasExpected(String spec, String message) {
        assertThatThrownBy(() -> ReduceLROnPlateau.parse(spec)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void inARealFitTheRateFallsWhenTheLossPlateaus() {
        // A min_delta no epoch can beat makes every epoch after the first a plateau: with patience 0 the
        // rate halves at the end of each, which the next epoch's logs show.
        Trainer trainer = new Trainer(Fixtures.tinyModel(3), new Adam(0.002f), new SoftmaxCrossEntropy());
        History history = trainer.fit(Fixtures.Data.TRAIN, FitOptions.builder().epochs(4).batchSize(100)
                .callback(new ReduceLROnPlateau("loss", 0.5, 0, 0, 10.0, 0)).build());
        List<Double> rates = new ArrayList<>();
        for (EpochLogs e : history.epochs()) {
            rates.add(e.learningRate());
        }
        assertThat(rates).containsExactly((double) 0.002f, (double) 0.002f, (double) 0.001f, (double) 0.0005f);
        assertThat(trainer.optimizer().learningRate()).isEqualTo(0.00025f);
    }
}
