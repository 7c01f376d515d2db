package org.jvision.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.jvision.kernel.Parallel;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/** Conv2D against the double reference (forward, dX, dW, db) under both engines; buffers; errors; config. */
class Conv2DTest {

    /** One convolution to check: batch, image, channels, kernel, strides, padding, bias. */
    record Case(int n, int h, int w, int cin, int cout, int kh, int kw, int sh, int sw, Padding padding,
                boolean bias) {
        Conv2D layer() {
            return new Conv2D("conv", new Conv2D.Config(cout, new int[] {kh, kw}, new int[] {sh, sw}, padding, bias,
                    null));
        }

        /** The reference's window, "same" padding recomputed by the test's own formula. */
        Reference.Window window(int batch) {
            return switch (padding.mode()) {
                case Padding.SAME -> Reference.window(batch, h, w, cin, kh, kw, sh, sw, true);
                case Padding.VALID -> Reference.window(batch, h, w, cin, kh, kw, sh, sw, false);
                default -> new Reference.Window(batch, h, w, cin, kh, kw, sh, sw, padding.top(), padding.bottom(),
                        padding.left(), padding.right());
            };
        }

        int outputRows() {
            return window(1).outRows();
        }

        int outputCols() {
            return window(1).outCols();
        }

        @Override
        public String toString() {
            return "n" + n + " " + h + "x" + w + "x" + cin + "->" + cout + " k" + kh + "x" + kw + " s" + sh + "x" + sw
                    + " " + padding + (bias ? "" : " no-bias");
        }
    }

    static final Case[] CASES = {
        new Case(2, 7, 5, 3, 4, 3, 3, 2, 2, Padding.same(), true),
        new Case(3, 6, 6, 2, 5, 3, 3, 1, 1, Padding.valid(), true),
        new Case(2, 5, 7, 3, 2, 2, 3, 2, 1, Padding.explicit(1, 0, 2, 1), true),
        new Case(2, 4, 5, 4, 3, 1, 1, 1, 1, Padding.valid(), true),    // pointwise: no im2col
        new Case(2, 5, 5, 3, 3, 1, 1, 2, 2, Padding.valid(), false),   // 1x1 stride 2 subsamples
        new Case(1, 9, 8, 1, 2, 5, 5, 3, 3, Padding.valid(), true),    // ragged edge
        new Case(2, 7, 7, 2, 3, 2, 2, 3, 3, Padding.valid(), true),    // stride > kernel: pixels never read
        new Case(3, 6, 7, 3, 2, 4, 3, 2, 2, Padding.same(), true),     // even kernel, odd pixel bottom/right
        new Case(4, 16, 16, 8, 8, 3, 3, 1, 1, Padding.same(), true),   // big enough to split over threads
        // TransposedInputGradient (stride 1, at least 16 input channels):
        new Case(3, 6, 7, 16, 5, 3, 3, 1, 1, Padding.same(), true),
        new Case(2, 7, 6, 17, 20, 3, 2, 1, 1, Padding.valid(), false),
        new Case(2, 5, 6, 32, 3, 2, 4, 1, 1, Padding.explicit(1, 0, 3, 2), true), // uneven padding
        // DirectConvolution (few output channels, column stride 1):
        new Case(3, 28, 28, 1, 6, 5, 5, 1, 1, Padding.explicit(2, 2, 2, 2), true), // LeNet's first layer
        new Case(2, 7, 9, 2, 6, 3, 3, 2, 1, Padding.same(), false),    // row stride 2, no bias
        new Case(1, 5, 40, 2, 13, 3, 3, 1, 1, Padding.same(), true),   // rows over two vectors, 6+6+1 channels
    };

    static Stream<Arguments> enginesAndCases() {
        return Harness.engines().flatMap(e -> Stream.of(CASES).map(c -> Arguments.of(e, c)));
    }

    /** Builds the layer with random weights and bias, then checks one forward and backward against the reference. */
    static Conv2D buildRandom(Case c, SplittableRandom random) {
        Conv2D conv = c.layer();
        conv.build(Shape.of(c.h(), c.w(), c.cin()), random);
        for (Parameter p : conv.parameters()) {
            Harness.randomize(p, random);
        }
        return conv;
    }

