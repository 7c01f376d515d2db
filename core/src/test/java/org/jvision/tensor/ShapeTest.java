package org.jvision.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShapeTest {
    @Test
    void sizeAndBatchAxis() {
        Shape s = Shape.of(28, 28, 1);
        assertThat(s.size()).isEqualTo(784);
        assertThat(s.withBatch(64)).isEqualTo(Shape.of(64, 28, 28, 1));
        assertThat(s.withBatch(64).dropBatch()).isEqualTo(s);
        assertThat(s.toString()).isEqualTo("[28, 28, 1]");
    }

    @Test
    void tensorReusesLargeEnoughBuffers() {
        Tensor big = Tensor.zeros(64, 10);
        Tensor small = Tensor.reuse(big, Shape.of(16, 10));
        assertThat(small.data()).isSameAs(big.data());
        assertThat(small.size()).isEqualTo(160);
        assertThat(Tensor.reuse(small, Shape.of(128, 10)).data()).isNotSameAs(big.data());
    }

    @Test
    void rejectsNegativeDimensionsAndWrongSizes() {
        assertThatThrownBy(() -> Shape.of(2, -1)).hasMessageContaining("[2, -1]");
        assertThatThrownBy(() -> Tensor.of(new float[5], 2, 3)).hasMessageContaining("[2, 3]");
    }
}
