package org.jvision.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.jvision.testing.Numerics;

/**
 * Finite-difference checks of the double-precision references' backward passes: with the loss
 * {@code L = Σ w·y} (so {@code dL/dy = w}), central differences of L with respect to the input,
 * the kernel and the bias must equal the analytic gradients. The float layers are then held to
 * these references elsewhere.
 */
class ReferenceGradientTest {
    static final double TOLERANCE = 1e-6;

    static double[] random(SplittableRandom random, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextDouble() * 2 - 1;
        }
        return a;
    }

    /** Odd sizes, strides above 1, every kind of padding, several channels, batches above 1. */
    static Stream<Reference.Window> windows() {
        return Stream.of(
                Reference.window(2, 5, 7, 3, 3, 3, 2, 1, true),          // same, stride 2x1
                new Reference.Window(3, 6, 5, 2, 2, 3, 2, 2, 1, 0, 2, 1), // explicit, uneven
                Reference.window(2, 7, 7, 1, 5, 5, 3, 3, false),         // valid, ragged edge
                Reference.window(2, 5, 4, 4, 1, 1, 1, 1, false),         // 1x1
                Reference.window(2, 6, 5, 3, 3, 2, 3, 2, true));         // same, stride > kernel rows
    }

    @ParameterizedTest
    @MethodSource("windows")
    void convolutionGradients(Reference.Window g) {
        SplittableRandom random = new SplittableRandom(g.hashCode());
        int cout = 3;
        double[] x = random(random, g.inputSize());
        double[] k = random(random, g.kh() * g.kw() * g.c() * cout);
        double[] b = random(random, cout);
        double[] w = random(random, g.n() * g.outRows() * g.outCols() * cout);
        Reference.Gradients analytic = Reference.convBackward(x, k, w, g, cout);

        Numerics.assertClose("dL/dx", analytic.input(), Numerics.numericalGradient(x,
                xs -> Numerics.weightedSum(Reference.convForward(xs, k, b, g, cout), w)), TOLERANCE);
        Numerics.assertClose("dL/dkernel", analytic.kernel(), Numerics.numericalGradient(k,
                ks -> Numerics.weightedSum(Reference.convForward(x, ks, b, g, cout), w)), TOLERANCE);
        Numerics.assertClose("dL/dbias", analytic.bias(), Numerics.numericalGradient(b,
                bs -> Numerics.weightedSum(Reference.convForward(x, k, bs, g, cout), w)), TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("windows")
    void poolingGradients(Reference.Window g) {
        SplittableRandom random = new SplittableRandom(g.hashCode() + 1);
        double[] x = random(random, g.inputSize()); // ties have probability zero, so max is differentiable
        double[] w = random(random, g.n() * g.outRows() * g.outCols() * g.c());
        Numerics.assertClose("max pool dL/dx", Reference.maxPoolBackward(x, w, g), Numerics.numericalGradient(x,
                xs -> Numerics.weightedSum(Reference.maxPoolForward(xs, g, null), w)), TOLERANCE);
        Numerics.assertClose("average pool dL/dx", Reference.averagePoolBackward(w, g), Numerics.numericalGradient(x,
                xs -> Numerics.weightedSum(Reference.averagePoolForward(xs, g), w)), TOLERANCE);
    }

    @Test
    void globalAverageAndDenseGradients() {
        SplittableRandom random = new SplittableRandom(7);
        double[] x = random(random, 3 * 5 * 3 * 4);
        double[] w = random(random, 3 * 4);
        Numerics.assertClose("global average dL/dx", Reference.globalAverageBackward(w, 3, 5, 3, 4),
                Numerics.numericalGradient(x,
                        xs -> Numerics.weightedSum(Reference.globalAverageForward(xs, 3, 5, 3, 4), w)), TOLERANCE);

        int n = 3;
        int in = 7;
        int units = 5;
        double[] dx = random(random, n * in);
        double[] kernel = random(random, in * units);
        double[] bias = random(random, units);
        double[] dw = random(random, n * units);
        Reference.Gradients analytic = Reference.denseBackward(dx, kernel, dw, n, in, units);
        Numerics.assertClose("dense dL/dx", analytic.input(), Numerics.numericalGradient(dx,
                xs -> Numerics.weightedSum(Reference.denseForward(xs, kernel, bias, n, in, units), dw)), TOLERANCE);
        Numerics.assertClose("dense dL/dkernel", analytic.kernel(), Numerics.numericalGradient(kernel,
                ks -> Numerics.weightedSum(Reference.denseForward(dx, ks, bias, n, in, units), dw)), TOLERANCE);
        Numerics.assertClose("dense dL/dbias", analytic.bias(), Numerics.numericalGradient(bias,
                bs -> Numerics.weightedSum(Reference.denseForward(dx, kernel, bs, n, in, units), dw)), TOLERANCE);
    }

    /** The check is sharp: a gradient off by 1e-4 in one element is caught. */
    @Test
    void aSlightlyWrongGradientIsCaught() {
        Reference.Window g = Reference.window(2, 5, 5, 2, 3, 3, 2, 2, true);
        SplittableRandom random = new SplittableRandom(3);
        int cout = 2;
        double[] x = random(random, g.inputSize());
        double[] k = random(random, g.kh() * g.kw() * g.c() * cout);
        double[] w = random(random, g.n() * g.outRows() * g.outCols() * cout);
        double[] wrong = Reference.convBackward(x, k, w, g, cout).kernel();
        wrong[5] *= 1 + 1e-4;
        double[] numeric = Numerics.numericalGradient(k,
                ks -> Numerics.weightedSum(Reference.convForward(x, ks, null, g, cout), w));
        assertThatThrownBy(() -> Numerics.assertClose("dL/dkernel", wrong, numeric, TOLERANCE))
                .isInstanceOf(AssertionError.class).hasMessageContaining("element 5");
        assertThat(numeric[5]).isNotZero();
    }
}