    /** Runs forward and backward on a batch of {@code batch} and compares everything with the reference. */
    static void checkAgainstReference(Conv2D conv, Case c, int batch, SplittableRandom random) {
        Tensor x = Harness.random(random, batch, c.h(), c.w(), c.cin());
        Reference.Window g = c.window(batch);
        double[] k = Harness.doubles(conv.parameters().get(0).value());
        double[] b = c.bias() ? Harness.doubles(conv.parameters().get(1).value()) : null;
        double[] xd = Harness.doubles(x);

        Tensor y = conv.forward(x, true);
        assertThat(y.shape()).isEqualTo(Shape.of(batch, g.outRows(), g.outCols(), c.cout()));
        Harness.assertMatches(c + " forward", y, Reference.convForward(xd, k, b, g, c.cout()));

        Tensor dy = Harness.random(random, y.shape().dims());
        conv.parameters().forEach(Parameter::zeroGradient);
        Tensor dx = conv.backward(dy);
        Reference.Gradients expected = Reference.convBackward(xd, k, Harness.doubles(dy), g, c.cout());
        Harness.assertMatches(c + " dX", dx, expected.input());
        assertThat(dx.shape()).isEqualTo(x.shape());
        Harness.assertMatches(c + " dW", conv.parameters().get(0).gradient(), expected.kernel());
        if (c.bias()) {
            Harness.assertMatches(c + " db", conv.parameters().get(1).gradient(), expected.bias());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("enginesAndCases")
    void matchesTheReference(String engine, Case c) {
        Harness.withEngine(engine, () -> {
            SplittableRandom random = new SplittableRandom(c.hashCode());
            Conv2D conv = buildRandom(c, random);
            checkAgainstReference(conv, c, c.n(), random);
            // Again on the same buffers: forward must not add to what the last batch left in them.
            checkAgainstReference(conv, c, c.n(), random);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.jvision.layers.Harness#engines")
    void aSecondBackwardAddsToTheParameterGradients(String engine) {
        Harness.withEngine(engine, () -> {
            for (Case c : new Case[] {CASES[0], CASES[3]}) { // im2col and pointwise paths
                SplittableRandom random = new SplittableRandom(11);
                Conv2D conv = buildRandom(c, random);
                Tensor x = Harness.random(random, c.n(), c.h(), c.w(), c.cin());
                Tensor y = conv.forward(x, true);
                Tensor dy = Harness.random(random, y.shape().dims());
                Reference.Gradients once = Reference.convBackward(Harness.doubles(x),
                        Harness.doubles(conv.parameters().get(0).value()), Harness.doubles(dy), c.window(c.n()),
                        c.cout());
                float[] dx1 = conv.backward(dy).toArray();
                float[] dx2 = conv.backward(dy).toArray();
                assertThat(dx2).as(c + " dX is the same both times").containsExactly(dx1);
                Harness.assertMatches(c + " dW after two", conv.parameters().get(0).gradient(),
                        Harness.scaled(once.kernel(), 2));
                Harness.assertMatches(c + " db after two", conv.parameters().get(1).gradient(),
                        Harness.scaled(once.bias(), 2));
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.jvision.layers.Harness#engines")
    void aSmallerLastBatchReusesTheBuffers(String engine) {
        Harness.withEngine(engine, () -> {
            for (Case c : new Case[] {CASES[0], CASES[3]}) {
                SplittableRandom random = new SplittableRandom(5);
                Conv2D conv = buildRandom(c, random);
                checkAgainstReference(conv, c, 4, random);
                float[] output = conv.forward(Harness.random(random, 4, c.h(), c.w(), c.cin()), true).data();
                float[] inputGradient = conv.backward(Harness.random(random, 4, c.outputRows(), c.outputCols(), c.cout()))
                        .data();
                checkAgainstReference(conv, c, 3, random);
                Tensor small = conv.forward(Harness.random(random, 3, c.h(), c.w(), c.cin()), true);
                assertThat(small.data()).isSameAs(output);
                assertThat(conv.backward(Harness.random(random, small.shape().dims())).data()).isSameAs(inputGradient);
                checkAgainstReference(conv, c, 4, random); // and back to the full size
            }
        });
    }

    /**
     * A batch of 41 small images is cut into groups of 14 (about 512 output pixels each), 3 groups
     * over 1, 2 or 3 threads: every group's product and every task's block of dW must land.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.jvision.layers.Harness#engines")
    void aBatchOfManyImageGroupsMatchesTheReferenceOnAnyThreadCount(String engine) {
        Case c = new Case(41, 6, 6, 3, 5, 3, 3, 1, 1, Padding.same(), true);
        assertThat(ImageGroups.of(c.n(), c.outputRows() * c.outputCols()).groups()).isEqualTo(3);
        int saved = Parallel.threads();
        Harness.withEngine(engine, () -> {
            try {
                for (int threads = 1; threads <= 3; threads++) {
                    Parallel.setThreads(threads);
                    SplittableRandom random = new SplittableRandom(threads);
                    checkAgainstReference(buildRandom(c, random), c, c.n(), random);
                }
            } finally {
                Parallel.setThreads(saved);
            }
        });
    }

    /** Once warmed up, a training step allocates no buffers: everything lives in reused tensors. */
    @ParameterizedTest
    @ValueSource(ints = {8, 14})
    void aWarmTrainingStepAllocatesNoBuffers(int index) throws Exception {
        // im2col (16x16x8) and the direct convolution. Not the transposed input gradient's small
        // case (3 images of 6x7x16): in the full suite its one-vector product left about 15 KB of
        // small objects a step even after 1,000 warm steps (not buffers; vgg-small's layers leave
        // 10 KB a step with or without it).
        Case c = CASES[index];
        SplittableRandom random = new SplittableRandom(1);
        Conv2D conv = buildRandom(c, random);
        Tensor x = Harness.random(random, c.n(), c.h(), c.w(), c.cin());
        Tensor dy = Harness.random(random, c.n(), c.outputRows(), c.outputCols(), c.cout());
        // Warm: until C2 compiles them, the Vector API's operations allocate their vectors.
        for (int i = 0; i < 200; i++) {
            conv.forward(x, true);
            conv.backward(dy);
        }
        long before = allocatedBytes();
        for (int i = 0; i < 5; i++) {
            conv.forward(x, true);
            conv.backward(dy);
        }
        long allocated = allocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by 5 warm steps of " + c).isLessThan(64 * 1024);
    }

    @Test
    void withoutInputGradientTheParameterGradientsAreUnchanged() {
        Case c = CASES[CASES.length - 1];
        Conv2D full = buildRandom(c, new SplittableRandom(5));
        Conv2D first = buildRandom(c, new SplittableRandom(5));
        first.setInputGradientNeeded(false);
        SplittableRandom random = new SplittableRandom(6);
        Tensor x = Harness.random(random, c.n(), c.h(), c.w(), c.cin());
        Tensor dy = Harness.random(random, c.n(), c.outputRows(), c.outputCols(), c.cout());
        full.forward(x, true);
        assertThat(full.backward(dy)).isNotNull();
        first.forward(x, true);
        assertThat(first.backward(dy)).isNull();
        for (int i = 0; i < full.parameters().size(); i++) {
            assertThat(first.parameters().get(i).gradient().toArray())
                    .isEqualTo(full.parameters().get(i).gradient().toArray());
        }
    }

    /**
     * Bytes allocated so far by this thread (HotSpot's ThreadMXBean), reached by reflection: the
     * tests compile inside the org.jvision module, which does not read java.management.
     */
    static long allocatedBytes() throws Exception {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        return (long) Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes")
                .invoke(bean);
    }

    @Test
    void parametersAreNamedShapedAndInitialized() {
        Conv2D conv = new Conv2D("c1", Conv2D.Config.of(16, 3).withPadding(Padding.same()));
        assertThat(conv.build(Shape.of(28, 28, 3), new SplittableRandom(1))).isEqualTo(Shape.of(28, 28, 16));
        Parameter kernel = conv.parameters().get(0);
        Parameter bias = conv.parameters().get(1);
        assertThat(kernel.name()).isEqualTo("kernel");
        assertThat(kernel.value().shape()).isEqualTo(Shape.of(3, 3, 3, 16));
        assertThat(kernel.regularizable()).isTrue();
        assertThat(bias.name()).isEqualTo("bias");
        assertThat(bias.value().shape()).isEqualTo(Shape.of(16));
        assertThat(bias.regularizable()).isFalse();
        assertThat(bias.value().toArray()).containsOnly(0f);
        // Glorot uniform with fan-in 3*3*3 = 27 and fan-out 3*3*16 = 144.
        double limit = Math.sqrt(6.0 / (27 + 144));
        double largest = 0;
        for (float v : kernel.value().toArray()) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertThat(largest).isLessThanOrEqualTo(limit).isGreaterThan(0.95 * limit);

        Conv2D noBias = new Conv2D("c2", Conv2D.Config.of(4, 1).withUseBias(false));
        noBias.build(Shape.of(5, 5, 2), new SplittableRandom(1));
        assertThat(noBias.parameters()).extracting(Parameter::name).containsExactly("kernel");
    }

    @Test
    void configRoundTripsThroughJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Conv2D.Config config = Conv2D.Config.of(32, 5).withStrides(2, 1).withPadding(Padding.explicit(1, 2, 0, 3))
                .withUseBias(false).withKernelInitializer(Initializer.HE_NORMAL);
        String text = json.writeValueAsString(config);
        assertThat(text).contains("\"kernelSize\":[5,5]", "\"strides\":[2,1]", "\"mode\":\"explicit\"");
        Conv2D.Config back = json.readValue(text, Conv2D.Config.class);
        assertThat(back).isEqualTo(config);
        assertThat(new Conv2D("again", back).config()).isEqualTo(config);
        Conv2D.Config same = Conv2D.Config.of(8, 3).withPadding(Padding.same());
        assertThat(json.readValue(json.writeValueAsString(same), Conv2D.Config.class)).isEqualTo(same);
    }

    @Test
    void rejectsBadHyperparametersNamingTheLayerAndTheValue() {
        assertThatThrownBy(() -> new Conv2D("c1", Conv2D.Config.of(0, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Conv2D 'c1': filters must be positive, received: 0");
        assertThatThrownBy(() -> new Conv2D("c1", Conv2D.Config.of(8, 3).withStrides(0, 1)))
                .hasMessage("Conv2D 'c1': strides must be two positive values {rows, cols}, received: [0, 1]");
        assertThatThrownBy(() -> new Conv2D("c1", Conv2D.Config.of(8, 3).withStrides(2, -1)))
                .hasMessageContaining("Conv2D 'c1'").hasMessageContaining("[2, -1]");
        assertThatThrownBy(() -> new Conv2D("c1", new Conv2D.Config(8, new int[] {3}, null, null, true, null)))
                .hasMessage("Conv2D 'c1': kernelSize must be two positive values {rows, cols}, received: [3]");
        assertThatThrownBy(() -> Padding.parse("full")).hasMessageContaining("'full'");
        assertThatThrownBy(() -> Padding.explicit(1, -1, 0, 0)).hasMessageContaining("bottom=-1");
    }

    @Test
    void rejectsAKernelLargerThanThePaddedInput() {
        Conv2D conv = new Conv2D("conv2d_2", 8, 5);
        assertThatThrownBy(() -> conv.build(Shape.of(4, 4, 1), new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Conv2D 'conv2d_2': kernel 5x5 is larger than the padded input 4x4 (input 4x4, padding valid)");
        assertThatThrownBy(() -> new Conv2D("c", 8, 3, 1, Padding.valid()).outputShape(Shape.of(6, 2, 1)))
                .hasMessageContaining("kernel 3x3 is larger than the padded input 6x2");
        // Padding can make it fit; "same" always does.
        assertThat(new Conv2D("c", 8, 5, 1, Padding.explicit(1)).outputShape(Shape.of(4, 4, 1)))
                .isEqualTo(Shape.of(2, 2, 8));
        assertThat(new Conv2D("c", 8, 5, 1, Padding.same()).outputShape(Shape.of(4, 4, 1)))
                .isEqualTo(Shape.of(4, 4, 8));
    }

    @Test
    void rejectsInputsThatDoNotFitNamingBothShapes() {
        Conv2D conv = new Conv2D("conv2d_2", 8, 3);
        conv.build(Shape.of(6, 6, 3), new SplittableRandom(1));
        assertThatThrownBy(() -> conv.forward(Tensor.zeros(2, 6, 6, 4), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Conv2D 'conv2d_2': input has 4 channels, kernel expects 3 (input shape [2, 6, 6, 4],"
                        + " kernel shape [3, 3, 3, 8])");
        assertThatThrownBy(() -> conv.outputShape(Shape.of(6, 6, 1)))
                .hasMessageContaining("Conv2D 'conv2d_2': input has 1 channels, kernel expects 3");
        assertThatThrownBy(() -> conv.forward(Tensor.zeros(2, 5, 6, 3), true))
                .hasMessageContaining("Conv2D 'conv2d_2'").hasMessageContaining("[batch, 6, 6, 3]")
                .hasMessageContaining("[2, 5, 6, 3]");
        assertThatThrownBy(() -> new Conv2D("c4", 8, 3).outputShape(Shape.of(784)))
                .hasMessage("Conv2D 'c4': expects images [rows, cols, channels] per example, received input shape [784]");
        assertThatThrownBy(() -> conv.backward(Tensor.zeros(2, 4, 4, 8))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before forward");
        conv.forward(Tensor.zeros(2, 6, 6, 3), true);
        assertThatThrownBy(() -> conv.backward(Tensor.zeros(2, 4, 4, 7)))
                .hasMessageContaining("[2, 4, 4, 7]").hasMessageContaining("[2, 4, 4, 8]");
    }
}
