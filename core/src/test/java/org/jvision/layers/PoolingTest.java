package org.jvision.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/** Max, average and global average pooling against the double reference; ties; "same" counting; errors. */
class PoolingTest {

    /** batch, h, w, channels, kh, kw, sh, sw, same */
    record Case(int n, int h, int w, int c, int kh, int kw, int sh, int sw, boolean same) {
        Reference.Window window(int batch) {
            return Reference.window(batch, h, w, c, kh, kw, sh, sw, same);
        }

        Padding padding() {
            return same ? Padding.same() : Padding.valid();
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(2, 6, 6, 3, 2, 2, 2, 2, false),
                new Case(3, 7, 5, 2, 3, 3, 2, 2, true),   // odd sizes, "same": border windows are smaller
                new Case(2, 7, 7, 4, 3, 3, 1, 1, true),   // overlapping windows
                new Case(1, 9, 8, 1, 4, 3, 3, 2, false),  // ragged edge
                new Case(2, 6, 6, 2, 2, 2, 3, 3, false),  // stride > window: pixels never read
                new Case(4, 16, 16, 8, 2, 2, 2, 2, true), // big enough to split over threads
                // Windows that tile the image (TiledMaxPooling), with ragged edges left unread.
                new Case(3, 7, 9, 3, 2, 2, 2, 2, false),
                new Case(2, 10, 7, 2, 3, 2, 3, 2, false),
                new Case(5, 28, 28, 6, 2, 2, 2, 2, false), // LeNet's first pooling, over threads
                new Case(3, 7, 9, 32, 2, 2, 2, 2, false),  // whole vectors of channels, ragged edges
                new Case(4, 14, 14, 64, 2, 2, 2, 2, false)); // vgg-small's second pooling, over threads
    }

    static void check(Pooling2D layer, Case c, int batch, SplittableRandom random) {
        Tensor x = Harness.random(random, batch, c.h(), c.w(), c.c());
        Reference.Window g = c.window(batch);
        boolean max = layer instanceof MaxPool2D;
        double[] xd = Harness.doubles(x);
        Tensor y = layer.forward(x, true);
        assertThat(y.shape()).isEqualTo(Shape.of(batch, g.outRows(), g.outCols(), c.c()));
        Harness.assertMatches(layer.describe() + " " + c + " forward", y,
                max ? Reference.maxPoolForward(xd, g, null) : Reference.averagePoolForward(xd, g));
        Tensor dy = Harness.random(random, y.shape().dims());
        double[] dyd = Harness.doubles(dy);
        Harness.assertMatches(layer.describe() + " " + c + " dX", layer.backward(dy),
                max ? Reference.maxPoolBackward(xd, dyd, g) : Reference.averagePoolBackward(dyd, g));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void maxPoolingMatchesTheReference(Case c) {
        SplittableRandom random = new SplittableRandom(c.hashCode());
        MaxPool2D pool = new MaxPool2D("max", new MaxPool2D.Config(new int[] {c.kh(), c.kw()},
                new int[] {c.sh(), c.sw()}, c.padding()));
        pool.build(Shape.of(c.h(), c.w(), c.c()), random);
        check(pool, c, c.n(), random);
        float[] out = pool.forward(Harness.random(random, c.n(), c.h(), c.w(), c.c()), true).data();
        check(pool, c, 1, random); // a smaller last batch
        assertThat(pool.forward(Harness.random(random, 1, c.h(), c.w(), c.c()), true).data()).isSameAs(out);
        check(pool, c, c.n(), random);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void averagePoolingMatchesTheReference(Case c) {
        SplittableRandom random = new SplittableRandom(c.hashCode() + 1);
        AveragePool2D pool = new AveragePool2D("avg", new AveragePool2D.Config(new int[] {c.kh(), c.kw()},
                new int[] {c.sh(), c.sw()}, c.padding()));
        pool.build(Shape.of(c.h(), c.w(), c.c()), random);
        check(pool, c, c.n(), random);
        check(pool, c, 1, random);
        check(pool, c, c.n(), random);
    }

    @Test
    void aNaNWinsItsWindowAndTheOthersAreUntouched() {
        MaxPool2D pool = new MaxPool2D("p", 2);
        pool.build(Shape.of(2, 4, 1), new SplittableRandom(1));
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, Float.NaN, 0, 7, 8}, 1, 2, 4, 1);
        Tensor y = pool.forward(x, true);
        assertThat(Float.isNaN(y.data()[0])).isTrue();
        assertThat(y.data()[1]).isEqualTo(8f);
        Tensor dx = pool.backward(Tensor.of(new float[] {1, 1}, 1, 1, 2, 1));
        // The finite window's gradient goes to its maximum (8, at index 7); the NaN window's to one pixel.
        assertThat(dx.data()[7]).isEqualTo(1f);
        assertThat(dx.data()[2] + dx.data()[3] + dx.data()[6]).isZero();
        assertThat(dx.data()[0] + dx.data()[1] + dx.data()[4] + dx.data()[5]).isEqualTo(1f);
    }

