package org.jvision.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.junit.jupiter.api.Test;

class FlattenTest {
    @Test
    void keepsNhwcOrderAndItsGradientIsTheReverseReshape() {
        Flatten flatten = new Flatten("f");
        assertThat(flatten.build(Shape.of(2, 3, 4), new SplittableRandom(1))).isEqualTo(Shape.of(24));
        Tensor x = Tensor.uniform(new SplittableRandom(2), -1, 1, 5, 2, 3, 4);
        Tensor y = flatten.forward(x, true);
        assertThat(y.shape()).isEqualTo(Shape.of(5, 24));
        // Element (n, r, c, ch) lands at column (r*3 + c)*4 + ch: row, then column, then channel.
        assertThat(y.get(3, (1 * 3 + 2) * 4 + 1)).isEqualTo(x.get(3, 1, 2, 1));
        Tensor dy = Tensor.uniform(new SplittableRandom(3), -1, 1, 5, 24);
        Tensor dx = flatten.backward(dy);
        assertThat(dx.shape()).isEqualTo(Shape.of(5, 2, 3, 4));
        assertThat(dx.toArray()).isEqualTo(dy.toArray());
    }

    @Test
    void rejectsABatchOfAnotherShapeNamingTheLayer() {
        Flatten flatten = new Flatten("f");
        flatten.build(Shape.of(2, 3, 4), new SplittableRandom(1));
        assertThatThrownBy(() -> flatten.forward(Tensor.zeros(5, 3, 3, 4), false))
                .hasMessage("Flatten 'f': expects input of shape [batch, 2, 3, 4], got [5, 3, 3, 4]");
    }
}
