package org.jvision.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.jvision.layers.Parameter;
import org.jvision.tensor.Tensor;
import org.junit.jupiter.api.Test;

class OptimizerTest {

    private static Parameter parameter(float... values) {
        return Parameter.weight("w", Tensor.of(values.clone(), values.length));
    }

    @Test
    void sgdStepsAgainstTheGradient() {
        Parameter p = parameter(1f, -2f);
        p.gradient().data()[0] = 0.5f;
        p.gradient().data()[1] = -1f;
        new SGD(0.1f).step(List.of(p));
        assertThat(p.value().data()[0]).isCloseTo(0.95f, within(1e-7f));
        assertThat(p.value().data()[1]).isCloseTo(-1.9f, within(1e-7f));
    }

    /** Adam's rule of the paper, written plainly in double, against the optimizer over several steps. */
    @Test
    void adamFollowsKingmaAndBaWithBiasCorrection() {
        double lr = 0.001, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        double[] w = {1.0, -0.5, 0.0};
        double[] m = new double[3];
        double[] v = new double[3];
        Parameter p = parameter(1f, -0.5f, 0f);
        Adam adam = new Adam();
        double[][] gradients = {{0.5, -0.25, 1e-3}, {0.1, 0.3, -2.0}, {-0.4, 0.0, 0.7}, {0.2, -0.1, 0.05}};
        for (int t = 1; t <= gradients.length; t++) {
            for (int i = 0; i < 3; i++) {
                double g = gradients[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
                p.gradient().data()[i] = (float) g;
            }
            adam.step(List.of(p));
            for (int i = 0; i < 3; i++) {
                assertThat((double) p.value().data()[i]).as("step %d, element %d", t, i).isCloseTo(w[i], within(1e-6));
            }
        }
    }

    @Test
    void adamFirstStepIsLearningRateSizedWhateverTheGradientScale() {
        for (float g : new float[] {1e-4f, 1f, 1e4f}) {
            Parameter p = parameter(0f);
            p.gradient().data()[0] = g;
            new Adam(0.01f).step(List.of(p));
            assertThat(p.value().data()[0]).as("gradient %s", g).isCloseTo(-0.01f, within(1e-5f));
        }
    }

    @Test
    void buffersAreNeverStepped() {
        Parameter buffer = Parameter.buffer("moving_mean", Tensor.of(new float[] {3f}, 1));
        new Adam().step(List.of(buffer));
        assertThat(buffer.value().data()[0]).isEqualTo(3f);
    }

    @Test
    void rejectsBadHyperparameters() {
        assertThatThrownBy(() -> new SGD(0f)).hasMessageContaining("learning rate").hasMessageContaining("0.0");
        assertThatThrownBy(() -> new Adam(new Adam.Config(0.001f, 1f, 0.999f, 1e-8f, 0f))).hasMessageContaining("beta1");
        assertThatThrownBy(() -> new Adam(new Adam.Config(0.001f, 0.9f, 0.999f, 0f, 0f))).hasMessageContaining("epsilon");
    }
}