    @Test
    void maxPoolingSendsTheGradientToTheFirstOfTiedMaxima() {
        MaxPool2D pool = new MaxPool2D("max", 2);
        pool.build(Shape.of(2, 4, 1), new SplittableRandom(1));
        Tensor x = Tensor.of(new float[] {1, 5, 7, 7, 5, 5, 7, 7}, 1, 2, 4, 1);
        assertThat(pool.forward(x, true).toArray()).containsExactly(5, 7);
        Tensor dy = Tensor.of(new float[] {10, 20}, 1, 1, 2, 1);
        // Left window {1, 5 / 5, 5}: the 5 at (0, 1) comes first; right window all 7: (0, 2) comes first.
        assertThat(pool.backward(dy).toArray()).containsExactly(0, 10, 20, 0, 0, 0, 0, 0);
    }

    @Test
    void negativeAndPositiveZeroTieAsEqualNumbers() {
        // Max pooling compares bits in its 2x2 path; -0 and +0 must still count as equal, as == says.
        MaxPool2D pool = new MaxPool2D("max", 2);
        pool.build(Shape.of(2, 4, 1), new SplittableRandom(1));
        Tensor x = Tensor.of(new float[] {-0f, 0f, -3, 0f, -1, -2, -4, -0f}, 1, 2, 4, 1);
        pool.forward(x, true);
        assertThat(pool.backward(Tensor.of(new float[] {10, 20}, 1, 1, 2, 1)).toArray())
                .containsExactly(10, 0, 0, 20, 0, 0, 0, 0);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void maxPoolingGivesTiesToTheFirstPixelInRowMajorOrder(Case c) {
        SplittableRandom random = new SplittableRandom(c.hashCode() + 2);
        MaxPool2D pool = new MaxPool2D("max", new MaxPool2D.Config(new int[] {c.kh(), c.kw()},
                new int[] {c.sh(), c.sw()}, c.padding()));
        pool.build(Shape.of(c.h(), c.w(), c.c()), random);
        Tensor x = Tensor.zeros(c.n(), c.h(), c.w(), c.c());
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = random.nextInt(3); // many ties in every window
        }
        Reference.Window g = c.window(c.n());
        Tensor y = pool.forward(x, true);
        Tensor dy = Harness.random(random, y.shape().dims());
        Harness.assertMatches("max pooling dX with ties " + c, pool.backward(dy),
                Reference.maxPoolBackward(Harness.doubles(x), Harness.doubles(dy), g));
    }

