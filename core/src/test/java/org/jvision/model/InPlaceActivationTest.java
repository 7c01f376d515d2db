package org.jvision.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.jvision.layers.BatchNormalization;
import org.jvision.layers.Conv2D;
import org.jvision.layers.Dense;
import org.jvision.layers.Dropout;
import org.jvision.layers.Flatten;
import org.jvision.layers.Initializer;
import org.jvision.layers.Layer;
import org.jvision.layers.LeakyReLU;
import org.jvision.layers.MaxPool2D;
import org.jvision.layers.Padding;
import org.jvision.layers.ReLU;
import org.jvision.layers.Sigmoid;
import org.jvision.layers.Tanh;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.jvision.testing.Numerics;
import org.junit.jupiter.api.Test;

/**
 * Activations after a convolution, a dense layer or batch norm work in place (on the previous
 * layer's output and on the next layer's gradient): the model gives bit for bit the outputs,
 * input gradient and parameter gradients of the same model with every layer on its own buffers,
 * and the caller's input is never written.
 */
class InPlaceActivationTest {

    private static Sequential model() {
        return new Sequential(Shape.of(9, 7, 3))
                .add(new Tanh()) // first layer: its input is the caller's, never overwritten
                .add(new Conv2D(null, new Conv2D.Config(5, new int[] {3, 3}, new int[] {2, 1}, Padding.same(), true,
                        Initializer.HE_NORMAL)))
                .add(new ReLU())
                .add(new BatchNormalization(null, new BatchNormalization.Config(0.9, 1e-5)))
                .add(new LeakyReLU())
                .add(new MaxPool2D(null, MaxPool2D.Config.of(2)))
                .add(new Sigmoid()) // after pooling: not in place
                .add(new Flatten())
                .add(new Dense(null, new Dense.Config(6, true, Initializer.GLOROT_UNIFORM)))
                .add(new Tanh())
                .add(new Dropout(0.0))
                .add(new Dense(null, new Dense.Config(4, true, Initializer.GLOROT_UNIFORM)))
                .build(17);
    }

    @Test
    void inPlaceActivationsChangeNoNumberAndLeaveTheCallersInputAlone() {
        Sequential inPlace = model();
        Sequential separate = model();
        for (Layer layer : separate.layers()) {
            layer.setInputOverwritable(false);
        }
        List<Boolean> flags = inPlace.layers().stream().map(Layer::isInputOverwritable).toList();
        assertThat(flags).containsExactly(false, false, true, false, true, false, false, false, false, true, false, false);

        SplittableRandom random = new SplittableRandom(5);
        Tensor x = new Tensor(Shape.of(4, 9, 7, 3), Numerics.randomFloats(random, 4 * 9 * 7 * 3));
        Tensor dy = new Tensor(Shape.of(4, 4), Numerics.randomFloats(random, 16));
        float[] xBefore = x.toArray();
        for (int step = 0; step < 2; step++) { // twice: the second pass reuses every buffer
            inPlace.zeroGradients();
            separate.zeroGradients();
            float[] a = inPlace.forward(x, true).toArray();
            float[] b = separate.forward(x, true).toArray();
            assertThat(a).containsExactly(b);
            assertThat(x.toArray()).containsExactly(xBefore);
            float[] dyCopy = dy.toArray();
            float[] ga = inPlace.backward(new Tensor(dy.shape(), dyCopy.clone()), inPlace.layers().size()).toArray();
            float[] gb = separate.backward(new Tensor(dy.shape(), dyCopy.clone()), separate.layers().size()).toArray();
            assertThat(ga).containsExactly(gb);
            var pa = inPlace.namedParameters();
            var pb = separate.namedParameters();
            for (String name : pa.keySet()) {
                assertThat(pa.get(name).gradient().toArray()).as(name).containsExactly(pb.get(name).gradient().toArray());
            }
            float[] ia = inPlace.forward(x, false).toArray();
            assertThat(ia).containsExactly(separate.forward(x, false).toArray());
        }
    }
}
