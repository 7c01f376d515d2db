package org.jvision.training.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Percentage;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.optimizers.Adam;
import org.jvision.optimizers.SGD;
import org.jvision.optimizers.schedules.CosineDecay;
import org.jvision.optimizers.schedules.StepDecay;
import org.jvision.optimizers.schedules.Warmup;
import org.jvision.training.EpochLogs;
import org.jvision.training.FitOptions;
import org.jvision.training.History;
import org.jvision.training.Trainer;
import org.junit.jupiter.api.Test;

class LearningRateSchedulerTest {
    @Test
    void setsTheScheduledRateBeforeEveryBatch() {
        SGD sgd = new SGD(0.1f);
        LearningRateScheduler scheduler = new LearningRateScheduler(new Warmup(1, new StepDecay(1, 0.5f)));
        new Fixtures.Control(sgd).begin(scheduler);
        assertThat(scheduler.initialLearningRate()).isEqualTo(0.1f);
        // Epoch 1 (4 batches) warms up: 0.025, 0.05, 0.075, 0.1; then 0.1 for epoch 2, 0.05 for epoch 3.
        double[] expected = {0.025, 0.05, 0.075, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05};
        for (int i = 0; i < expected.length; i++) {
            scheduler.onBatchBegin(i / 4 + 1, i % 4 + 1);
            assertThat((double) sgd.learningRate()).as("step %d", i).isCloseTo(expected[i], Percentage.withPercentage(1e-4));
        }
    }

    @Test
    void aRestoredSchedulerKeepsTheOriginalInitialRate() {
        StepDecay schedule = new StepDecay(1, 0.5f);
        SGD first = new SGD(0.08f);
        LearningRateScheduler original = new LearningRateScheduler(schedule);
        new Fixtures.Control(first).begin(original);
        for (int epoch = 1; epoch <= 3; epoch++) {
            for (int batch = 1; batch <= 4; batch++) {
                original.onBatchBegin(epoch, batch);
            }
        }
        var saved = Fixtures.copyOf(original.saveState());
        assertThat(saved.number("initial_learning_rate")).isEqualTo(0.08f);

        // The resumed run's optimizer comes back with the decayed rate: the schedule must not start from it.
        SGD resumedOptimizer = new SGD(first.learningRate());
        LearningRateScheduler resumed = new LearningRateScheduler(schedule);
        resumed.restoreState(saved);
        new Fixtures.Control(resumedOptimizer).begin(resumed);
        for (int epoch = 4; epoch <= 7; epoch++) {
            for (int batch = 1; batch <= 4; batch++) {
                original.onBatchBegin(epoch, batch);
                resumed.onBatchBegin(epoch, batch);
                assertThat(resumedOptimizer.learningRate()).isEqualTo(first.learningRate());
            }
        }
        assertThat(resumedOptimizer.learningRate()).isEqualTo(0.08f / 64);
    }

    @Test
    void anEmptyStateRestoresNothing() {
        LearningRateScheduler scheduler = new LearningRateScheduler(new StepDecay(1, 0.5f));
        var before = scheduler.saveState();
        assertThat(before.numbers()).isEmpty();
        scheduler.restoreState(before);
        new Fixtures.Control(new SGD(0.3f)).begin(scheduler);
        assertThat(scheduler.initialLearningRate()).isEqualTo(0.3f);
    }

    @Test
    void aLambdaIsASchedule() {
        SGD sgd = new SGD(0.1f);
        LearningRateScheduler scheduler = new LearningRateScheduler((initial, epoch, batch, batches) -> initial / (epoch + 1));
        new Fixtures.Control(sgd).begin(scheduler);
        scheduler.onBatchBegin(4, 1);
        assertThat(sgd.learningRate()).isEqualTo(0.025f);
        assertThat(scheduler.schedule().spec()).isEqualTo("custom");
    }

    @Test
    void aRateThatIsNotPositiveIsAClearError() {
        LearningRateScheduler scheduler = new LearningRateScheduler(new CosineDecay(2, 0f));
        new Fixtures.Control(new SGD(0.1f)).begin(scheduler);
        scheduler.onBatchBegin(2, 4);
        assertThatThrownBy(() -> scheduler.onBatchBegin(3, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("learning-rate schedule 'cosine' gave 0.0 at epoch 3, batch 1 (initial rate 0.1); "
                        + "the optimizer needs a positive rate");
    }

    @Test
    void inARealFitTheHistoryShowsTheDecay() {
        Trainer trainer = new Trainer(Fixtures.tinyModel(3), new Adam(0.002f), new SoftmaxCrossEntropy());
        History history = trainer.fit(Fixtures.Data.TRAIN, FitOptions.builder().epochs(3).batchSize(100)
                .callback(new LearningRateScheduler(new StepDecay(1, 0.5f))).build());
        List<Double> rates = new ArrayList<>();
        for (EpochLogs e : history.epochs()) {
            rates.add(e.learningRate());
        }
        assertThat(rates).containsExactly((double) 0.002f, (double) 0.001f, (double) 0.0005f);
    }
}
