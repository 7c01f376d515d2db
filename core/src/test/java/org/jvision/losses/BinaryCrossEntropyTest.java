package org.jvision.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.jvision.testing.Numerics.assertClose;
import static org.jvision.testing.Numerics.numericalGradient;
import static org.jvision.testing.Numerics.randomFloats;
import static org.jvision.testing.Numerics.toDouble;

import java.util.SplittableRandom;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.jvision.testing.Numerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Binary cross-entropy on logits: a known case, stability at huge logits, the reference by finite
 * differences, float32 vs reference, and the probabilities helper.
 */
class BinaryCrossEntropyTest {
    @Test
    void knownCase() {
        BinaryCrossEntropy bce = new BinaryCrossEntropy();
        assertThat(bce.name()).isEqualTo("binary_cross_entropy");
        // z = 0, t = 1: log 2; z = 2, t = 0: -log(1 - sigma(2)) = 2 + log(1 + e^-2) = 2.126928
        float loss = bce.forward(Tensor.of(new float[] {0, 2}, 2, 1), Tensor.of(new float[] {1, 0}, 2, 1));
        assertThat(loss).isCloseTo((0.6931472f + 2.126928f) / 2, within(1e-6f));
        // (sigma(z) - t) / count
        float[] g = bce.backward().toArray();
        assertThat(g[0]).isCloseTo(-0.25f, within(1e-7f));
        assertThat(g[1]).isCloseTo(0.8807971f / 2, within(1e-7f));
    }

    @Test
    void stableForHugeLogits() {
        BinaryCrossEntropy bce = new BinaryCrossEntropy();
        // confidently wrong both ways: 100 each, where log(sigma(-100)) in float would be -inf
        float loss = bce.forward(Tensor.of(new float[] {100, -100}, 1, 2), Tensor.of(new float[] {0, 1}, 1, 2));
        assertThat(loss).isEqualTo(100f);
        assertThat(bce.backward().toArray()).containsExactly(0.5f, -0.5f);
        // confidently right: log(1 + e^-100) = 3.7e-44, no rounding to a negative or NaN
        assertThat(bce.forward(Tensor.of(new float[] {100, -100}, 1, 2), Tensor.of(new float[] {1, 0}, 1, 2)))
                .isBetween(0f, 1e-40f);
    }

    @ParameterizedTest(name = "shape {0}")
    @ValueSource(strings = {"5,3", "2,3,3,2", "6,1"})
    void referenceByFiniteDifferencesAndLossAgainstReference(String dims) {
        Shape shape = LossTesting.shape(dims);
        int n = shape.size();
        SplittableRandom r = new SplittableRandom(n + 5);
        float[] z = randomFloats(r, n);
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] *= 4;
            t[i] = i % 3 == 0 ? (float) r.nextDouble() : r.nextInt(2); // hard labels and soft ones
        }
        double[] zd = toDouble(z, n);
        double[] td = toDouble(t, n);
        double[] analytic = ReferenceLosses.binaryCrossEntropyGradient(zd, td);
        Numerics.assertClose("reference gradient", analytic,
                numericalGradient(zd, v -> ReferenceLosses.binaryCrossEntropy(v, td)), 1e-6);

        BinaryCrossEntropy bce = new BinaryCrossEntropy();
        float loss = bce.forward(new Tensor(shape, z), new Tensor(shape, t));
        double expected = ReferenceLosses.binaryCrossEntropy(zd, td);
        assertThat((double) loss).isCloseTo(expected, within(Numerics.RELATIVE * expected));
        assertClose("gradient", bce.backward().data(), analytic, n, Numerics.RELATIVE);
    }

    @Test
    void probabilitiesAreTheSigmoid() {
        Tensor p = BinaryCrossEntropy.probabilities(Tensor.of(new float[] {0, 2, -100, 100}, 4, 1));
        assertThat(p.toArray()[0]).isEqualTo(0.5f);
        assertThat(p.toArray()[1]).isCloseTo(0.8807971f, within(1e-7f));
        assertThat(p.toArray()[2]).isBetween(0f, 1e-40f);
        assertThat(p.toArray()[3]).isEqualTo(1f);
        Tensor buffer = Tensor.zeros(8, 1);
        assertThat(BinaryCrossEntropy.probabilities(Tensor.zeros(2, 1), buffer).data()).isSameAs(buffer.data());
    }

    @Test
    void reusesTheGradientBufferAndReportsMisuse() {
        LossTesting.checkReuseAndMisuse(new BinaryCrossEntropy());
    }
}
