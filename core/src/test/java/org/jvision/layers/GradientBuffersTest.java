package org.jvision.layers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/** The two shared buffers: never the one holding the output gradient, grown when too small. */
class GradientBuffersTest {

    @Test
    void takesTheBufferTheOutputGradientIsNotIn() {
        GradientBuffers buffers = new GradientBuffers();
        Tensor fromLoss = new Tensor(Shape.of(2, 3));
        Tensor first = buffers.take(Shape.of(2, 5), fromLoss);
        Tensor second = buffers.take(Shape.of(2, 4), first);
        Tensor third = buffers.take(Shape.of(2, 5), second);
        assertThat(second.data()).isNotSameAs(first.data());
        assertThat(third.data()).isSameAs(first.data());
        assertThat(third).isSameAs(first); // same shape: the same tensor, no allocation
        // A view of a buffer with another shape (as Flatten returns) still counts as that buffer.
        assertThat(buffers.take(Shape.of(8), third.withShape(Shape.of(10))).data()).isSameAs(second.data());
    }

    @Test
    void growsABufferTooSmallAndKeepsTheOther() {
        GradientBuffers buffers = new GradientBuffers();
        Tensor outside = new Tensor(Shape.of(1));
        Tensor small = buffers.take(Shape.of(3), outside);
        Tensor other = buffers.take(Shape.of(2), small);
        Tensor large = buffers.take(Shape.of(7), other);
        assertThat(large.data()).isNotSameAs(small.data()).isNotSameAs(other.data()).hasSize(7);
        assertThat(buffers.take(Shape.of(2), large).data()).isSameAs(other.data());
        Tensor smaller = buffers.take(Shape.of(4), other);
        assertThat(smaller.data()).isSameAs(large.data());
        assertThat(smaller.size()).isEqualTo(4);
    }
}
