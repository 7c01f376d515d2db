package org.jvision.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.jvision.testing.Numerics.assertClose;
import static org.jvision.testing.Numerics.numericalGradient;
import static org.jvision.testing.Numerics.randomFloats;
import static org.jvision.testing.Numerics.toDouble;
import static org.jvision.testing.Numerics.weightedSum;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.jvision.testing.Numerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Step, Sigmoid, Tanh, ReLU, LeakyReLU and Softmax: the double references against finite
 * differences, the float32 layers against the references (forward and backward, rank 2 and 4),
 * exact small values, stability at extreme inputs, buffer reuse and misuse errors.
 */
class ActivationsTest {
    /** A reference: forward(x, lastAxis) and backward(x, dy, lastAxis). */
    interface Backward {
        double[] apply(double[] x, double[] dy, int lastAxis);
    }

    record Case(String name, Supplier<Layer> layer, BiFunction<double[], Integer, double[]> forward,
            Backward backward, boolean kinked) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("Step", () -> new Step("step"), (x, n) -> ReferenceLayers.step(x),
                        (x, dy, n) -> ReferenceLayers.stepBackward(x, dy), true),
                new Case("Sigmoid", () -> new Sigmoid("sigmoid"), (x, n) -> ReferenceLayers.sigmoid(x),
                        (x, dy, n) -> ReferenceLayers.sigmoidBackward(x, dy), false),
                new Case("Tanh", () -> new Tanh("tanh"), (x, n) -> ReferenceLayers.tanh(x),
                        (x, dy, n) -> ReferenceLayers.tanhBackward(x, dy), false),
                new Case("ReLU", () -> new ReLU("relu"), (x, n) -> ReferenceLayers.relu(x),
                        (x, dy, n) -> ReferenceLayers.reluBackward(x, dy), true),
                new Case("LeakyReLU", () -> new LeakyReLU(), (x, n) -> ReferenceLayers.leakyRelu(x, 0.01),
                        (x, dy, n) -> ReferenceLayers.leakyReluBackward(x, dy, 0.01), true),
                new Case("LeakyReLU(0.3)", () -> new LeakyReLU(0.3), (x, n) -> ReferenceLayers.leakyRelu(x, 0.3),
                        (x, dy, n) -> ReferenceLayers.leakyReluBackward(x, dy, 0.3), true),
                new Case("Softmax", () -> new Softmax("softmax"), ReferenceLayers::softmax,
                        ReferenceLayers::softmaxBackward, false));
    }

    /** Batch shapes: batch > 1, odd sizes, rank 2 and rank 4 with several channels. */
    static final List<int[]> SHAPES = List.of(new int[] {3, 7}, new int[] {2, 5, 3, 4}, new int[] {5, 1, 3, 3},
            new int[] {4, 1});

    static Stream<Arguments> casesAndShapes() {
        List<Arguments> all = new ArrayList<>();
        for (Case c : cases()) {
            for (int[] s : SHAPES) {
                all.add(Arguments.of(c, Shape.of(s)));
            }
        }
        return all.stream();
    }

    /** Inputs in [-2, 2]; for kinked functions kept at least 0.05 away from 0. */
    static float[] inputs(SplittableRandom random, int n, boolean kinked) {
        float[] x = randomFloats(random, n);
        for (int i = 0; i < n; i++) {
            x[i] *= 2;
            if (kinked && Math.abs(x[i]) < 0.05f) {
                x[i] = x[i] < 0 ? x[i] - 0.05f : x[i] + 0.05f;
            }
        }
        return x;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("casesAndShapes")
    void referenceGradientMatchesFiniteDifferences(Case c, Shape shape) {
        SplittableRandom random = new SplittableRandom(7 + shape.size());
        int n = shape.size();
        int last = shape.dim(-1);
        double[] x = toDouble(inputs(random, n, c.kinked()), n);
        double[] w = toDouble(randomFloats(random, n), n);
        double[] numeric = numericalGradient(x, v -> weightedSum(c.forward().apply(v, last), w));
        double[] analytic = c.backward().apply(x, w, last);
        Numerics.assertClose(c.name() + " reference gradient", analytic, numeric, 1e-5);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("casesAndShapes")
    void layerMatchesReference(Case c, Shape shape) {
        checkAgainstReference(c, shape, new SplittableRandom(11 + shape.size()));
    }

    /** Large enough that the element-wise loops are split across threads. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void largeBatchMatchesReference(Case c) {
        checkAgainstReference(c, Shape.of(8, 32, 33, 16), new SplittableRandom(5));
    }

    private static void checkAgainstReference(Case c, Shape shape, SplittableRandom random) {
        int n = shape.size();
        Layer layer = c.layer().get();
        layer.build(shape.dropBatch(), new SplittableRandom(1));
        Tensor x = new Tensor(shape, inputs(random, n, c.kinked()));
        Tensor dy = new Tensor(shape, randomFloats(random, n));
        double[] xd = toDouble(x.data(), n);
        int last = shape.dim(-1);

        Tensor y = layer.forward(x, true);
        assertThat(y.shape()).isEqualTo(shape);
        assertClose(c.name() + " forward", y.data(), c.forward().apply(xd, last), n, Numerics.RELATIVE);
        Tensor dx = layer.backward(dy);
        assertThat(dx.shape()).isEqualTo(shape);
        assertClose(c.name() + " backward", dx.data(), c.backward().apply(xd, toDouble(dy.data(), n), last), n,
                Numerics.RELATIVE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reusesBuffersAcrossBatchSizesAndInferenceMatchesTraining(Case c) {
        Layer layer = c.layer().get();
        layer.build(Shape.of(3, 5), new SplittableRandom(1));
        SplittableRandom random = new SplittableRandom(3);
        Tensor big = new Tensor(Shape.of(6, 3, 5), inputs(random, 90, true));
        float[] out = layer.forward(big, true).data();
        float[] grad = layer.backward(new Tensor(Shape.of(6, 3, 5), randomFloats(random, 90))).data();

        // a smaller last batch lands in the same storage and gets the right values
        Tensor small = big.slice(0, 2);
        Tensor y = layer.forward(small, false);
        assertThat(y.data()).isSameAs(out);
        assertThat(y.shape()).isEqualTo(Shape.of(2, 3, 5));
        assertClose(c.name() + " small batch", y.data(), c.forward().apply(toDouble(small.data(), 30), 5), 30,
                Numerics.RELATIVE);
        Tensor dx = layer.backward(new Tensor(Shape.of(2, 3, 5), randomFloats(random, 30)));
        assertThat(dx.data()).isSameAs(grad);
        assertThat(dx.shape()).isEqualTo(Shape.of(2, 3, 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void misuseIsReported(Case c) {
        Layer layer = c.layer().get();
        assertThatThrownBy(() -> layer.forward(Tensor.zeros(2, 3), true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before it was built");
        layer.build(Shape.of(3), new SplittableRandom(1));
        assertThat(layer.outputShape()).isEqualTo(Shape.of(3));
        assertThatThrownBy(() -> layer.backward(Tensor.zeros(2, 3))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before forward");
        // Layer.checkInput's message is broken upstream (Shape.withBatch(-1) throws first), so only
        // the exception type is checked here.
        assertThatThrownBy(() -> layer.forward(Tensor.zeros(2, 4), true))
                .isInstanceOf(IllegalArgumentException.class);
        layer.forward(Tensor.zeros(2, 3), true);
        assertThatThrownBy(() -> layer.backward(Tensor.zeros(3, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(layer.describe()).hasMessageContaining("[3, 3]").hasMessageContaining("[2, 3]");
    }

    // ---- exact small examples ----

    private static Tensor run(Layer layer, float... x) {
        layer.build(Shape.of(x.length), new SplittableRandom(1));
        return layer.forward(Tensor.of(x.clone(), 1, x.length), false);
    }

    private static float[] backward(Layer layer, float... dy) {
        return layer.backward(Tensor.of(dy.clone(), 1, dy.length)).toArray();
    }

    @Test
    void softmaxOfOneTwoThree() {
        Softmax softmax = new Softmax();
        float[] y = run(softmax, 1, 2, 3).toArray();
        // e^k / (e + e^2 + e^3)
        assertThat(y[0]).isCloseTo(0.09003057f, within(1e-7f));
        assertThat(y[1]).isCloseTo(0.24472847f, within(1e-7f));
        assertThat(y[2]).isCloseTo(0.66524096f, within(1e-7f));
        // a constant upstream gradient gives zero: the outputs always sum to 1
        assertThat(backward(softmax, 1, 1, 1)).containsOnly(0f);
    }

    @Test
    void softmaxIsStableForHugeLogits() {
        float[] y = run(new Softmax(), 1001, 1002, 1003, -1000).toArray();
        assertThat(y[0]).isCloseTo(0.09003057f, within(1e-7f));
        assertThat(y[2]).isCloseTo(0.66524096f, within(1e-7f));
        assertThat(y[3]).isEqualTo(0f);
        // rows are independent: rank 3, softmax over the last axis only
        Softmax s = new Softmax();
        s.build(Shape.of(2, 2), new SplittableRandom(1));
        float[] z = s.forward(Tensor.of(new float[] {0, 0, 5, 5, 1, 2, 1, 2}, 2, 2, 2), false).toArray();
        assertThat(z).containsExactly(0.5f, 0.5f, 0.5f, 0.5f, 0.26894143f, 0.7310586f, 0.26894143f, 0.7310586f);
    }

    @Test
    void leakyReluOfMinusTwoIsMinusTwoHundredths() {
        LeakyReLU leaky = new LeakyReLU();
        assertThat(leaky.alpha()).isEqualTo(0.01f);
        assertThat(run(leaky, -2, 0, 3).toArray()).containsExactly(-0.02f, 0f, 3f);
        assertThat(backward(leaky, 10, 10, 10)).containsExactly(0.01f * 10, 0.01f * 10, 10f);
        assertThat(run(new LeakyReLU(0.2), -2).toArray()).containsExactly(-0.4f);
    }

    @Test
    void reluAtZeroPassesNoGradient() {
        ReLU relu = new ReLU();
        float[] y = run(relu, -1.5f, 0f, 2.5f, Float.NaN).toArray();
        assertThat(y[0]).isEqualTo(0f);
        assertThat(y[1]).isEqualTo(0f);
        assertThat(y[2]).isEqualTo(2.5f);
        assertThat(y[3]).isNaN(); // divergence stays visible
        float[] dx = backward(relu, 7, 7, 7, 7);
        assertThat(dx[0]).isEqualTo(0f);
        assertThat(dx[1]).isEqualTo(0f); // the kink: no gradient
        assertThat(dx[2]).isEqualTo(7f);
        assertThat(dx[3]).isNaN();
    }

    @Test
    void stepIsThePerceptronsThresholdAndHasZeroGradient() {
        Step step = new Step();
        assertThat(run(step, -1, 0, 1e-6f, 3, -0f, Float.MIN_VALUE).toArray()).containsExactly(0f, 0f, 1f, 1f, 0f, 1f);
        assertThat(backward(step, 5, -5, 5, 5, 5, 5)).containsOnly(0f);
    }

    @Test
    void sigmoidAndTanhValuesAndSaturation() {
        Sigmoid sigmoid = new Sigmoid();
        float[] s = run(sigmoid, 0, 2, -100, 100).toArray();
        assertThat(s[0]).isEqualTo(0.5f);
        assertThat(s[1]).isCloseTo(0.880797f, within(1e-6f)); // 1 / (1 + e^-2)
        assertThat(s[2]).isBetween(0f, 1e-40f);
        assertThat(s[3]).isEqualTo(1f);
        assertThat(backward(sigmoid, 1, 1, 1, 1)[0]).isEqualTo(0.25f);

        Tanh tanh = new Tanh();
        float[] t = run(tanh, 0, 1, -30).toArray();
        assertThat(t[0]).isEqualTo(0f);
        assertThat(t[1]).isCloseTo(0.7615942f, within(1e-7f));
        assertThat(t[2]).isEqualTo(-1f);
        assertThat(backward(tanh, 2, 1, 1)).containsExactly(2f, 1 - 0.7615942f * 0.7615942f, 0f);
    }

    @Test
    void leakyReluRejectsNegativeSlopeNamingTheLayer() {
        assertThatThrownBy(() -> new LeakyReLU("leaky1", new LeakyReLU.Config(-0.1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LeakyReLU 'leaky1': alpha must be in [0, 1], received: -0.1");
        assertThatThrownBy(() -> new LeakyReLU(1.5)).hasMessageContaining("received: 1.5");
        assertThatThrownBy(() -> new LeakyReLU(Double.NaN)).hasMessageContaining("received: NaN");
        assertThat(new LeakyReLU(1).alpha()).isEqualTo(1f);
        assertThat(new LeakyReLU("l", new LeakyReLU.Config()).config()).isEqualTo(new LeakyReLU.Config(0.01));
    }

    @Test
    void softmaxNeedsAFeatureAxis() {
        assertThatThrownBy(() -> new Softmax("sm").build(Shape.of(), new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Softmax 'sm'");
    }
}
