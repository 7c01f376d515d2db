package org.jvision.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.jvision.testing.Numerics.numericalGradient;
import static org.jvision.testing.Numerics.randomFloats;
import static org.jvision.testing.Numerics.toDouble;
import static org.jvision.testing.Numerics.weightedSum;

import java.util.SplittableRandom;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.jvision.testing.Numerics;
import org.junit.jupiter.api.Test;

/**
 * Gaussian noise injection: identity at inference; in training noise of mean 0 and the configured
 * standard deviation, a function of the seed and the batch count; gradient passed through.
 */
class GaussianNoiseTest {
    private static GaussianNoise built(double stddev, Shape shape, long seed) {
        GaussianNoise g = new GaussianNoise("noise1", new GaussianNoise.Config(stddev));
        g.build(shape, new SplittableRandom(seed));
        return g;
    }

    private static Tensor input(Shape shape, long seed) {
        return new Tensor(shape, randomFloats(new SplittableRandom(seed), shape.size()));
    }

    @Test
    void inferenceIsExactlyTheIdentity() {
        GaussianNoise g = built(0.5, Shape.of(4, 4, 2), 1);
        Tensor x = input(Shape.of(3, 4, 4, 2), 2);
        assertThat(g.forward(x, false)).isSameAs(x);
        assertThat(g.batchesDrawn()).isZero();
    }

    @Test
    void trainingAddsNoiseWithTheConfiguredMeanAndDeviation() {
        Shape shape = Shape.of(50, 20, 20, 5); // 100,000 values
        GaussianNoise g = built(0.3, shape.dropBatch(), 42);
        Tensor x = input(shape, 3);
        float[] before = x.toArray();
        Tensor y = g.forward(x, true);
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < y.size(); i++) {
            double n = y.data()[i] - before[i];
            sum += n;
            squares += n * n;
        }
        double mean = sum / y.size();
        double std = Math.sqrt(squares / y.size() - mean * mean);
        // The mean's standard error is 0.3 / sqrt(1e5) ~ 0.001; the deviation's about 0.0007.
        assertThat(mean).isCloseTo(0, within(0.006));
        assertThat(std).isCloseTo(0.3, within(0.005));
        assertThat(x.toArray()).containsExactly(before); // the input is not modified
    }

    @Test
    void sameSeedSameNoiseFreshNoiseEachBatchAndReplayableByBatchCount() {
        Shape shape = Shape.of(6, 3);
        Tensor x = input(shape.withBatch(4), 5);
        GaussianNoise a = built(1, shape, 9);
        GaussianNoise b = built(1, shape, 9);
        float[] first = a.forward(x, true).toArray();
        assertThat(b.forward(x, true).toArray()).containsExactly(first);
        float[] second = a.forward(x, true).toArray();
        assertThat(second).isNotEqualTo(first);
        GaussianNoise resumed = built(1, shape, 9);
        resumed.setBatchesDrawn(1);
        assertThat(resumed.forward(x, true).toArray()).containsExactly(second);
        assertThat(built(1, shape, 10).forward(x, true).toArray()).isNotEqualTo(first);
    }

    /**
     * The noise does not depend on x (same batch count, any input: the same n), so y = x + n and the
     * exact gradient is the identity, which backward must return; the finite differences of the
     * double reference x + n agree.
     */
    @Test
    void noiseIsAdditiveAndTheGradientIsTheIdentity() {
        Shape shape = Shape.of(2, 3, 3, 5);
        int size = shape.size();
        GaussianNoise g = built(0.7, shape.dropBatch(), 11);
        SplittableRandom random = new SplittableRandom(12);
        Tensor x = new Tensor(shape, randomFloats(random, size));
        float[] noise = g.forward(Tensor.zeros(shape.dims()), true).toArray();
        g.setBatchesDrawn(0);
        float[] y = g.forward(x, true).toArray();
        for (int i = 0; i < size; i++) {
            assertThat(y[i]).isEqualTo(x.data()[i] + noise[i]);
        }
        Tensor dy = new Tensor(shape, randomFloats(random, size));
        assertThat(g.backward(dy).toArray()).containsExactly(dy.toArray());
        double[] w = toDouble(dy.data(), size);
        double[] n = toDouble(noise, size);
        double[] numeric = numericalGradient(toDouble(x.data(), size), v -> {
            double[] out = new double[size];
            for (int i = 0; i < size; i++) {
                out[i] = v[i] + n[i];
            }
            return weightedSum(out, w);
        });
        Numerics.assertClose("gaussian noise reference gradient", w, numeric, 1e-6);
    }

    @Test
    void rejectsBadDeviationsAndRoundTripsItsConfig() {
        assertThatThrownBy(() -> new GaussianNoise("n", new GaussianNoise.Config(-0.1)))
                .hasMessage("GaussianNoise 'n': stddev must be a finite number >= 0, received: -0.1");
        assertThatThrownBy(() -> new GaussianNoise("n", new GaussianNoise.Config(Double.NaN))).hasMessageContaining("NaN");
        assertThat(new GaussianNoise(0.2).config()).isEqualTo(new GaussianNoise.Config(0.2));
    }
}
