package org.jvision.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.jvision.data.Dataset;
import org.jvision.data.FashionMnist;
import org.jvision.data.Splits;
import org.jvision.data.TrainTest;
import org.jvision.layers.Layer;
import org.jvision.layers.Parameter;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.model.Sequential;
import org.jvision.optimizers.Adam;
import org.jvision.regularizers.Regularization;
import org.jvision.regularizers.WeightPenalty;
import org.jvision.tensor.Tensor;
import org.jvision.zoo.Zoo;
import org.junit.jupiter.api.Test;

/**
 * What the regularizers do to a real model on a small data set (500 Fashion-MNIST images, mlp,
 * Adam, 3 epochs): L2 shrinks the weights, L1 makes a clear share of them exactly zero, and dropout
 * and batch norm change nothing at inference.
 */
class RegularizationEffectsTest {
    private static final TrainTest SAMPLE = FashionMnist.embeddedSample();
    private static final Dataset TRAIN = Splits.sample(SAMPLE.train(), 50, 7);
    private static final Dataset TEST = Splits.sample(SAMPLE.test(), 20, 7);

    private static Trainer trained(WeightPenalty penalty, Zoo.Options options) {
        Sequential m = Zoo.create("mlp", TRAIN.imageShape(), 10, options).build(5);
        if (penalty != null) {
            m.layers().forEach(l -> l.setWeightPenalty(penalty));
        }
        Trainer t = new Trainer(m, new Adam(), new SoftmaxCrossEntropy());
        t.fit(TRAIN, FitOptions.builder().epochs(3).batchSize(32).seed(2).build());
        return t;
    }

    private static double squaredNorm(Sequential m) {
        double sum = 0;
        for (Parameter p : m.parameters()) {
            if (p.regularizable()) {
                for (float v : p.value().toArray()) {
                    sum += (double) v * v;
                }
            }
        }
        return sum;
    }

    private static double zeroShare(Sequential m) {
        long zeros = 0;
        long all = 0;
        for (Parameter p : m.parameters()) {
            if (p.regularizable()) {
                for (float v : p.value().toArray()) {
                    zeros += v == 0f ? 1 : 0;
                    all++;
                }
            }
        }
        return (double) zeros / all;
    }

    @Test
    void l2ShrinksTheWeightNormAndL1ZeroesAClearShareOfWeights() {
        Trainer plain = trained(null, Zoo.Options.defaults());
        Trainer l2 = trained(WeightPenalty.l2(0.05), Zoo.Options.defaults());
        Trainer l1 = trained(WeightPenalty.l1(1e-3), Zoo.Options.defaults());
        double plainNorm = squaredNorm(plain.model());
        assertThat(squaredNorm(l2.model())).isLessThan(0.7 * plainNorm);
        assertThat(zeroShare(plain.model())).isLessThan(0.001);
        assertThat(zeroShare(l1.model())).isGreaterThan(0.1); // 19% after these 48 steps
        // Still a classifier, not a model regularized to nothing.
        assertThat(l1.evaluate(TEST, 256).accuracy()).isGreaterThan(0.5);
        assertThat(l2.evaluate(TEST, 256).accuracy()).isGreaterThan(0.5);
    }

    @Test
    void theReportedTrainingLossIncludesThePenalty() {
        Sequential m = Zoo.mlp(TRAIN.imageShape(), 10).build(5);
        m.layers().forEach(l -> l.setWeightPenalty(new WeightPenalty(1e-3, 1e-2)));
        Trainer t = new Trainer(m, new Adam(), new SoftmaxCrossEntropy());
        Tensor images = new Tensor(TRAIN.imageShape().withBatch(8));
        Tensor targets = new Tensor(org.jvision.tensor.Shape.of(8, 10));
        int[] order = {0, 1, 2, 3, 4, 5, 6, 7};
        TRAIN.copyBatch(order, 0, 8, images, targets);
        double penalty = Regularization.penaltyLoss(m.parameters());
        float dataLoss = new SoftmaxCrossEntropy().forward(m.forward(images, false, m.layers().size() - 1), targets);
        float reported = t.trainStep(images, targets).loss();
        assertThat(penalty).isGreaterThan(0.1);
        assertThat((double) reported).isCloseTo(dataLoss + penalty, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void dropoutAndBatchNormChangeNothingAtInference() {
        Trainer t = trained(null, new Zoo.Options(0.5, true, 0.2));
        assertThat(t.model().layers().stream().map(Layer::type))
                .contains("Dropout", "BatchNormalization", "GaussianNoise");
        Map<String, float[]> before = new java.util.TreeMap<>();
        t.model().namedState().forEach((k, v) -> before.put(k, v.value().toArray()));
        float[] first = t.predict(TEST.images(), 64).toArray();
        Evaluation a = t.evaluate(TEST, 64);
        float[] second = t.predict(TEST.images(), 64).toArray();
        Evaluation b = t.evaluate(TEST, 64);
        assertThat(second).containsExactly(first);
        assertThat(b).isEqualTo(a);
        t.model().namedState().forEach((k, v) -> assertThat(v.value().toArray()).as(k).containsExactly(before.get(k)));
        // In training mode the same model gives other outputs each time: the regularizers are live there.
        Tensor x = TEST.images();
        float[] train1 = t.model().forward(x, true).toArray();
        float[] train2 = t.model().forward(x, true).toArray();
        assertThat(train2).isNotEqualTo(train1);
    }
}
