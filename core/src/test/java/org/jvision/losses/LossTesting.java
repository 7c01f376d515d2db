package org.jvision.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.jvision.testing.Numerics;

/** Checks every loss shares: buffer reuse for a smaller batch, and its misuse errors. */
final class LossTesting {
    private LossTesting() {
    }

    static Shape shape(String dims) {
        return Shape.of(Arrays.stream(dims.split(",")).mapToInt(Integer::parseInt).toArray());
    }

    /** Targets in [0, 1] that sum to 1 per row of {@code n}: valid for all three losses. */
    static Tensor distributions(Shape shape, SplittableRandom random) {
        int n = shape.dim(-1);
        float[] t = new float[shape.size()];
        for (int off = 0; off < t.length; off += n) {
            double sum = 0;
            for (int k = 0; k < n; k++) {
                t[off + k] = (float) random.nextDouble();
                sum += t[off + k];
            }
            for (int k = 0; k < n; k++) {
                t[off + k] = (float) (t[off + k] / sum);
            }
        }
        return new Tensor(shape, t);
    }

    static void checkReuseAndMisuse(Loss loss) {
        assertThatThrownBy(loss::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(loss.name()).hasMessageContaining("before forward");
        SplittableRandom r = new SplittableRandom(1);
        Shape big = Shape.of(8, 5);
        loss.forward(new Tensor(big, Numerics.randomFloats(r, 40)), distributions(big, r));
        float[] storage = loss.backward().data();
        Shape small = Shape.of(3, 5);
        loss.forward(new Tensor(small, Numerics.randomFloats(r, 15)), distributions(small, r));
        assertThat(loss.backward().data()).isSameAs(storage);
        assertThat(loss.backward().shape()).isEqualTo(small);

        assertThatThrownBy(() -> loss.forward(Tensor.zeros(3, 5), Tensor.zeros(3, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(loss.name())
                .hasMessageContaining("[3, 5]").hasMessageContaining("[3, 4]");
        assertThatThrownBy(() -> loss.forward(Tensor.zeros(0, 5), Tensor.zeros(0, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(loss.name());
    }
}
