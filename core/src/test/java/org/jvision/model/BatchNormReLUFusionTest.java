package org.jvision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.jvision.layers.BatchNormalization;
import org.jvision.layers.Conv2D;
import org.jvision.layers.Dense;
import org.jvision.layers.ElementwiseActivation;
import org.jvision.layers.Flatten;
import org.jvision.layers.Initializer;
import org.jvision.layers.Layer;
import org.jvision.layers.LeakyReLU;
import org.jvision.layers.MaxPool2D;
import org.jvision.layers.Padding;
import org.jvision.layers.ReLU;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.jvision.testing.Numerics;
import org.junit.jupiter.api.Test;

/**
 * A ReLU right after batch norm runs inside it: the model gives the outputs, input gradient and
 * parameter gradients of the same model with the two layers on their own, in training and after an
 * inference forward (a frozen layer fine-tuned through), on whichever kernels the engine chose.
 * Only the sign of a zero may differ (the ReLU's own backward writes {@code dy · 0}, the fused
 * gate a plain zero), so values are compared as numbers.
 */
class BatchNormReLUFusionTest {

    private static Sequential model() {
        return new Sequential(Shape.of(9, 7, 3))
                // first: its input is the caller's
                .add(new BatchNormalization(null, new BatchNormalization.Config(0.9, 1e-5)))
                .add(new ReLU())
                .add(new Conv2D(null, new Conv2D.Config(18, new int[] {3, 3}, new int[] {1, 1}, Padding.same(), false,
                        Initializer.HE_NORMAL)))
                .add(new BatchNormalization(null, new BatchNormalization.Config(0.9, 1e-5)))
                .add(new ReLU())
                .add(new MaxPool2D(null, MaxPool2D.Config.of(2)))
                .add(new BatchNormalization(null, new BatchNormalization.Config(0.9, 1e-5)))
                .add(new LeakyReLU()) // not a ReLU: not fused
                .add(new Flatten())
                .add(new Dense(null, new Dense.Config(4, true, Initializer.GLOROT_UNIFORM)))
                .build(23);
    }

    @Test
    void theFusedPairGivesTheNumbersOfTheTwoLayersApart() {
        Sequential fused = model();
        Sequential apart = model();
        for (Layer layer : apart.layers()) {
            if (layer instanceof BatchNormalization norm) {
                norm.setOutputRectified(false);
            } else if (layer instanceof ElementwiseActivation activation) {
                activation.setAppliedByPreviousLayer(false);
            }
        }
        List<Boolean> rectified = fused.layers().stream().filter(l -> l instanceof BatchNormalization)
                .map(l -> ((BatchNormalization) l).isOutputRectified()).toList();
        assertThat(rectified).containsExactly(true, true, false);
        assertThat(((ReLU) fused.layers().get(4)).isAppliedByPreviousLayer()).isTrue();
        assertThat(((LeakyReLU) fused.layers().get(7)).isAppliedByPreviousLayer()).isFalse();

        SplittableRandom random = new SplittableRandom(7);
        Tensor x = new Tensor(Shape.of(5, 9, 7, 3), Numerics.randomFloats(random, 5 * 9 * 7 * 3));
        Tensor dy = new Tensor(Shape.of(5, 4), Numerics.randomFloats(random, 20));
        for (boolean training : new boolean[] {true, true, false}) { // twice in training: buffers reused
            fused.zeroGradients();
            apart.zeroGradients();
            float[] a = fused.forward(x, training).toArray();
            float[] b = apart.forward(x, training).toArray();
            assertThat(a).as("output, training=%s", training).containsExactly(b, within(0f));
            float[] ga = fused.backward(new Tensor(dy.shape(), dy.toArray()), fused.layers().size()).toArray();
            float[] gb = apart.backward(new Tensor(dy.shape(), dy.toArray()), apart.layers().size()).toArray();
            assertThat(ga).as("input gradient, training=%s", training).containsExactly(gb, within(0f));
            var pa = fused.namedParameters();
            var pb = apart.namedParameters();
            for (String name : pa.keySet()) {
                assertThat(pa.get(name).gradient().toArray()).as("%s, training=%s", name, training)
                        .containsExactly(pb.get(name).gradient().toArray(), within(0f));
            }
        }
        // The ReLUs did cut something off: otherwise the gate was never tested.
        float[] activations = fused.forward(x, true, 5).toArray();
        assertThat(activations).contains(0f);
    }

    @Test
    void aForwardThatWouldStopBetweenTheFusedLayersIsRefused() {
        Sequential m = model();
        Tensor x = new Tensor(Shape.of(1, 9, 7, 3), new float[9 * 7 * 3]);
        assertThatThrownBy(() -> m.forward(x, false, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch_normalization_2")
                .hasMessageContaining("fused");
        assertThat(m.forward(x, false, 5).shape()).isEqualTo(Shape.of(1, 9, 7, 18));
    }
}
