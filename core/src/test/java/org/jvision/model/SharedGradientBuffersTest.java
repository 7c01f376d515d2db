package org.jvision.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jvision.layers.AveragePool2D;
import org.jvision.layers.BatchNormalization;
import org.jvision.layers.Conv2D;
import org.jvision.layers.Dense;
import org.jvision.layers.Dropout;
import org.jvision.layers.Flatten;
import org.jvision.layers.GlobalAveragePool2D;
import org.jvision.layers.Initializer;
import org.jvision.layers.Layer;
import org.jvision.layers.LeakyReLU;
import org.jvision.layers.MaxPool2D;
import org.jvision.layers.Padding;
import org.jvision.layers.ReLU;
import org.jvision.layers.Sigmoid;
import org.jvision.layers.Softmax;
import org.jvision.layers.Tanh;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.jvision.testing.Numerics;

/**
 * The layers of a model share two buffers for their input gradients: every gradient, and the
 * model's input gradient, are bit for bit those of the same model with every layer on its own
 * buffer. The shapes leave parts of some input gradients untouched by the window (a 1×1 kernel
 * with stride 2, pooling with a row and a column left over), which a layer must still write,
 * since a shared buffer holds another layer's values.
 */
class SharedGradientBuffersTest {

    private static Conv2D conv(int filters, int kernel, int[] strides, Padding padding) {
        return new Conv2D(null, new Conv2D.Config(filters, new int[] {kernel, kernel}, strides, padding, true,
                Initializer.HE_NORMAL));
    }

    private static Sequential convolutional() {
        return new Sequential(Shape.of(15, 13, 2))
                .add(conv(4, 3, new int[] {2, 1}, Padding.same()))
                .add(new BatchNormalization(null, new BatchNormalization.Config(0.9, 1e-5)))
                .add(new ReLU())
                .add(new MaxPool2D(null, MaxPool2D.Config.of(2))) // 8×13 → 4×6: a column left over
                .add(conv(6, 1, new int[] {2, 2}, Padding.valid())) // every other pixel untouched
                .add(new Tanh())
                .add(new AveragePool2D(2)) // 2×3 → 1×1: a column left over
                .add(new Flatten())
                .add(new Dense(null, new Dense.Config(5, true, Initializer.GLOROT_UNIFORM)))
                .add(new Dropout(0.5))
                .add(new LeakyReLU())
                .add(new Dense(null, new Dense.Config(4, true, Initializer.GLOROT_UNIFORM)))
                .add(new Softmax())
                .build(23);
    }

    private static Sequential globalPooling() {
        return new Sequential(Shape.of(9, 11, 3))
                .add(conv(8, 3, new int[] {1, 1}, Padding.valid()))
                .add(new Sigmoid())
                .add(conv(5, 3, new int[] {2, 2}, Padding.same()))
                .add(new GlobalAveragePool2D(null))
                .add(new Dense(null, new Dense.Config(3, false, Initializer.GLOROT_UNIFORM)))
                .build(29);
    }

    static Stream<Arguments> models() {
        return Stream.of(Arguments.of("convolutional", (Supplier<Sequential>) SharedGradientBuffersTest::convolutional),
                Arguments.of("global pooling", (Supplier<Sequential>) SharedGradientBuffersTest::globalPooling));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void sharedBuffersChangeNoGradient(String name, Supplier<Sequential> build) {
        Sequential shared = build.get();
        Sequential separate = build.get();
        for (Layer layer : separate.layers()) {
            layer.setGradientBuffers(null);
        }
        // The model's own input gradient too: the first layer writes one when asked.
        shared.layers().get(0).setInputGradientNeeded(true);
        separate.layers().get(0).setInputGradientNeeded(true);
        Shape input = shared.inputShape();
        Shape output = shared.outputShape();
        SplittableRandom random = new SplittableRandom(11);
        for (int step = 0; step < 3; step++) { // each pass leaves other values in the shared buffers
            int batch = 5 - step;
            Tensor x = new Tensor(input.withBatch(batch), Numerics.randomFloats(random, batch * input.size()));
            float[] dy = Numerics.randomFloats(random, batch * output.size());
            shared.zeroGradients();
            separate.zeroGradients();
            assertThat(shared.forward(x, true).toArray()).containsExactly(separate.forward(x, true).toArray());
            Tensor sharedDx = shared.backward(new Tensor(output.withBatch(batch), dy.clone()), shared.layers().size());
            Tensor separateDx = separate.backward(new Tensor(output.withBatch(batch), dy.clone()),
                    separate.layers().size());
            assertThat(sharedDx.toArray()).as("input gradient, pass %d", step).containsExactly(separateDx.toArray());
            var a = shared.namedParameters();
            var b = separate.namedParameters();
            for (String parameter : a.keySet()) {
                assertThat(a.get(parameter).gradient().toArray()).as("%s, pass %d", parameter, step)
                        .containsExactly(b.get(parameter).gradient().toArray());
            }
        }
    }
}
