package org.jvision.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.jvision.layers.Parameter;
import org.jvision.tensor.Tensor;

/**
 * Every optimizer against its rule written plainly in double, following PyTorch 1.13's code line by
 * line (including SGD's "first step sets v = g" branch, which jvision gets from v starting at 0).
 * Each rule runs twice: on a weight, where weight decay applies, and on a bias, where it does not.
 */
class UpdateRulesTest {
    private static final double[] INITIAL = {1.0, -0.5, 0.0, 2.0};
    private static final double[][] GRADIENTS = {
        {0.5, -0.25, 1e-3, 0.0}, {0.1, 0.3, -2.0, 0.4}, {-0.4, 0.0, 0.7, -1.2}, {0.2, -0.1, 0.05, 3.0}, {0.3, 0.2, -0.1, -0.5}};

    /** A rule in double with its own state: one step on {@code w} from {@code g} at step {@code t} (1-based). */
    interface Reference {
        void step(double[] w, double[] g, int t, boolean decays);
    }

    /** Runs the optimizer and a fresh reference side by side, on a weight and on a bias. */
    private static void assertFollows(Supplier<Optimizer> optimizer, Supplier<Reference> reference) {
        for (boolean weight : new boolean[] {true, false}) {
            float[] start = new float[INITIAL.length];
            for (int i = 0; i < start.length; i++) {
                start[i] = (float) INITIAL[i];
            }
            Tensor value = Tensor.of(start, start.length);
            Parameter p = weight ? Parameter.weight("w", value) : Parameter.bias("b", value);
            Optimizer opt = optimizer.get();
            Reference ref = reference.get();
            double[] w = INITIAL.clone();
            for (int t = 1; t <= GRADIENTS.length; t++) {
                for (int i = 0; i < w.length; i++) {
                    p.gradient().data()[i] = (float) GRADIENTS[t - 1][i];
                }
                ref.step(w, GRADIENTS[t - 1], t, weight);
                opt.step(List.of(p));
                for (int i = 0; i < w.length; i++) {
                    assertThat((double) p.value().data()[i]).as("%s on a %s, step %d, element %d", opt.config(),
                            weight ? "weight" : "bias", t, i).isCloseTo(w[i], within(2e-6 * Math.max(1, Math.abs(w[i]))));
                }
            }
        }
    }

    static Reference sgd(double lr, double mu, boolean nesterov, double wd) {
        double[] v = new double[INITIAL.length];
        return (w, g, t, decays) -> {
            for (int i = 0; i < w.length; i++) {
                double d = g[i] + (decays ? wd * w[i] : 0);
                if (mu != 0) {
                    v[i] = t == 1 ? d : mu * v[i] + d;  // PyTorch: buf = clone(d_p) on the first step
                    d = nesterov ? d + mu * v[i] : v[i];
                }
                w[i] -= lr * d;
            }
        };
    }

    static Reference adagrad(double lr, double eps, double initial, double wd) {
        double[] sum = new double[INITIAL.length];
        Arrays.fill(sum, initial);
        return (w, g, t, decays) -> {
            for (int i = 0; i < w.length; i++) {
                double d = g[i] + (decays ? wd * w[i] : 0);
                sum[i] += d * d;
                w[i] -= lr * d / (Math.sqrt(sum[i]) + eps);
            }
        };
    }

    static Reference rmsprop(double lr, double alpha, double eps, double mu, boolean centered, double wd) {
        double[] squareAvg = new double[INITIAL.length];
        double[] gradAvg = new double[INITIAL.length];
        double[] buffer = new double[INITIAL.length];
        return (w, g, t, decays) -> {
            for (int i = 0; i < w.length; i++) {
                double d = g[i] + (decays ? wd * w[i] : 0);
                squareAvg[i] = alpha * squareAvg[i] + (1 - alpha) * d * d;
                double avg;
                if (centered) {
                    gradAvg[i] = alpha * gradAvg[i] + (1 - alpha) * d;
                    avg = Math.sqrt(squareAvg[i] - gradAvg[i] * gradAvg[i]) + eps;
                } else {
                    avg = Math.sqrt(squareAvg[i]) + eps;
                }
                if (mu > 0) {
                    buffer[i] = mu * buffer[i] + d / avg;
                    w[i] -= lr * buffer[i];
                } else {
                    w[i] -= lr * d / avg;
                }
            }
        };
    }

