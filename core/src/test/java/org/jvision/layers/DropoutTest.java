package org.jvision.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jvision.testing.Numerics.assertClose;
import static org.jvision.testing.Numerics.numericalGradient;
import static org.jvision.testing.Numerics.randomFloats;
import static org.jvision.testing.Numerics.toDouble;
import static org.jvision.testing.Numerics.weightedSum;

import java.util.SplittableRandom;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.jvision.testing.Numerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inverted dropout: identity at inference; in training the share of zeros is the rate, kept values
 * are x / keep, the mask is a function of the seed, and backward uses the same mask.
 */
class DropoutTest {
    private static Dropout built(double rate, Shape shape, long seed) {
        Dropout d = new Dropout("drop1", rate);
        d.build(shape, new SplittableRandom(seed));
        return d;
    }

    /** Inputs in [0.5, 1.5] or [-1.5, -0.5]: never 0, so a zero output means a dropped value. */
    private static Tensor nonZeroInput(Shape shape, long seed) {
        float[] x = randomFloats(new SplittableRandom(seed), shape.size());
        for (int i = 0; i < x.length; i++) {
            x[i] = x[i] < 0 ? x[i] - 0.5f : x[i] + 0.5f;
        }
        return new Tensor(shape, x);
    }

    private static boolean[] keptMask(Tensor y) {
        boolean[] kept = new boolean[y.size()];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = y.data()[i] != 0f;
        }
        return kept;
    }

    @Test
    void inferenceIsExactlyTheIdentity() {
        Dropout d = built(0.5, Shape.of(4, 5, 3), 1);
        Tensor x = nonZeroInput(Shape.of(2, 4, 5, 3), 2);
        float[] before = x.toArray();
        Tensor y = d.forward(x, false);
        assertThat(y.toArray()).containsExactly(before);
        assertThat(y.shape()).isEqualTo(x.shape());
        Tensor dy = nonZeroInput(y.shape(), 3);
        assertThat(d.backward(dy).toArray()).containsExactly(dy.toArray());
    }

    @ParameterizedTest(name = "rate {0}")
    @ValueSource(doubles = {0.1, 0.3, 0.5, 0.8})
    void trainingDropsTheRateAndScalesKeptValuesByOneOverKeep(double rate) {
        Shape shape = Shape.of(20, 10, 10, 5); // 100,000 units per batch with the batch axis
        Dropout d = built(rate, shape.dropBatch(), 42);
        Tensor x = nonZeroInput(shape, 4);
        Tensor y = d.forward(x, true);
        float keep = (float) (1 - rate);
        int zeros = 0;
        for (int i = 0; i < y.size(); i++) {
            if (y.data()[i] == 0f) {
                zeros++;
            } else {
                assertThat(y.data()[i]).isEqualTo(x.data()[i] / keep);
            }
        }
        // binomial: standard deviation sqrt(rate (1 - rate) / n) <= 0.0016; 0.01 is over 6 of them
        assertThat((double) zeros / y.size()).isCloseTo(rate, org.assertj.core.api.Assertions.within(0.01));
    }

    @Test
    void backwardUsesTheSameMaskAndMatchesTheReference() {
        Shape shape = Shape.of(3, 7, 5, 4);
        double rate = 0.4;
        Dropout d = built(rate, shape.dropBatch(), 9);
        Tensor x = nonZeroInput(shape, 5);
        Tensor y = d.forward(x, true);
        boolean[] kept = keptMask(y);
        double keep = 1 - rate;
        int n = shape.size();
        assertClose("dropout forward", y.data(), ReferenceLayers.dropout(toDouble(x.data(), n), kept, keep), n,
                Numerics.RELATIVE);
        Tensor dy = nonZeroInput(shape, 6);
        Tensor dx = d.backward(dy);
        for (int i = 0; i < n; i++) {
            assertThat(dx.data()[i]).isEqualTo(kept[i] ? dy.data()[i] / (float) keep : 0f);
        }
        assertClose("dropout backward", dx.data(),
                ReferenceLayers.dropoutBackward(toDouble(dy.data(), n), kept, keep), n, Numerics.RELATIVE);
    }

    @Test
    void referenceGradientMatchesFiniteDifferences() {
        SplittableRandom random = new SplittableRandom(8);
        int n = 2 * 3 * 3 * 5;
        boolean[] kept = new boolean[n];
        for (int i = 0; i < n; i++) {
            kept[i] = random.nextDouble() < 0.7;
        }
        double[] x = toDouble(randomFloats(random, n), n);
        double[] w = toDouble(randomFloats(random, n), n);
        double[] numeric = numericalGradient(x, v -> weightedSum(ReferenceLayers.dropout(v, kept, 0.7), w));
        Numerics.assertClose("dropout reference gradient", ReferenceLayers.dropoutBackward(w, kept, 0.7),
                numeric, 1e-6);
    }

    @Test
    void sameSeedGivesSameMasksAndBatchesGetFreshOnes() {
        Shape shape = Shape.of(8, 6, 6, 3);
        Tensor x = nonZeroInput(shape, 7);
        Dropout a = built(0.5, shape.dropBatch(), 123);
        Dropout b = built(0.5, shape.dropBatch(), 123);
        Dropout other = built(0.5, shape.dropBatch(), 124);
        boolean[] first = keptMask(a.forward(x, true));
        assertThat(keptMask(b.forward(x, true))).containsExactly(first);
        assertThat(keptMask(other.forward(x, true))).isNotEqualTo(first);
        boolean[] second = keptMask(a.forward(x, true));
        assertThat(second).isNotEqualTo(first);
        assertThat(keptMask(b.forward(x, true))).containsExactly(second);
    }

    @Test
    void settingTheBatchCountReplaysTheMasksAResumedRunNeeds() {
        Shape shape = Shape.of(4, 5, 3);
        Tensor x = nonZeroInput(shape.withBatch(2), 7);
        Dropout uninterrupted = built(0.5, shape, 77);
        boolean[][] masks = new boolean[4][];
        for (int i = 0; i < 4; i++) {
            masks[i] = keptMask(uninterrupted.forward(x, true));
        }
        assertThat(uninterrupted.batchesDrawn()).isEqualTo(4);
        Dropout resumed = built(0.5, shape, 77);
        resumed.setBatchesDrawn(2);
        assertThat(keptMask(resumed.forward(x, true))).containsExactly(masks[2]);
        assertThat(keptMask(resumed.forward(x, true))).containsExactly(masks[3]);
        assertThat(resumed.forward(x, false).toArray()).containsExactly(x.toArray()); // inference draws nothing
        assertThat(resumed.batchesDrawn()).isEqualTo(4);
    }

    @Test
    void rateZeroKeepsEverythingInTraining() {
        Dropout d = built(0, Shape.of(5), 1);
        Tensor x = nonZeroInput(Shape.of(3, 5), 2);
        assertThat(d.forward(x, true).toArray()).containsExactly(x.toArray());
        Tensor dy = nonZeroInput(Shape.of(3, 5), 3);
        assertThat(d.backward(dy).toArray()).containsExactly(dy.toArray());
    }

    @Test
    void reusesBuffersForASmallerLastBatch() {
        Dropout d = built(0.5, Shape.of(10), 1);
        float[] out = d.forward(nonZeroInput(Shape.of(16, 10), 1), true).data();
        float[] grad = d.backward(nonZeroInput(Shape.of(16, 10), 2)).data();
        Tensor x = nonZeroInput(Shape.of(5, 10), 3);
        Tensor y = d.forward(x, true);
        assertThat(y.data()).isSameAs(out);
        assertThat(y.shape()).isEqualTo(Shape.of(5, 10));
        boolean[] kept = keptMask(y);
        Tensor dx = d.backward(nonZeroInput(Shape.of(5, 10), 4));
        assertThat(dx.data()).isSameAs(grad);
        for (int i = 0; i < 50; i++) {
            assertThat(dx.data()[i] != 0f).isEqualTo(kept[i]);
        }
    }

    @ParameterizedTest(name = "rate {0}")
    @ValueSource(doubles = {1.5, 1.0, -0.1, Double.NaN})
    void rejectsRatesOutsideZeroToOne(double rate) {
        assertThatThrownBy(() -> new Dropout("drop1", rate)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Dropout 'drop1': rate must be in [0, 1), received: " + rate);
    }

    @Test
    void misuseIsReportedAndConfigRoundTrips() {
        Dropout d = new Dropout("drop1", new Dropout.Config(0.25));
        assertThat(d.config()).isEqualTo(new Dropout.Config(0.25));
        assertThat(d.rate()).isEqualTo(0.25);
        d.build(Shape.of(3), new SplittableRandom(1));
        assertThatThrownBy(() -> d.backward(Tensor.zeros(2, 3))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Dropout 'drop1'");
        d.forward(Tensor.zeros(2, 3), true);
        assertThatThrownBy(() -> d.backward(Tensor.zeros(4, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[4, 3]");
    }
}
