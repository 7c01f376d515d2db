package org.jvision.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.jvision.testing.Numerics.assertClose;
import static org.jvision.testing.Numerics.numericalGradient;
import static org.jvision.testing.Numerics.randomFloats;
import static org.jvision.testing.Numerics.toDouble;

import java.util.SplittableRandom;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.jvision.testing.Numerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Mean squared error: a known case, the reference by finite differences, float32 vs reference. */
class MeanSquaredErrorTest {
    @Test
    void knownCase() {
        MeanSquaredError mse = new MeanSquaredError();
        assertThat(mse.name()).isEqualTo("mean_squared_error");
        // differences 1, 0, -2, 0: squares sum to 5, over 4 elements
        float loss = mse.forward(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), Tensor.of(new float[] {0, 2, 5, 4}, 2, 2));
        assertThat(loss).isEqualTo(1.25f);
        assertThat(mse.backward().toArray()).containsExactly(0.5f, 0f, -1f, 0f);
        assertThat(mse.backward().shape()).isEqualTo(Shape.of(2, 2));
    }

    @ParameterizedTest(name = "shape {0}")
    @ValueSource(strings = {"3,5", "2,3,2,4", "7,1"})
    void referenceByFiniteDifferencesAndLossAgainstReference(String dims) {
        Shape shape = LossTesting.shape(dims);
        int n = shape.size();
        SplittableRandom r = new SplittableRandom(n);
        float[] p = randomFloats(r, n);
        float[] t = randomFloats(r, n);
        double[] pd = toDouble(p, n);
        double[] td = toDouble(t, n);
        double[] analytic = ReferenceLosses.meanSquaredErrorGradient(pd, td);
        Numerics.assertClose("reference gradient", analytic,
                numericalGradient(pd, v -> ReferenceLosses.meanSquaredError(v, td)), 1e-6);

        MeanSquaredError mse = new MeanSquaredError();
        float loss = mse.forward(new Tensor(shape, p), new Tensor(shape, t));
        double expected = ReferenceLosses.meanSquaredError(pd, td);
        assertThat((double) loss).isCloseTo(expected, within(Numerics.RELATIVE * expected));
        assertClose("gradient", mse.backward().data(), analytic, n, Numerics.RELATIVE);
    }

    @Test
    void reusesTheGradientBufferAndReportsMisuse() {
        LossTesting.checkReuseAndMisuse(new MeanSquaredError());
    }
}