    @Test
    void maxPoolingBackwardAfterAnInferenceForwardMatchesTheTrainingOne() {
        // Inference skips locating the maxima; a backward pass after it (frozen layers in transfer
        // learning) must find them itself, ties and all.
        SplittableRandom random = new SplittableRandom(5);
        MaxPool2D pool = new MaxPool2D("max", new MaxPool2D.Config(new int[] {3, 2}, new int[] {2, 1}, Padding.same()));
        pool.build(Shape.of(7, 5, 3), random);
        Tensor x = Tensor.zeros(2, 7, 5, 3);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = random.nextInt(4); // small integers: many ties
        }
        Tensor dy = Tensor.zeros(pool.outputShape().withBatch(2).dims());
        for (int i = 0; i < dy.size(); i++) {
            dy.data()[i] = (float) random.nextGaussian();
        }
        pool.forward(x, true);
        float[] trained = pool.backward(dy).toArray();
        pool.forward(x, false);
        assertThat(pool.backward(dy).toArray()).containsExactly(trained);
    }

    @Test
    void averagePoolingWithSameDividesByTheRealPixelsOnly() {
        // 3x3 image, 2x2 window, stride 2, "same": out 2x2, one row and column of padding at the bottom/right.
        AveragePool2D pool = new AveragePool2D("avg", new AveragePool2D.Config(new int[] {2, 2}, null, Padding.same()));
        assertThat(pool.build(Shape.of(3, 3, 1), new SplittableRandom(1))).isEqualTo(Shape.of(2, 2, 1));
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3, 1);
        // windows: {1,2,4,5}/4, {3,6}/2, {7,8}/2, {9}/1, as Keras; padding is not averaged in as zeros.
        assertThat(pool.forward(x, true).toArray()).containsExactly(3f, 4.5f, 7.5f, 9f);
        Tensor dy = Tensor.of(new float[] {4, 2, 2, 1}, 1, 2, 2, 1);
        assertThat(pool.backward(dy).toArray()).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void maxPoolingWithSameIgnoresThePadding() {
        MaxPool2D pool = new MaxPool2D("max", new MaxPool2D.Config(new int[] {2, 2}, null, Padding.same()));
        pool.build(Shape.of(3, 3, 1), new SplittableRandom(1));
        Tensor x = Tensor.of(new float[] {-1, -2, -3, -4, -5, -6, -7, -8, -9}, 1, 3, 3, 1);
        assertThat(pool.forward(x, true).toArray()).containsExactly(-1, -3, -7, -9); // not 0 from the padding
    }

    @Test
    void poolingKeepsChannelsAndStridesDefaultToThePoolSize() {
        MaxPool2D pool = new MaxPool2D("p", new MaxPool2D.Config(new int[] {3, 2}, null, null));
        assertThat(pool.config().strides()).containsExactly(3, 2);
        assertThat(pool.build(Shape.of(9, 8, 5), new SplittableRandom(1))).isEqualTo(Shape.of(3, 4, 5));
    }

    @Test
    void globalAveragePooling() {
        GlobalAveragePool2D gap = new GlobalAveragePool2D("gap");
        assertThat(gap.build(Shape.of(5, 3, 4), new SplittableRandom(1))).isEqualTo(Shape.of(4));
        SplittableRandom random = new SplittableRandom(9);
        for (int batch : new int[] {3, 1, 3}) {
            Tensor x = Harness.random(random, batch, 5, 3, 4);
            Harness.assertMatches("global average forward", gap.forward(x, true),
                    Reference.globalAverageForward(Harness.doubles(x), batch, 5, 3, 4));
            Tensor dy = Harness.random(random, batch, 4);
            Harness.assertMatches("global average dX", gap.backward(dy),
                    Reference.globalAverageBackward(Harness.doubles(dy), batch, 5, 3, 4));
        }
        assertThatThrownBy(() -> new GlobalAveragePool2D("gap").outputShape(Shape.of(10)))
                .hasMessage("GlobalAveragePool2D 'gap': expects non-empty images [rows, cols, channels] per example,"
                        + " received input shape [10]");
    }

    @Test
    void configsRoundTripThroughJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        MaxPool2D.Config max = new MaxPool2D.Config(new int[] {3, 3}, new int[] {2, 2}, Padding.same());
        assertThat(json.readValue(json.writeValueAsString(max), MaxPool2D.Config.class)).isEqualTo(max);
        AveragePool2D.Config avg = AveragePool2D.Config.of(2);
        assertThat(json.readValue(json.writeValueAsString(avg), AveragePool2D.Config.class)).isEqualTo(avg);
        GlobalAveragePool2D.Config gap = new GlobalAveragePool2D.Config();
        assertThat(json.readValue(json.writeValueAsString(gap), GlobalAveragePool2D.Config.class)).isEqualTo(gap);
    }

    @Test
    void errorsNameTheLayerAndTheValues() {
        assertThatThrownBy(() -> new MaxPool2D("p1", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MaxPool2D 'p1': poolSize must be two positive values {rows, cols}, received: [0, 0]");
        assertThatThrownBy(() -> new AveragePool2D("p2", new AveragePool2D.Config(new int[] {2, 2}, new int[] {1, 0},
                null))).hasMessage("AveragePool2D 'p2': strides must be two positive values {rows, cols}, received: [1, 0]");
        assertThatThrownBy(() -> new MaxPool2D("p3", new MaxPool2D.Config(new int[] {2, 2}, null,
                Padding.explicit(1)))).hasMessageContaining("MaxPool2D 'p3': padding must be 'valid' or 'same'");
        assertThatThrownBy(() -> new MaxPool2D("p4", 3).build(Shape.of(2, 5, 1), new SplittableRandom(1)))
                .hasMessage("MaxPool2D 'p4': pool window 3x3 is larger than the padded input 2x5 (input 2x5, padding valid)");
        MaxPool2D pool = new MaxPool2D("p5", 2);
        pool.build(Shape.of(4, 4, 3), new SplittableRandom(1));
        assertThatThrownBy(() -> pool.forward(Tensor.zeros(1, 4, 4, 2), true))
                .hasMessage("MaxPool2D 'p5': expects input of shape [batch, 4, 4, 3], got [1, 4, 4, 2]");
        assertThatThrownBy(() -> pool.backward(Tensor.zeros(1, 2, 2, 3))).isInstanceOf(IllegalStateException.class);
    }
}
