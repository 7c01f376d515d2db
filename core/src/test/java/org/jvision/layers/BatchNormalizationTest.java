package org.jvision.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.jvision.testing.Numerics.assertClose;
import static org.jvision.testing.Numerics.numericalGradient;
import static org.jvision.testing.Numerics.randomFloats;
import static org.jvision.testing.Numerics.toDouble;
import static org.jvision.testing.Numerics.weightedSum;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.jvision.kernel.Parallel;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.jvision.testing.Numerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Batch normalization: the double reference against finite differences (input, gamma, beta), the
 * float32 layer against the reference in training and inference (rank 2 and 4, several
 * channels), a tiny batch by hand, the moving statistics' momentum rule, inference leaving them
 * alone, determinism across thread counts, and validation.
 */
class BatchNormalizationTest {
    private static final double EPS = 1e-5;

    /**
     * Rank 2 and rank 4, odd sizes, 1 to 7 channels. Not a batch of 2 for [batch, features]: there
     * x_hat = +-1 whatever x is, dx is ~1e-7 and finite differences measure only their round-off.
     */
    static Stream<Shape> shapes() {
        return Stream.of(Shape.of(5, 3), Shape.of(3, 3, 5, 4), Shape.of(4, 2, 3, 1), Shape.of(3, 7));
    }

