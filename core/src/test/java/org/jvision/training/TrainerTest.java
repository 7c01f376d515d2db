package org.jvision.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jvision.data.Dataset;
import org.jvision.data.FashionMnist;
import org.jvision.data.Splits;
import org.jvision.data.TrainTest;
import org.jvision.layers.Parameter;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.model.Sequential;
import org.jvision.optimizers.Adam;
import org.jvision.optimizers.SGD;
import org.jvision.tensor.Tensor;
import org.jvision.zoo.Zoo;
import org.junit.jupiter.api.Test;

class TrainerTest {
    private static final TrainTest SAMPLE = FashionMnist.embeddedSample();
    /** 1,000 training images (100 per class) keep these tests quick. */
    private static final Dataset SMALL = Splits.sample(SAMPLE.train(), 100, 5);
    /** 200 test images for the slower vgg-small cases. */
    private static final Dataset FEW = Splits.sample(SAMPLE.test(), 20, 5);

    private static Trainer trainer(String model, long seed) {
        Sequential m = Zoo.create(model, SMALL.imageShape(), SMALL.classCount()).build(seed);
        return new Trainer(m, new Adam(), new SoftmaxCrossEntropy());
    }

    private static List<Double> withoutTimings(History h) {
        List<Double> values = new ArrayList<>();
        for (EpochLogs e : h.epochs()) {
            values.add(e.loss());
            values.add(e.accuracy());
            values.add(e.valLoss());
            values.add(e.valAccuracy());
        }
        return values;
    }

    @Test
    void lossFallsAndTheModelLearns() {
        Trainer t = trainer("mlp", 1);
        double before = t.evaluate(SAMPLE.test(), 256).accuracy();
        History h = t.fit(SMALL, FitOptions.builder().epochs(3).batchSize(32).seed(1).validation(SAMPLE.test()).build());
        assertThat(h.epochs()).hasSize(3);
        assertThat(h.epochs().get(2).loss()).isLessThan(h.epochs().get(0).loss());
        assertThat(h.last().valAccuracy()).isGreaterThan(before + 0.3).isGreaterThan(0.65);
    }

    @Test
    void sameSeedSameHistoryAndWeights() {
        FitOptions options = FitOptions.builder().epochs(2).batchSize(50).seed(9).validation(FEW).build();
        Trainer a = trainer("vgg-small", 4);
        Trainer b = trainer("vgg-small", 4);
        Dataset tiny = Splits.sample(SAMPLE.train(), 20, 3);
        History ha = a.fit(tiny, options);
        History hb = b.fit(tiny, options);
        assertThat(withoutTimings(hb)).isEqualTo(withoutTimings(ha));
        Map<String, Parameter> wa = a.model().namedState();
        Map<String, Parameter> wb = b.model().namedState();
        for (String name : wa.keySet()) {
            assertThat(wb.get(name).value().toArray()).as(name).isEqualTo(wa.get(name).value().toArray());
        }
        History other = trainer("vgg-small", 4).fit(tiny, FitOptions.builder().epochs(2).batchSize(50).seed(10)
                .validation(FEW).build());
        assertThat(withoutTimings(other)).isNotEqualTo(withoutTimings(ha));
    }

