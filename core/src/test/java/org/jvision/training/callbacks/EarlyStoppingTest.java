package org.jvision.training.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.model.Sequential;
import org.jvision.optimizers.Adam;
import org.jvision.optimizers.SGD;
import org.jvision.training.Callback;
import org.jvision.training.EpochLogs;
import org.jvision.training.FitOptions;
import org.jvision.training.History;
import org.jvision.training.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EarlyStoppingTest {
    /** Drives {@code stopping} through epochs of the given val_loss, marking the weights with the epoch number first. */
    private static void epochs(EarlyStopping stopping, Fixtures.Control control, int first, double... valLoss) {
        for (int i = 0; i < valLoss.length; i++) {
            Fixtures.mark(control.model, first + i);
            stopping.onEpochEnd(Fixtures.valLoss(first + i, valLoss[i]));
        }
    }

    @Test
    void stopsWhenPatienceRunsOutAndSaysWhy() {
        EarlyStopping stopping = new EarlyStopping("val_loss", 0.01, 2, Monitor.Mode.AUTO, false);
        Fixtures.Control control = new Fixtures.Control().begin(stopping);
        epochs(stopping, control, 1, 0.5, 0.4, 0.395);
        assertThat(control.stops).isEmpty();
        epochs(stopping, control, 4, 0.41);
        assertThat(control.stops).containsExactly(
                "early stopping: val_loss did not improve by 0.01 for 2 epochs (best 0.4000 at epoch 2)");
        assertThat(stopping.stoppedEpoch()).isEqualTo(4);
        assertThat(stopping.bestEpoch()).isEqualTo(2);
        assertThat(stopping.bestValue()).isEqualTo(0.4);
    }

    @Test
    void theReasonWritesSmallDeltasAsPeopleDo() {
        EarlyStopping stopping = new EarlyStopping("val_loss", 1e-4, 3, Monitor.Mode.MIN, false);
        Fixtures.Control control = new Fixtures.Control().begin(stopping);
        epochs(stopping, control, 1, 0.5, 0.4, 0.35, 0.3123, 0.31225, 0.4, 0.32);
        assertThat(control.stops).containsExactly(
                "early stopping: val_loss did not improve by 1e-4 for 3 epochs (best 0.3123 at epoch 4)");
        EarlyStopping noDelta = new EarlyStopping("loss", 0, 1, Monitor.Mode.AUTO, false);
        Fixtures.Control other = new Fixtures.Control().begin(noDelta);
        noDelta.onEpochEnd(Fixtures.withoutValidation(1, 0.5));
        noDelta.onEpochEnd(Fixtures.withoutValidation(2, 0.5));
        assertThat(other.stops).containsExactly("early stopping: loss did not improve for 1 epoch (best 0.5000 at epoch 1)");
    }

    @Test
    void patienceZeroStopsAtTheFirstEpochWithoutImprovementButNeverAtTheFirstEpoch() {
        EarlyStopping stopping = new EarlyStopping("val_loss", 0, 0, Monitor.Mode.AUTO, false);
        Fixtures.Control control = new Fixtures.Control().begin(stopping);
        epochs(stopping, control, 1, 0.5, 0.4);
        assertThat(control.stops).isEmpty();
        epochs(stopping, control, 3, 0.4);
        assertThat(control.stops).hasSize(1);
        assertThat(stopping.stoppedEpoch()).isEqualTo(3);
    }

    @Test
    void accuracyIsMaximizedAndAnExplicitModeWins() {
        EarlyStopping accuracy = new EarlyStopping("val_accuracy", 0, 1, Monitor.Mode.AUTO, false);
        assertThat(accuracy.monitor().mode()).isEqualTo(Monitor.Mode.MAX);
        Fixtures.Control control = new Fixtures.Control().begin(accuracy);
        accuracy.onEpochEnd(Fixtures.logs(1, 1, 0.5, 1, 0.7));
        accuracy.onEpochEnd(Fixtures.logs(2, 1, 0.5, 1, 0.8));
        accuracy.onEpochEnd(Fixtures.logs(3, 1, 0.5, 1, 0.75));
        assertThat(control.stops).containsExactly(
                "early stopping: val_accuracy did not improve for 1 epoch (best 0.8000 at epoch 2)");
        assertThat(new EarlyStopping("learning_rate", 0, 1, Monitor.Mode.MIN, false).monitor().mode()).isEqualTo(Monitor.Mode.MIN);
    }

    @Test
    void restoresTheBestWeightsWhenItStops() {
        EarlyStopping stopping = new EarlyStopping("val_loss", 0, 2, Monitor.Mode.AUTO, true);
        Fixtures.Control control = new Fixtures.Control().begin(stopping);
        epochs(stopping, control, 1, 0.5, 0.3, 0.4, 0.45);
        assertThat(control.stops).hasSize(1);
        stopping.onTrainEnd(new History());
        assertThat(Fixtures.weights(control.model).values()).allSatisfy(w -> assertThat(w).containsOnly(2f));
    }

    @Test
    void restoresTheBestWeightsAlsoWhenTrainingRanToItsLastEpoch() {
        EarlyStopping stopping = new EarlyStopping("val_loss", 0, 5, Monitor.Mode.AUTO, true);
        Fixtures.Control control = new Fixtures.Control().begin(stopping);
        epochs(stopping, control, 1, 0.5, 0.3, 0.4, 0.45);
        assertThat(control.stops).isEmpty();
        stopping.onTrainEnd(new History());
        assertThat(Fixtures.weights(control.model).values()).allSatisfy(w -> assertThat(w).containsOnly(2f));
    }

    @Test
    void leavesTheWeightsAloneWithoutRestoreBestWeights() {
        EarlyStopping stopping = new EarlyStopping("val_loss", 0, 1, Monitor.Mode.AUTO, false);
        Fixtures.Control control = new Fixtures.Control().begin(stopping);
        epochs(stopping, control, 1, 0.3, 0.4);
        stopping.onTrainEnd(new History());
        assertThat(Fixtures.weights(control.model).values()).allSatisfy(w -> assertThat(w).containsOnly(2f));
        assertThat(stopping.saveState().arrays()).isEmpty();
    }

    @Test
    void aRestoredEarlyStoppingBehavesAsTheUninterruptedOne() {
        double[] before = {0.5, 0.3, 0.35};
        double[] after = {0.28, 0.275, 0.30};
        EarlyStopping original = new EarlyStopping("val_loss", 0.01, 2, Monitor.Mode.AUTO, true);
        Fixtures.Control control = new Fixtures.Control().begin(original);
        epochs(original, control, 1, before);
        var saved = Fixtures.copyOf(original.saveState());
        assertThat(saved.numbers()).containsEntry("best", 0.3).containsEntry("best_epoch", 2.0).containsEntry("wait", 1.0);
        assertThat(saved.arrays()).containsOnlyKeys(control.model.namedState().keySet());
        assertThat(saved.arrays().values()).allSatisfy(w -> assertThat(w).containsOnly(2f));

        // The resumed run: a new model with the checkpoint's weights (those of epoch 3), a new callback.
        EarlyStopping resumed = new EarlyStopping("val_loss", 0.01, 2, Monitor.Mode.AUTO, true);
        resumed.restoreState(saved);
        Fixtures.Control resumedControl = new Fixtures.Control(Fixtures.tinyModel(2), new SGD(0.1f));
        Fixtures.mark(resumedControl.model, 3);
        resumedControl.begin(resumed);
        // Beginning checks the restored best weights against the model; it does not put them in yet.
        assertThat(Fixtures.weights(resumedControl.model).values()).allSatisfy(w -> assertThat(w).containsOnly(3f));
        epochs(original, control, 4, after);
        epochs(resumed, resumedControl, 4, after);
        // 0.28 beats 0.3 - 0.01 (epoch 4 is the best), 0.275 does not beat 0.27 (wait 1), 0.30 neither (wait 2: stop).
        assertThat(resumedControl.stops).isEqualTo(control.stops).containsExactly(
                "early stopping: val_loss did not improve by 0.01 for 2 epochs (best 0.2800 at epoch 4)");
        original.onTrainEnd(new History());
        resumed.onTrainEnd(new History());
        assertThat(Fixtures.weights(resumedControl.model)).containsExactlyInAnyOrderEntriesOf(Fixtures.weights(control.model));
        assertThat(Fixtures.weights(resumedControl.model).values()).allSatisfy(w -> assertThat(w).containsOnly(4f));
    }

    @Test
    void restoredWeightsMustFitTheModel() {
        EarlyStopping original = new EarlyStopping("val_loss", 0, 2, Monitor.Mode.AUTO, true);
        Fixtures.Control control = new Fixtures.Control().begin(original);
        epochs(original, control, 1, 0.5);
        EarlyStopping resumed = new EarlyStopping("val_loss", 0, 2, Monitor.Mode.AUTO, true);
        resumed.restoreState(original.saveState());
        Sequential other = new Sequential(org.jvision.tensor.Shape.of(28, 28, 1)).add(new org.jvision.layers.Flatten())
                .add(new org.jvision.layers.Dense(10)).build(1);
        assertThatThrownBy(() -> resumed.onTrainBegin(new Fixtures.Control(other, new SGD(0.1f)), 10, 4))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("EarlyStopping: the restored best weights are for parameters");
    }

    @Test
    void aMissingValidationMetricIsAnError() {
        EarlyStopping stopping = new EarlyStopping("val_accuracy", 5);
        new Fixtures.Control().begin(stopping);
        assertThatThrownBy(() -> stopping.onEpochEnd(Fixtures.withoutValidation(1, 0.5))).isInstanceOf(IllegalStateException.class)
                .hasMessage("EarlyStopping monitors val_accuracy, but val_accuracy is not available at epoch 1: this fit has no "
                        + "validation data (give it validation data, or monitor accuracy instead)");
    }

    @Test
    void rejectsBadArgumentsEchoingThem() {
        assertThatThrownBy(() -> new EarlyStopping("val_loss", -0.1, 3, Monitor.Mode.AUTO, true))
                .hasMessage("EarlyStopping: minDelta must be a finite number >= 0, received: -0.1");
        assertThatThrownBy(() -> new EarlyStopping("val_loss", 0, -3, Monitor.Mode.AUTO, true))
                .hasMessage("EarlyStopping: patience must be >= 0, received: -3");
        assertThatThrownBy(() -> new EarlyStopping("vall_loss", 0, 3, Monitor.Mode.AUTO, true))
                .hasMessageStartingWith("EarlyStopping: unknown metric 'vall_loss'; expected one of loss, accuracy");
        assertThatThrownBy(() -> new EarlyStopping("learning_rate", 0, 3, Monitor.Mode.AUTO, true))
                .hasMessage("EarlyStopping: cannot tell whether learning_rate should be minimized or maximized (mode auto): "
                        + "pass mode min or max");
        assertThatThrownBy(() -> Monitor.Mode.parse("lowest")).hasMessage("mode must be one of min, max, auto, received: 'lowest'");
        assertThat(Monitor.Mode.parse(" Max ")).isEqualTo(Monitor.Mode.MAX);
    }

    @Test
    void parsesTheCliForm() {
        EarlyStopping a = EarlyStopping.parse("val_loss:5");
        assertThat(a.monitor()).isEqualTo(new Monitor("val_loss", Monitor.Mode.MIN));
        assertThat(a.patience()).isEqualTo(5);
        assertThat(a.minDelta()).isZero();
        assertThat(a.restoreBestWeights()).isTrue();
        EarlyStopping b = EarlyStopping.parse("val_accuracy:3:0.001");
        assertThat(b.monitor()).isEqualTo(new Monitor("val_accuracy", Monitor.Mode.MAX));
        assertThat(b.minDelta()).isEqualTo(0.001f);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "val_loss|--early-stopping 'val_loss': expected MONITOR:PATIENCE[:MIN_DELTA] (e.g. val_loss:5 or val_accuracy:5:0.001)",
        "val_loss:3:0:1|--early-stopping 'val_loss:3:0:1': expected MONITOR:PATIENCE[:MIN_DELTA] (e.g. val_loss:5 or val_accuracy:5:0.001)",
        "val_loss:x|--early-stopping 'val_loss:x': PATIENCE must be a whole number of epochs >= 0, received 'x'",
        "val_loss:3:-1|--early-stopping 'val_loss:3:-1': MIN_DELTA must be a number >= 0, received '-1'",
        "val_acc:3|--early-stopping 'val_acc:3': MONITOR must be one of val_loss, val_accuracy, loss, accuracy, received 'val_acc'",
        "learning_rate:3|--early-stopping 'learning_rate:3': MONITOR must be one of val_loss, val_accuracy, loss, accuracy, received 'learning_rate'",
    })
    void badCliFormsSayWhatWasExpected(String spec, String message) {
        assertThatThrownBy(() -> EarlyStopping.parse(spec)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    /** Copies the weights at the end of every epoch, so the test knows what each epoch's model was. */
    private static final class Snapshots implements Callback {
        final List<Map<String, float[]>> byEpoch = new ArrayList<>();
        private Sequential model;

        @Override
        public void onTrainBegin(org.jvision.training.TrainingControl control, int epochs, int batchesPerEpoch) {
            model = control.model();
        }

        @Override
        public void onEpochEnd(EpochLogs logs) {
            byEpoch.add(Fixtures.weights(model));
        }
    }

    @Test
    void inARealFitItStopsAndPutsBackTheBestEpochsWeights() {
        // 300 training images and a fast rate: validation loss turns up after a few epochs (with these
        // seeds it is lowest at epoch 6 and training stops after epoch 9; the test finds the best itself).
        Trainer trainer = new Trainer(Fixtures.tinyModel(5), new Adam(0.01f), new SoftmaxCrossEntropy());
        Snapshots snapshots = new Snapshots();
        int patience = 3;
        EarlyStopping stopping = new EarlyStopping("val_loss", 0, patience, Monitor.Mode.AUTO, true);
        History history = trainer.fit(Fixtures.Data.TRAIN, FitOptions.builder().epochs(40).batchSize(32).seed(3)
                .validation(Fixtures.Data.VALIDATION).callback(snapshots).callback(stopping).build());

        // The best epoch, found independently: the first lowest val_loss.
        int best = 1;
        for (EpochLogs e : history.epochs()) {
            if (e.valLoss() < history.epochs().get(best - 1).valLoss()) {
                best = e.epoch();
            }
        }
        String curve = history.toJson();
        assertThat(history.epochs()).as(curve).hasSize(best + patience).hasSizeLessThan(40);
        assertThat(stopping.bestEpoch()).isEqualTo(best);
        assertThat(history.stopReason()).isEqualTo(String.format(java.util.Locale.ROOT,
                "early stopping: val_loss did not improve for %d epochs (best %.4f at epoch %d)", patience,
                history.epochs().get(best - 1).valLoss(), best));
        Map<String, float[]> now = Fixtures.weights(trainer.model());
        assertThat(now).containsExactlyInAnyOrderEntriesOf(snapshots.byEpoch.get(best - 1));
        assertThat(now.get("dense_1.kernel")).isNotEqualTo(snapshots.byEpoch.get(history.epochs().size() - 1).get("dense_1.kernel"));
        // The restored model is the best one: evaluating it gives the best epoch's validation loss.
        assertThat(trainer.evaluate(Fixtures.Data.VALIDATION, 300).loss())
                .isCloseTo(history.epochs().get(best - 1).valLoss(), org.assertj.core.data.Offset.offset(1e-6));
    }
}