    private static double[] random(SplittableRandom random, int n, double low, double high) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (low + (high - low) * random.nextDouble()); // representable in float
        }
        return a;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    private static BatchNormalization built(Shape batchShape, BatchNormalization.Config config) {
        BatchNormalization bn = new BatchNormalization("bn1", config);
        bn.build(batchShape.dropBatch(), new SplittableRandom(1));
        return bn;
    }

    // ---- (a) finite differences on the double reference ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void trainingReferenceGradientsMatchFiniteDifferences(Shape shape) {
        SplittableRandom r = new SplittableRandom(shape.size());
        int n = shape.size();
        int c = shape.dim(-1);
        double[] x = random(r, n, -2, 3);
        double[] gamma = random(r, c, 0.5, 1.5);
        double[] beta = random(r, c, -1, 1);
        double[] w = random(r, n, -1, 1);
        ReferenceLayers.Gradients g = ReferenceLayers.batchNormTrainingBackward(x, c, gamma, EPS, w);

        Numerics.assertClose("dx", g.dx(), numericalGradient(x,
                v -> weightedSum(ReferenceLayers.batchNormTraining(v, c, gamma, beta, EPS), w)), 1e-5);
        Numerics.assertClose("dgamma", g.dgamma(), numericalGradient(gamma,
                v -> weightedSum(ReferenceLayers.batchNormTraining(x, c, v, beta, EPS), w)), 1e-5);
        Numerics.assertClose("dbeta", g.dbeta(), numericalGradient(beta,
                v -> weightedSum(ReferenceLayers.batchNormTraining(x, c, gamma, v, EPS), w)), 1e-5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void inferenceReferenceGradientsMatchFiniteDifferences(Shape shape) {
        SplittableRandom r = new SplittableRandom(shape.size() + 1);
        int n = shape.size();
        int c = shape.dim(-1);
        double[] x = random(r, n, -2, 3);
        double[] gamma = random(r, c, 0.5, 1.5);
        double[] beta = random(r, c, -1, 1);
        double[] mean = random(r, c, -1, 1);
        double[] var = random(r, c, 0.2, 2);
        double[] w = random(r, n, -1, 1);
        ReferenceLayers.Gradients g = ReferenceLayers.batchNormInferenceBackward(x, c, gamma, mean, var, EPS, w);
        Numerics.assertClose("dx", g.dx(), numericalGradient(x,
                v -> weightedSum(ReferenceLayers.batchNormInference(v, c, gamma, beta, mean, var, EPS), w)), 1e-5);
        Numerics.assertClose("dgamma", g.dgamma(), numericalGradient(gamma,
                v -> weightedSum(ReferenceLayers.batchNormInference(x, c, v, beta, mean, var, EPS), w)), 1e-5);
        Numerics.assertClose("dbeta", g.dbeta(), numericalGradient(beta,
                v -> weightedSum(ReferenceLayers.batchNormInference(x, c, gamma, v, mean, var, EPS), w)), 1e-5);
    }

    // ---- (b) the float32 layer against the reference ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapesWithALargeOne")
    void trainingMatchesReferenceAndAddsIntoGradients(Shape shape) {
        SplittableRandom r = new SplittableRandom(shape.size() + 2);
        int n = shape.size();
        int c = shape.dim(-1);
        BatchNormalization bn = built(shape, new BatchNormalization.Config());
        double[] x = random(r, n, -2, 3);
        double[] gamma = random(r, c, 0.5, 1.5);
        double[] beta = random(r, c, -1, 1);
        double[] dy = random(r, n, -1, 1);
        System.arraycopy(toFloat(gamma), 0, bn.gamma().value().data(), 0, c);
        System.arraycopy(toFloat(beta), 0, bn.beta().value().data(), 0, c);
        bn.gamma().gradient().fill(0.5f); // backward adds
        bn.beta().gradient().fill(-0.25f);

        Tensor y = bn.forward(new Tensor(shape, toFloat(x)), true);
        assertClose("y", y.data(), ReferenceLayers.batchNormTraining(x, c, gamma, beta, EPS), n, Numerics.RELATIVE);
        Tensor dx = bn.backward(new Tensor(shape, toFloat(dy)));
        ReferenceLayers.Gradients g = ReferenceLayers.batchNormTrainingBackward(x, c, gamma, EPS, dy);
        assertClose("dx", dx.data(), g.dx(), n, Numerics.RELATIVE);
        assertClose("dgamma", bn.gamma().gradient().data(), plus(g.dgamma(), 0.5), c, Numerics.RELATIVE);
        assertClose("dbeta", bn.beta().gradient().data(), plus(g.dbeta(), -0.25), c, Numerics.RELATIVE);

        double[][] moments = ReferenceLayers.moments(x, c);
        double[] expectedMean = new double[c];
        double[] expectedVariance = new double[c];
        for (int j = 0; j < c; j++) {
            expectedMean[j] = 0.01 * moments[0][j];
            expectedVariance[j] = 0.99 + 0.01 * moments[1][j];
        }
        assertClose("moving_mean", bn.movingMean().value().data(), expectedMean, c, Numerics.RELATIVE);
        assertClose("moving_variance", bn.movingVariance().value().data(), expectedVariance, c, Numerics.RELATIVE);
    }

    static Stream<Shape> shapesWithALargeOne() {
        // the last: 2040 rows of 24 channels, several reduction blocks and both threads
        return Stream.concat(shapes(), Stream.of(Shape.of(8, 17, 15, 24)));
    }

    private static double[] plus(double[] a, double b) {
        double[] s = a.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] += b;
        }
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void inferenceUsesMovingStatisticsChangesNothingAndBackpropagates(Shape shape) {
        SplittableRandom r = new SplittableRandom(shape.size() + 3);
        int n = shape.size();
        int c = shape.dim(-1);
        BatchNormalization bn = built(shape, new BatchNormalization.Config());
        double[] x = random(r, n, -2, 3);
        double[] gamma = random(r, c, 0.5, 1.5);
        double[] beta = random(r, c, -1, 1);
        double[] mean = random(r, c, -1, 1);
        double[] var = random(r, c, 0.2, 2);
        double[] dy = random(r, n, -1, 1);
        System.arraycopy(toFloat(gamma), 0, bn.gamma().value().data(), 0, c);
        System.arraycopy(toFloat(beta), 0, bn.beta().value().data(), 0, c);
        System.arraycopy(toFloat(mean), 0, bn.movingMean().value().data(), 0, c);
        System.arraycopy(toFloat(var), 0, bn.movingVariance().value().data(), 0, c);

        Tensor y = bn.forward(new Tensor(shape, toFloat(x)), false);
        assertClose("y", y.data(), ReferenceLayers.batchNormInference(x, c, gamma, beta, mean, var, EPS), n,
                Numerics.RELATIVE);
        assertThat(bn.movingMean().value().toArray()).containsExactly(toFloat(mean));
        assertThat(bn.movingVariance().value().toArray()).containsExactly(toFloat(var));
        assertThat(bn.gamma().value().toArray()).containsExactly(toFloat(gamma));

        // backward through a frozen (inference-mode) layer: the statistics are constants
        Tensor dx = bn.backward(new Tensor(shape, toFloat(dy)));
        ReferenceLayers.Gradients g = ReferenceLayers.batchNormInferenceBackward(x, c, gamma, mean, var, EPS, dy);
        assertClose("dx", dx.data(), g.dx(), n, Numerics.RELATIVE);
        assertClose("dgamma", bn.gamma().gradient().data(), g.dgamma(), c, Numerics.RELATIVE);
        assertClose("dbeta", bn.beta().gradient().data(), g.dbeta(), c, Numerics.RELATIVE);
    }

    // ---- exact small examples ----

    @Test
    void tinyBatchByHand() {
        // two features; feature 0: 1, 2, 3, 6 (mean 3, variance (4+1+0+9)/4 = 3.5);
        // feature 1: 0, 0, 4, 4 (mean 2, variance 4)
        BatchNormalization bn = built(Shape.of(4, 2), new BatchNormalization.Config(0.9, 1e-5));
        bn.gamma().value().data()[0] = 2f;
        bn.beta().value().data()[0] = 0.5f;
        Tensor x = Tensor.of(new float[] {1, 0, 2, 0, 3, 4, 6, 4}, 4, 2);
        float[] y = bn.forward(x, true).toArray();
        double s0 = Math.sqrt(3.5 + 1e-5);
        double s1 = Math.sqrt(4 + 1e-5);
        double[] expected = {
            2 * -2 / s0 + 0.5, -2 / s1,
            2 * -1 / s0 + 0.5, -2 / s1,
            0.5, 2 / s1,
            2 * 3 / s0 + 0.5, 2 / s1};
        for (int i = 0; i < 8; i++) {
            assertThat((double) y[i]).as("y[%d]", i).isCloseTo(expected[i], within(1e-6));
        }
        // moving = 0.9 * moving + 0.1 * batch, from mean 0 and variance 1
        assertThat(bn.movingMean().value().toArray()).containsExactly(0.3f, 0.2f);
        assertThat(bn.movingVariance().value().toArray()).containsExactly(1.25f, 1.3f);

        // dy = 1 everywhere: dbeta = m = 4, dgamma = sum x_hat = 0, dx = 0 (a shift does not change x_hat)
        float[] dx = bn.backward(Tensor.of(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, 4, 2)).toArray();
        for (float v : dx) {
            assertThat(v).isCloseTo(0f, within(1e-6f));
        }
        assertThat(bn.beta().gradient().toArray()).containsExactly(4f, 4f);
        assertThat(bn.gamma().gradient().data()[0]).isCloseTo(0f, within(1e-6f));
        assertThat(bn.gamma().gradient().data()[1]).isCloseTo(0f, within(1e-6f));

        // a second step moves the statistics again: 0.9 * 0.3 + 0.1 * 3, 0.9 * 1.25 + 0.1 * 3.5
        bn.forward(x, true);
        assertThat(bn.movingMean().value().data()[0]).isCloseTo(0.57f, within(1e-6f));
        assertThat(bn.movingVariance().value().data()[0]).isCloseTo(1.475f, within(1e-6f));

        // inference: (x - 0.57) / sqrt(1.475 + eps) with the moving values, which stay put
        float[] z = bn.forward(Tensor.of(new float[] {3.57f, 0.38f}, 1, 2), false).toArray();
        assertThat((double) z[0]).isCloseTo(2 * 3 / Math.sqrt(1.475 + 1e-5) + 0.5, within(1e-5));
        assertThat((double) z[1]).isCloseTo(0, within(1e-6));
        assertThat(bn.movingMean().value().data()[0]).isCloseTo(0.57f, within(1e-6f));
        assertThat(bn.movingVariance().value().data()[0]).isCloseTo(1.475f, within(1e-6f));
    }

    @Test
    void normalizesEachChannelOverBatchRowsAndColumns() {
        Shape shape = Shape.of(4, 5, 3, 3);
        BatchNormalization bn = built(shape, new BatchNormalization.Config());
        float[] x = randomFloats(new SplittableRandom(4), shape.size());
        for (int i = 0; i < x.length; i++) {
            x[i] = x[i] * (1 + i % 3) + 10 * (i % 3); // channel j: scale 1 + j, offset 10 j
        }
        float[] y = bn.forward(new Tensor(shape, x), true).toArray();
        for (int j = 0; j < 3; j++) {
            double sum = 0;
            double squares = 0;
            for (int i = j; i < y.length; i += 3) {
                sum += y[i];
                squares += y[i] * y[i];
            }
            int m = y.length / 3;
            assertThat(sum / m).isCloseTo(0, within(1e-6));
            assertThat(squares / m).isCloseTo(1, within(1e-4));
        }
    }

    @Test
    void batchOfOneGivesBetaAndNoNaN() {
        BatchNormalization bn = built(Shape.of(1, 3), new BatchNormalization.Config());
        bn.beta().value().fill(0.7f);
        assertThat(bn.forward(Tensor.of(new float[] {5, -3, 2}, 1, 3), true).toArray()).containsOnly(0.7f);
        assertThat(bn.backward(Tensor.of(new float[] {1, 2, 3}, 1, 3)).toArray()).containsOnly(0f);
    }

    @Test
    void sameResultForAnyThreadCount() {
        Shape shape = Shape.of(8, 17, 15, 24);
        float[] x = randomFloats(new SplittableRandom(6), shape.size());
        float[] dy = randomFloats(new SplittableRandom(7), shape.size());
        int saved = Parallel.threads();
        float[][] one;
        float[][] three;
        try {
            Parallel.setThreads(1);
            one = trainStep(shape, x, dy);
            Parallel.setThreads(3);
            three = trainStep(shape, x, dy);
        } finally {
            Parallel.setThreads(saved);
        }
        for (int k = 0; k < one.length; k++) {
            assertThat(three[k]).as("result %d", k).containsExactly(one[k]);
        }
    }

    private static float[][] trainStep(Shape shape, float[] x, float[] dy) {
        BatchNormalization bn = built(shape, new BatchNormalization.Config());
        float[] y = bn.forward(new Tensor(shape, x.clone()), true).toArray();
        float[] dx = bn.backward(new Tensor(shape, dy.clone())).toArray();
        return new float[][] {y, dx, bn.gamma().gradient().toArray(), bn.movingVariance().value().toArray()};
    }

    @Test
    void reusesBuffersForASmallerLastBatch() {
        BatchNormalization bn = built(Shape.of(16, 3, 3, 2), new BatchNormalization.Config());
        float[] out = bn.forward(new Tensor(Shape.of(16, 3, 3, 2), randomFloats(new SplittableRandom(1), 288)), true)
                .data();
        float[] grad = bn.backward(new Tensor(Shape.of(16, 3, 3, 2), randomFloats(new SplittableRandom(2), 288)))
                .data();
        double[] x = toDouble(randomFloats(new SplittableRandom(3), 90), 90);
        Tensor y = bn.forward(new Tensor(Shape.of(5, 3, 3, 2), toFloat(x)), true);
        assertThat(y.data()).isSameAs(out);
        assertClose("small batch", y.data(),
                ReferenceLayers.batchNormTraining(x, 2, new double[] {1, 1}, new double[] {0, 0}, EPS), 90,
                Numerics.RELATIVE);
        assertThat(bn.backward(new Tensor(Shape.of(5, 3, 3, 2), new float[90])).data()).isSameAs(grad);
    }

    // ---- parameters, buffers, configuration ----

    @Test
    void registersGammaBetaAndMovingStatisticsByName() {
        BatchNormalization bn = built(Shape.of(2, 4, 4, 3), new BatchNormalization.Config());
        assertThat(bn.parameters()).extracting(Parameter::name).containsExactly("gamma", "beta");
        assertThat(bn.parameters()).allSatisfy(p -> {
            assertThat(p.trainable()).isTrue();
            assertThat(p.regularizable()).isFalse();
            assertThat(p.value().shape()).isEqualTo(Shape.of(3));
            assertThat(p.gradient().shape()).isEqualTo(Shape.of(3));
        });
        assertThat(bn.buffers()).extracting(Parameter::name).containsExactly("moving_mean", "moving_variance");
        assertThat(bn.buffers()).allSatisfy(p -> assertThat(p.trainable()).isFalse());
        assertThat(bn.gamma().value().toArray()).containsOnly(1f);
        assertThat(bn.beta().value().toArray()).containsOnly(0f);
        assertThat(bn.movingMean().value().toArray()).containsOnly(0f);
        assertThat(bn.movingVariance().value().toArray()).containsOnly(1f);
        assertThat(new BatchNormalization().config()).isEqualTo(new BatchNormalization.Config(0.99, 1e-5));
    }

    @ParameterizedTest(name = "momentum {0}")
    @ValueSource(doubles = {1.5, -0.1, Double.NaN})
    void rejectsMomentumOutsideZeroToOne(double momentum) {
        assertThatThrownBy(() -> new BatchNormalization("bn1", new BatchNormalization.Config(momentum, 1e-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BatchNormalization 'bn1': momentum must be in [0, 1], received: " + momentum);
    }

    @ParameterizedTest(name = "epsilon {0}")
    @ValueSource(doubles = {0, -1e-3, Double.POSITIVE_INFINITY})
    void rejectsNonPositiveEpsilon(double epsilon) {
        assertThatThrownBy(() -> new BatchNormalization("bn1", new BatchNormalization.Config(0.9, epsilon)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BatchNormalization 'bn1': epsilon must be finite and > 0, received: " + epsilon);
    }

    @Test
    void acceptsTheMomentumBoundsAndReportsMisuse() {
        BatchNormalization frozen = built(Shape.of(2, 2), new BatchNormalization.Config(1, 1e-3));
        frozen.forward(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), true);
        assertThat(frozen.movingMean().value().toArray()).containsOnly(0f);
        BatchNormalization follow = built(Shape.of(2, 2), new BatchNormalization.Config(0, 1e-3));
        follow.forward(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), true);
        assertThat(follow.movingMean().value().toArray()).containsExactly(2f, 3f);
        assertThat(follow.movingVariance().value().toArray()).containsExactly(1f, 1f);

        BatchNormalization bn = new BatchNormalization("bn1");
        assertThat(bn.parameters()).isEmpty();
        bn.build(Shape.of(3), new SplittableRandom(1));
        assertThatThrownBy(() -> bn.backward(Tensor.zeros(2, 3))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BatchNormalization 'bn1'");
        bn.forward(Tensor.zeros(2, 3), true);
        assertThatThrownBy(() -> bn.backward(Tensor.zeros(2, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 4]");
        assertThatThrownBy(() -> new BatchNormalization("bn2").build(Shape.of(), new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BatchNormalization 'bn2'");
    }
}