    /** Adam (wd as L2 on the gradient) or AdamW (wd decoupled, on the weights). */
    static Reference adam(double lr, double b1, double b2, double eps, double wd, boolean decoupled) {
        double[] m = new double[INITIAL.length];
        double[] v = new double[INITIAL.length];
        return (w, g, t, decays) -> {
            for (int i = 0; i < w.length; i++) {
                double d = g[i];
                if (decays && decoupled) {
                    w[i] *= 1 - lr * wd;
                } else if (decays) {
                    d += wd * w[i];
                }
                m[i] = b1 * m[i] + (1 - b1) * d;
                v[i] = b2 * v[i] + (1 - b2) * d * d;
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        };
    }

    static Reference adamax(double lr, double b1, double b2, double eps, double wd) {
        double[] m = new double[INITIAL.length];
        double[] u = new double[INITIAL.length];
        return (w, g, t, decays) -> {
            for (int i = 0; i < w.length; i++) {
                double d = g[i] + (decays ? wd * w[i] : 0);
                m[i] = b1 * m[i] + (1 - b1) * d;
                u[i] = Math.max(b2 * u[i], Math.abs(d) + eps);
                w[i] -= lr / (1 - Math.pow(b1, t)) * m[i] / u[i];
            }
        };
    }

    @Test
    void sgdPlain() {
        assertFollows(() -> new SGD(0.1f), () -> sgd(0.1, 0, false, 0));
    }

    @Test
    void sgdWithWeightDecay() {
        assertFollows(() -> new SGD(SGD.Config.defaults().withLearningRate(0.1f).withWeightDecay(0.2f)), () -> sgd(0.1, 0, false, 0.2));
    }

    @Test
    void sgdWithMomentum() {
        assertFollows(() -> new SGD(new SGD.Config(0.1f, 0.9f, false, 0f)), () -> sgd(0.1, 0.9, false, 0));
    }

    @Test
    void sgdWithNesterovMomentumAndWeightDecay() {
        assertFollows(() -> new SGD(new SGD.Config(0.1f, 0.9f, true, 0.05f)), () -> sgd(0.1, 0.9, true, 0.05));
    }

    @Test
    void adagradDefaults() {
        assertFollows(Adagrad::new, () -> adagrad(0.01, 1e-10, 0, 0));
    }

    @Test
    void adagradWithInitialAccumulatorAndWeightDecay() {
        assertFollows(() -> new Adagrad(new Adagrad.Config(0.1f, 1e-6f, 0.5f, 0.1f)), () -> adagrad(0.1, 1e-6, 0.5, 0.1));
    }

    @Test
    void rmspropDefaults() {
        assertFollows(RMSprop::new, () -> rmsprop(0.01, 0.99, 1e-8, 0, false, 0));
    }

    @Test
    void rmspropWithMomentum() {
        assertFollows(() -> new RMSprop(RMSprop.Config.defaults().withMomentum(0.9f)), () -> rmsprop(0.01, 0.99, 1e-8, 0.9, false, 0));
    }

    @Test
    void rmspropCentered() {
        assertFollows(() -> new RMSprop(RMSprop.Config.defaults().withCentered(true)), () -> rmsprop(0.01, 0.99, 1e-8, 0, true, 0));
    }

    @Test
    void rmspropCenteredWithMomentumAndWeightDecay() {
        assertFollows(() -> new RMSprop(new RMSprop.Config(0.005f, 0.9f, 1e-6f, 0.5f, true, 0.1f)),
                () -> rmsprop(0.005, 0.9, 1e-6, 0.5, true, 0.1));
    }

    @Test
    void adamWithWeightDecay() {
        assertFollows(() -> new Adam(Adam.Config.defaults().withLearningRate(0.01f).withWeightDecay(0.1f)),
                () -> adam(0.01, 0.9, 0.999, 1e-8, 0.1, false));
    }

    @Test
    void adamaxDefaults() {
        assertFollows(Adamax::new, () -> adamax(0.002, 0.9, 0.999, 1e-8, 0));
    }

    @Test
    void adamaxWithWeightDecay() {
        assertFollows(() -> new Adamax(new Adamax.Config(0.01f, 0.8f, 0.99f, 1e-6f, 0.1f)), () -> adamax(0.01, 0.8, 0.99, 1e-6, 0.1));
    }

    @Test
    void adamwDefaults() {
        assertFollows(AdamW::new, () -> adam(0.001, 0.9, 0.999, 1e-8, 0.01, true));
    }

    @Test
    void adamwWithStrongDecay() {
        assertFollows(() -> new AdamW(AdamW.Config.defaults().withLearningRate(0.05f).withWeightDecay(0.5f)),
                () -> adam(0.05, 0.9, 0.999, 1e-8, 0.5, true));
    }

    /** With no gradient, only weight decay moves anything, and it moves weights only. */
    @Test
    void weightDecayShrinksWeightsAndLeavesBiasesAlone() {
        List<Optimizer> optimizers = List.of(
                new SGD(SGD.Config.defaults().withLearningRate(0.1f).withWeightDecay(0.5f)),
                new SGD(new SGD.Config(0.1f, 0.9f, true, 0.5f)),
                new Adam(Adam.Config.defaults().withLearningRate(0.1f).withWeightDecay(0.5f)),
                new AdamW(AdamW.Config.defaults().withLearningRate(0.1f).withWeightDecay(0.5f)),
                new Adagrad(Adagrad.Config.defaults().withWeightDecay(0.5f)),
                new RMSprop(RMSprop.Config.defaults().withWeightDecay(0.5f)),
                new Adamax(Adamax.Config.defaults().withWeightDecay(0.5f)));
        for (Optimizer optimizer : optimizers) {
            Parameter weight = Parameter.weight("kernel", Tensor.of(new float[] {2f, -3f}, 2));
            Parameter bias = Parameter.bias("bias", Tensor.of(new float[] {2f, -3f}, 2));
            optimizer.step(List.of(weight, bias));
            assertThat(bias.value().data()).as("bias under %s", optimizer.config()).containsExactly(2f, -3f);
            assertThat(Math.abs(weight.value().data()[0])).as("weight under %s", optimizer.config()).isLessThan(2f);
            assertThat(Math.abs(weight.value().data()[1])).as("weight under %s", optimizer.config()).isLessThan(3f);
        }
    }

    /** AdamW's decay is exactly w * (1 - lr * wd) when the gradient is 0 (Adam's own step is then 0). */
    @Test
    void adamwDecayIsAFixedFractionOfTheWeight() {
        Parameter weight = Parameter.weight("kernel", Tensor.of(new float[] {2f, -3f}, 2));
        new AdamW(AdamW.Config.defaults().withLearningRate(0.1f).withWeightDecay(0.5f)).step(List.of(weight));
        assertThat(weight.value().data()[0]).isEqualTo(2f * (1 - 0.1f * 0.5f));
        assertThat(weight.value().data()[1]).isEqualTo(-3f * (1 - 0.1f * 0.5f));
    }
}
