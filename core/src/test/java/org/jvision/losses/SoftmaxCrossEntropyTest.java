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
 * Softmax cross-entropy on logits: a known case, stability at huge logits, the reference by finite
 * differences (one-hot, soft and unnormalized targets; rank 2 and 4), float32 vs reference, and
 * the probabilities helper.
 */
class SoftmaxCrossEntropyTest {
    @Test
    void knownCase() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        assertThat(ce.name()).isEqualTo("softmax_cross_entropy");
        // row 0: -log softmax([1,2,3])[2] = -log 0.66524096 = 0.40760596; row 1: uniform over 3, log 3
        float loss = ce.forward(Tensor.of(new float[] {1, 2, 3, 0, 0, 0}, 2, 3),
                Tensor.of(new float[] {0, 0, 1, 1, 0, 0}, 2, 3));
        assertThat(loss).isCloseTo((0.40760596f + 1.0986123f) / 2, within(1e-6f));
        // (softmax - target) / batch
        float[] g = ce.backward().toArray();
        float[] expected = {0.09003057f / 2, 0.24472847f / 2, (0.66524096f - 1) / 2, (1f / 3 - 1) / 2, 1f / 6, 1f / 6};
        for (int i = 0; i < 6; i++) {
            assertThat(g[i]).as("gradient[%d]", i).isCloseTo(expected[i], within(1e-7f));
        }
    }

    @Test
    void stableForHugeLogits() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        // the target class is 1000 below the best: -log p = 1000 (+ log(1 + e^-1000 + e^-2000))
        float loss = ce.forward(Tensor.of(new float[] {1000, 0, -1000}, 1, 3), Tensor.of(new float[] {0, 1, 0}, 1, 3));
        assertThat(loss).isEqualTo(1000f);
        assertThat(ce.backward().toArray()).containsExactly(1f, -1f, 0f);
        // and a confident right answer costs nothing
        assertThat(ce.forward(Tensor.of(new float[] {1000, 0, -1000}, 1, 3), Tensor.of(new float[] {1, 0, 0}, 1, 3)))
                .isEqualTo(0f);
    }

    @ParameterizedTest(name = "shape and targets {0}")
    @ValueSource(strings = {"4,5,onehot", "4,5,soft", "3,1,onehot", "2,3,3,4,onehot", "2,3,3,4,soft", "3,6,unnormalized"})
    void referenceByFiniteDifferencesAndLossAgainstReference(String spec) {
        String[] parts = spec.split(",");
        String kind = parts[parts.length - 1];
        Shape shape = LossTesting.shape(spec.substring(0, spec.lastIndexOf(',')));
        int size = shape.size();
        int n = shape.dim(-1);
        SplittableRandom r = new SplittableRandom(size);
        float[] z = randomFloats(r, size);
        for (int i = 0; i < size; i++) {
            z[i] *= 3;
        }
        Tensor targets = switch (kind) {
            case "onehot" -> oneHot(shape, r);
            case "soft" -> LossTesting.distributions(shape, r);
            default -> new Tensor(shape, toFloat(r, size)); // any weights: the gradient is p * sum(t) - t
        };
        double[] zd = toDouble(z, size);
        double[] td = toDouble(targets.data(), size);
        double[] analytic = ReferenceLosses.crossEntropyGradient(zd, td, n);
        Numerics.assertClose("reference gradient", analytic,
                numericalGradient(zd, v -> ReferenceLosses.crossEntropy(v, td, n)), 1e-6);

        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        float loss = ce.forward(new Tensor(shape, z), targets);
        double expected = ReferenceLosses.crossEntropy(zd, td, n);
        assertThat((double) loss).isCloseTo(expected, within(Numerics.RELATIVE * Math.max(expected, 1e-3)));
        assertClose("gradient", ce.backward().data(), analytic, size, Numerics.RELATIVE);
    }

    private static float[] toFloat(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextDouble();
        }
        return a;
    }

    private static Tensor oneHot(Shape shape, SplittableRandom r) {
        int n = shape.dim(-1);
        Tensor t = new Tensor(shape);
        for (int off = 0; off < t.size(); off += n) {
            t.data()[off + r.nextInt(n)] = 1f;
        }
        return t;
    }

    @Test
    void probabilitiesAreTheSoftmaxOverTheLastAxis() {
        Tensor p = SoftmaxCrossEntropy.probabilities(Tensor.of(new float[] {1, 2, 3, 1001, 1002, 1003}, 2, 3));
        float[] v = p.toArray();
        float[] expected = {0.09003057f, 0.24472847f, 0.66524096f};
        for (int i = 0; i < 6; i++) {
            assertThat(v[i]).isCloseTo(expected[i % 3], within(1e-7f));
        }
        Tensor buffer = Tensor.zeros(4, 3);
        Tensor reused = SoftmaxCrossEntropy.probabilities(Tensor.of(new float[] {0, 0, 0}, 1, 3), buffer);
        assertThat(reused.data()).isSameAs(buffer.data());
        assertThat(reused.shape()).isEqualTo(Shape.of(1, 3));
        assertThat(reused.toArray()).containsOnly(1f / 3);
    }

    @Test
    void reusesTheGradientBufferAndReportsMisuse() {
        LossTesting.checkReuseAndMisuse(new SoftmaxCrossEntropy());
    }
}
