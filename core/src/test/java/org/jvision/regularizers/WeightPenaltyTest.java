package org.jvision.regularizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.jvision.layers.Dense;
import org.jvision.layers.Initializer;
import org.jvision.layers.Parameter;
import org.jvision.optimizers.Adam;
import org.jvision.optimizers.SGD;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.jvision.testing.Numerics;
import org.junit.jupiter.api.Test;

/** SPEC.md §5's penalties: L' = L + alpha sum|w| + (lambda/2) sum w^2, gradient + alpha sign(w) + lambda w. */
class WeightPenaltyTest {

    @Test
    void lossAndGradientFollowTheFormulasByHand() {
        float[] w = {1f, -2f, 0f, 0.5f, 0f};
        float[] g = {0f, 0f, 0.05f, 0.2f, -0.3f};
        WeightPenalty p = new WeightPenalty(0.1, 0.01);
        // 0.1 * (1 + 2 + 0.5) + 0.01/2 * (1 + 4 + 0.25) = 0.35 + 0.02625
        assertThat(p.loss(w, 5)).isCloseTo(0.37625, within(1e-12));
        p.addGradient(w, g, 5);
        assertThat(g[0]).isCloseTo(0.01f * 1 + 0.1f, within(1e-7f));
        assertThat(g[1]).isCloseTo(0.01f * -2 - 0.1f, within(1e-7f));
        assertThat(g[2]).as("at zero, a data pull weaker than alpha is cancelled").isZero();
        assertThat(g[3]).isCloseTo(0.2f + 0.005f + 0.1f, within(1e-7f));
        assertThat(g[4]).as("at zero, a stronger pull keeps its excess over alpha").isCloseTo(-0.2f, within(1e-7f));
    }

    @Test
    void gradientMatchesFiniteDifferencesAwayFromZero() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 23;
        float[] w = Numerics.randomFloats(random, n);
        WeightPenalty p = new WeightPenalty(0.03, 0.2);
        float[] g = new float[n];
        p.addGradient(w, g, n);
        double[] numeric = Numerics.numericalGradient(Numerics.toDouble(w, n), v -> {
            double sum = 0;
            for (double x : v) {
                sum += 0.03 * Math.abs(x) + 0.1 * x * x;
            }
            return sum;
        });
        Numerics.assertClose("penalty gradient", g, numeric, n, 1e-5);
    }

    /** With plain SGD, L2 is weight decay: w <- (1 - lr*lambda) w - lr*dw (SPEC.md §5). */
    @Test
    void l2WithSgdIsWeightDecay() {
        float lr = 0.1f;
        double lambda = 0.5;
        Parameter p = Parameter.weight("w", Tensor.of(new float[] {2f, -1f}, 2));
        p.setPenalty(WeightPenalty.l2(lambda));
        p.gradient().data()[0] = 0.3f;
        p.gradient().data()[1] = -0.2f;
        Regularization r = new Regularization();
        double penalty = r.addPenalties(List.of(p));
        assertThat(penalty).isCloseTo(0.25 * (4 + 1), within(1e-9));
        new SGD(lr).step(List.of(p));
        assertThat(p.value().data()[0]).isCloseTo((1 - lr * 0.5f) * 2f - lr * 0.3f, within(1e-6f));
        assertThat(p.value().data()[1]).isCloseTo((1 - lr * 0.5f) * -1f - lr * -0.2f, within(1e-6f));
    }

    @Test
    void l1ClipsWeightsThatCrossZeroAndHoldsThoseAtZero() {
        Parameter p = Parameter.weight("w", Tensor.of(new float[] {0.01f, -0.01f, 0f, 0f, 1f}, 5));
        p.setPenalty(WeightPenalty.l1(0.5));
        float[] data = {0f, 0f, 0.1f, 2f, 0f};
        System.arraycopy(data, 0, p.gradient().data(), 0, 5);
        Regularization r = new Regularization();
        r.addPenalties(List.of(p));
        r.beforeStep(List.of(p));
        new SGD(0.1f).step(List.of(p)); // steps of -0.05, +0.05, 0, -0.15, -0.05
        r.afterStep(List.of(p));
        assertThat(p.value().data()).containsExactly(0f, 0f, 0f, -0.15f, 0.95f);
    }

    /** Adam's momentum would move a weight off zero with a zero gradient; the rule holds it there. */
    @Test
    void l1HoldsZerosUnderAdamsMomentum() {
        Parameter p = Parameter.weight("w", Tensor.of(new float[] {0.001f}, 1));
        p.setPenalty(WeightPenalty.l1(1.0));
        Adam adam = new Adam(0.01f);
        Regularization r = new Regularization();
        for (int step = 0; step < 20; step++) {
            p.zeroGradient();
            p.gradient().data()[0] = 0.2f; // a data pull weaker than alpha
            r.addPenalties(List.of(p));
            r.beforeStep(List.of(p));
            adam.step(List.of(p));
            r.afterStep(List.of(p));
        }
        assertThat(p.value().data()[0]).isZero();
    }

    @Test
    void penaltiesGoOnWeightsOnly() {
        Dense dense = new Dense("d", new Dense.Config(3, true, Initializer.GLOROT_UNIFORM));
        dense.build(Shape.of(4), new SplittableRandom(1));
        dense.setWeightPenalty(WeightPenalty.l2(0.1));
        assertThat(dense.parameters()).filteredOn(Parameter::regularizable).allSatisfy(q -> assertThat(q.penalty()).isNotNull());
        Parameter bias = dense.parameters().stream().filter(q -> !q.regularizable()).findFirst().orElseThrow();
        assertThat(bias.penalty()).isNull();
        assertThatThrownBy(() -> bias.setPenalty(WeightPenalty.l1(0.1))).hasMessageContaining("'bias'")
                .hasMessageContaining("kernels and weight matrices only");
        assertThatThrownBy(() -> new WeightPenalty(-1, 0)).hasMessageContaining("L1").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> new WeightPenalty(0, Double.NaN)).hasMessageContaining("L2").hasMessageContaining("NaN");
    }
}
