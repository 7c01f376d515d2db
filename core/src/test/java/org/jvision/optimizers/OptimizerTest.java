package org.jvision.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
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
    void frozenParametersAreNotSteppedAndKeepNoState() {
        for (Optimizer optimizer : OptimizersTest.everyKind()) {
            Parameter frozen = parameter(1f, -2f);
            frozen.gradient().data()[0] = 0.5f;
            frozen.gradient().data()[1] = -1f;
            frozen.setFrozen(true);
            optimizer.step(List.of(frozen));
            assertThat(frozen.value().data()).as("%s", optimizer.config()).containsExactly(1f, -2f);
            assertThat(optimizer.exportState(Map.of("w", frozen)).steps()).isEmpty();
        }
    }

    @Test
    void learningRateMultiplierOfOneHalfHalvesSgdsStep() {
        Parameter full = parameter(0f, 0f);
        Parameter half = parameter(0f, 0f);
        half.setLearningRateMultiplier(0.5f);
        for (Parameter p : List.of(full, half)) {
            p.gradient().data()[0] = 0.75f;
            p.gradient().data()[1] = -3f;
        }
        new SGD(0.1f).step(List.of(full, half));
        assertThat(half.value().data()[0]).isEqualTo(full.value().data()[0] / 2).isNotZero();
        assertThat(half.value().data()[1]).isEqualTo(full.value().data()[1] / 2).isNotZero();
    }

    @Test
    void rejectsBadHyperparameters() {
        assertThatThrownBy(() -> new SGD(0f)).hasMessageContaining("learning rate").hasMessageContaining("0.0");
        assertThatThrownBy(() -> new Adam(new Adam.Config(0.001f, 1f, 0.999f, 1e-8f, 0f))).hasMessageContaining("beta1");
        assertThatThrownBy(() -> new Adam(new Adam.Config(0.001f, 0.9f, 0.999f, 0f, 0f))).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> new Adam(Adam.Config.defaults().withWeightDecay(-0.1f)))
                .hasMessageContaining("adam: weight decay").hasMessageContaining("-0.1");
        assertThatThrownBy(() -> new SGD(SGD.Config.defaults().withMomentum(1.5f)))
                .hasMessageContaining("sgd: momentum").hasMessageContaining("1.5");
        assertThatThrownBy(() -> new SGD(SGD.Config.defaults().withNesterov(true)))
                .hasMessageContaining("nesterov").hasMessageContaining("momentum=0.0");
        assertThatThrownBy(() -> new Adagrad(new Adagrad.Config(0.01f, 0f, 0f, 0f))).hasMessageContaining("adagrad: epsilon");
        assertThatThrownBy(() -> new Adagrad(new Adagrad.Config(0.01f, 1e-10f, -1f, 0f)))
                .hasMessageContaining("initial accumulator").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> new RMSprop(new RMSprop.Config(0.01f, 1f, 1e-8f, 0f, false, 0f)))
                .hasMessageContaining("rmsprop: alpha").hasMessageContaining("1.0");
        assertThatThrownBy(() -> new RMSprop(RMSprop.Config.defaults().withMomentum(-0.5f))).hasMessageContaining("rmsprop: momentum");
        assertThatThrownBy(() -> new Adamax(new Adamax.Config(0.002f, 0.9f, -0.1f, 1e-8f, 0f))).hasMessageContaining("adamax: beta2");
        assertThatThrownBy(() -> new AdamW(AdamW.Config.defaults().withWeightDecay(Float.NaN)))
                .hasMessageContaining("adamw: weight decay").hasMessageContaining("NaN");
        assertThatThrownBy(() -> new AdamW(AdamW.Config.defaults().withLearningRate(Float.POSITIVE_INFINITY)))
                .hasMessageContaining("adamw: learning rate");
    }
}