    @Test
    void evaluateAndPredictChangeNothing() {
        // vgg-small has dropout and batch norm: inference must neither drop units nor move statistics.
        Trainer t = trainer("vgg-small", 2);
        Dataset tiny = Splits.sample(SAMPLE.train(), 10, 3);
        t.fit(tiny, FitOptions.builder().epochs(1).batchSize(25).build());
        Map<String, float[]> before = snapshot(t.model());
        Evaluation first = t.evaluate(FEW, 128);
        Tensor p1 = t.predict(FEW.images(), 64);
        Evaluation second = t.evaluate(FEW, 300);
        Tensor p2 = t.predict(FEW.images(), 150);
        assertThat(snapshot(t.model())).containsExactlyInAnyOrderEntriesOf(before);
        assertThat(second.accuracy()).isEqualTo(first.accuracy());
        assertThat(second.loss()).isCloseTo(first.loss(), org.assertj.core.data.Offset.offset(1e-5));
        assertThat(p2.toArray()).containsExactly(p1.toArray(), org.assertj.core.data.Offset.offset(1e-6f));
        float[] row = java.util.Arrays.copyOf(p1.data(), 10);
        double sum = 0;
        for (float v : row) {
            sum += v;
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    private static Map<String, float[]> snapshot(Sequential model) {
        Map<String, float[]> m = new java.util.TreeMap<>();
        model.namedState().forEach((k, v) -> m.put(k, v.value().toArray()));
        return m;
    }

    @Test
    void divergingLossStopsWithTheLastFiniteWeights() {
        Sequential m = Zoo.mlp(SMALL.imageShape(), 10).build(1);
        Trainer t = new Trainer(m, new SGD(1e6f), new SoftmaxCrossEntropy());
        assertThatThrownBy(() -> t.fit(SMALL, FitOptions.builder().epochs(5).batchSize(10).build()))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("epoch").hasMessageContaining("batch").hasMessageContaining("learning rate");
    }

    /** A loss that is finite while its gradient overflows: the guard must keep the step off the weights. */
    @Test
    void anOverflowingGradientStopsTrainingBeforeTheStep() {
        Sequential m = Zoo.mlp(SMALL.imageShape(), 10).build(1);
        SoftmaxCrossEntropy inner = new SoftmaxCrossEntropy();
        org.jvision.losses.Loss overflowing = new org.jvision.losses.Loss() {
            @Override
            public String name() {
                return "overflowing";
            }

            @Override
            public float forward(Tensor predictions, Tensor targets) {
                return inner.forward(predictions, targets);
            }

            @Override
            public Tensor backward() {
                Tensor g = inner.backward();
                g.data()[0] = Float.POSITIVE_INFINITY;
                return g;
            }
        };
        Map<String, float[]> before = snapshot(m);
        Trainer t = new Trainer(m, new Adam(), overflowing);
        assertThatThrownBy(() -> t.fit(SMALL, FitOptions.builder().epochs(1).batchSize(10).build()))
                .isInstanceOf(TrainingDivergedException.class).hasMessageContaining("a gradient became infinite or NaN").hasMessageContaining("epoch 1, batch 1");
        assertThat(snapshot(m)).containsExactlyInAnyOrderEntriesOf(before);
    }

    /**
     * Batch, stochastic and mini-batch gradient descent are one loop with three batch sizes: the
     * whole set (one step an epoch), 1 (a step per example) and anything between.
     */
    @Test
    void batchStochasticAndMiniBatchDescentDifferOnlyInStepsPerEpoch() {
        Dataset twenty = Splits.sample(SAMPLE.train(), 2, 1);
        for (int[] sizeAndSteps : new int[][] {{20, 1}, {1, 20}, {8, 3}}) {
            Trainer t = new Trainer(Zoo.mlp(twenty.imageShape(), 10).build(1), new SGD(0.01f), new SoftmaxCrossEntropy());
            int[] steps = {0};
            t.fit(twenty, FitOptions.builder().epochs(2).batchSize(sizeAndSteps[0]).callback(new Callback() {
                @Override
                public void onBatchEnd(int epoch, int batch, double runningLoss, double runningAccuracy) {
                    steps[0]++;
                }
            }).build());
            assertThat(steps[0]).as("batch size %d", sizeAndSteps[0]).isEqualTo(2 * sizeAndSteps[1]);
        }
    }

    /** Transfer learning's frozen layers: the optimizer leaves them alone while the rest learns. */
    @Test
    void frozenLayersKeepTheirWeightsAndScaledOnesMoveLess() {
        Sequential m = Zoo.mlp(SMALL.imageShape(), 10).build(1);
        m.layers().get(1).setTrainable(false); // the first dense layer
        Map<String, float[]> before = snapshot(m);
        new Trainer(m, new SGD(0.05f), new SoftmaxCrossEntropy()).fit(SMALL, FitOptions.builder().epochs(1).batchSize(50).build());
        Map<String, float[]> after = snapshot(m);
        assertThat(after.get("dense_1.kernel")).containsExactly(before.get("dense_1.kernel"));
        assertThat(after.get("dense_1.bias")).containsExactly(before.get("dense_1.bias"));
        assertThat(after.get("dense_2.kernel")).isNotEqualTo(before.get("dense_2.kernel"));
        assertThat(m.layers().get(1).isTrainable()).isFalse();
        m.layers().get(1).setTrainable(true);
        assertThat(m.layers().get(1).isTrainable()).isTrue();
    }

    @Test
    void callbacksSeeEveryBatchAndCanStopTraining() {
        Trainer t = trainer("mlp", 1);
        List<String> events = new ArrayList<>();
        Callback stopAfterTwo = new Callback() {
            private TrainingControl control;

            @Override
            public void onTrainBegin(TrainingControl control, int epochs, int batchesPerEpoch) {
                this.control = control;
                events.add("begin " + epochs + "x" + batchesPerEpoch);
            }

            @Override
            public void onBatchEnd(int epoch, int batch, double runningLoss, double runningAccuracy) {
                events.add("batch");
            }

            @Override
            public void onEpochEnd(EpochLogs logs) {
                if (logs.epoch() == 2) {
                    control.requestStop("enough");
                }
            }
        };
        History h = t.fit(SMALL, FitOptions.builder().epochs(10).batchSize(300).callback(stopAfterTwo).build());
        assertThat(h.epochs()).hasSize(2);
        assertThat(h.stopReason()).isEqualTo("enough");
        assertThat(events).startsWith("begin 10x4").filteredOn("batch"::equals).hasSize(8);
        assertThat(h.toJson()).contains("\"stopped_early\"", "\"val_loss\" : null");
    }

    @Test
    void rejectsDataThatDoesNotFitTheModel() {
        Sequential m = Zoo.mlp(org.jvision.tensor.Shape.of(32, 32, 3), 10).build(1);
        Trainer t = new Trainer(m, new Adam(), new SoftmaxCrossEntropy());
        assertThatThrownBy(() -> t.fit(SMALL, FitOptions.builder().epochs(1).build()))
                .hasMessageContaining("[28, 28, 1]").hasMessageContaining("[32, 32, 3]");
    }
}
