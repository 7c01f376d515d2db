package org.jvision.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * The whole cube kernel 1/3/5 × stride 1/2 × padding valid/same × odd/even image × channels 1/3/8
 * × batch 1/4 × output channels few/17 (288 shapes, each under both engines), through Conv2D,
 * MaxPool2D and AveragePool2D:
 * no NaN, every gradient shaped like its parameter, and forward and backward equal to the
 * double reference.
 */
class ShapeSweepTest {

    static Stream<Arguments> cube() {
        List<Arguments> all = new ArrayList<>();
        for (String engine : Harness.engines().toList()) {
            for (int kernel : new int[] {1, 3, 5}) {
                for (int stride : new int[] {1, 2}) {
                    for (boolean same : new boolean[] {false, true}) {
                        for (boolean odd : new boolean[] {true, false}) {
                            for (int channels : new int[] {1, 3, 8}) {
                                for (int batch : new int[] {1, 4}) {
                                    for (boolean wide : new boolean[] {false, true}) {
                                        all.add(Arguments.of(engine, kernel, stride, same, odd, channels, batch,
                                                wide));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} k{1} s{2} same={3} odd={4} c{5} n{6} wide={7}")
    @MethodSource("cube")
    void convolutionAndPooling(String engine, int kernel, int stride, boolean same, boolean odd, int channels,
                               int batch, boolean wide) {
        int h = odd ? 7 : 8;
        int w = odd ? 5 : 6;
        // Few output channels take DirectConvolution's forward (at stride 1), 17 the matrix product.
        int outChannels = wide ? 17 : channels == 1 ? 2 : channels + 1;
        Padding padding = same ? Padding.same() : Padding.valid();
        Reference.Window g = Reference.window(batch, h, w, channels, kernel, kernel, stride, stride, same);
        SplittableRandom random = new SplittableRandom(
                ((((kernel * 3L + stride) * 2 + (same ? 1 : 0)) * 2 + (odd ? 1 : 0)) * 9 + channels) * 5 + batch);
        Harness.withEngine(engine, () -> {
            Conv2D conv = new Conv2D("sweep", new Conv2D.Config(outChannels, new int[] {kernel, kernel},
                    new int[] {stride, stride}, padding, true, Initializer.HE_NORMAL));
            Shape out = conv.build(Shape.of(h, w, channels), random);
            assertThat(out).isEqualTo(Shape.of(g.outRows(), g.outCols(), outChannels));
            Harness.randomize(conv.parameters().get(1), random);
            Tensor x = Harness.random(random, batch, h, w, channels);
            double[] xd = Harness.doubles(x);
            double[] k = Harness.doubles(conv.parameters().get(0).value());
            Tensor y = conv.forward(x, true);
            assertFinite("conv output", y);
            Harness.assertMatches("conv forward", y,
                    Reference.convForward(xd, k, Harness.doubles(conv.parameters().get(1).value()), g, outChannels));
            Tensor dy = Harness.random(random, y.shape().dims());
            Tensor dx = conv.backward(dy);
            assertFinite("conv dX", dx);
            assertThat(dx.shape()).isEqualTo(x.shape());
            for (Parameter p : conv.parameters()) {
                assertThat(p.gradient().shape()).as(p.name()).isEqualTo(p.value().shape());
                assertFinite(p.name() + " gradient", p.gradient());
            }
            Reference.Gradients expected = Reference.convBackward(xd, k, Harness.doubles(dy), g, outChannels);
            Harness.assertMatches("conv dX", dx, expected.input());
            Harness.assertMatches("conv dW", conv.parameters().get(0).gradient(), expected.kernel());
            Harness.assertMatches("conv db", conv.parameters().get(1).gradient(), expected.bias());

            int[] window = {kernel, kernel};
            int[] strides = {stride, stride};
            for (Pooling2D pool : new Pooling2D[] {
                new MaxPool2D("max", new MaxPool2D.Config(window, strides, padding)),
                new AveragePool2D("avg", new AveragePool2D.Config(window, strides, padding))}) {
                assertThat(pool.build(Shape.of(h, w, channels), random))
                        .isEqualTo(Shape.of(g.outRows(), g.outCols(), channels));
                boolean max = pool instanceof MaxPool2D;
                Tensor py = pool.forward(x, true);
                assertFinite(pool.type() + " output", py);
                Harness.assertMatches(pool.type() + " forward", py,
                        max ? Reference.maxPoolForward(xd, g, null) : Reference.averagePoolForward(xd, g));
                Tensor pdy = Harness.random(random, py.shape().dims());
                Tensor pdx = pool.backward(pdy);
                assertFinite(pool.type() + " dX", pdx);
                double[] pdyd = Harness.doubles(pdy);
                Harness.assertMatches(pool.type() + " dX", pdx,
                        max ? Reference.maxPoolBackward(xd, pdyd, g) : Reference.averagePoolBackward(pdyd, g));
            }
        });
    }

    static void assertFinite(String what, Tensor t) {
        float[] d = t.data();
        for (int i = 0; i < t.size(); i++) {
            assertThat(Float.isFinite(d[i])).as("%s element %d is %s", what, i, d[i]).isTrue();
        }
    }
}
