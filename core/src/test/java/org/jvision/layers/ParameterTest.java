package org.jvision.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ParameterTest {
    @Test
    void aZeroedGradientReadsZerosWhateverItHeld() {
        Parameter p = Parameter.weight("kernel", new Tensor(Shape.of(3, 4)));
        p.gradient().fill(2.5f);
        p.zeroGradient();
        assertThat(p.gradientIsZero()).isTrue();
        assertThat(p.gradient().toArray()).containsOnly(0f);
        p.gradient().data()[5] = 1f;
        assertThat(p.gradient().data()[5]).as("the zeros are written once, not on every read").isEqualTo(1f);
    }

    @Test
    void aGradientTakenToOverwriteKeepsWhatTheLayerWrites() {
        Parameter p = Parameter.weight("kernel", new Tensor(Shape.of(3, 4)));
        p.gradient().fill(Float.NaN);
        p.zeroGradient();
        float[] taken = p.gradientToOverwrite().data();
        assertThat(taken[0]).as("no zeros written for a layer that overwrites").isNaN();
        java.util.Arrays.fill(taken, 7f);
        p.markGradientWritten();
        assertThat(p.gradient().toArray()).containsOnly(7f);
        p.zeroGradient();
        assertThat(p.gradient().toArray()).containsOnly(0f);
    }

    @Test
    void onlyAGradientStillAtZeroMayBeOverwritten() {
        Parameter fresh = Parameter.bias("bias", new Tensor(Shape.of(4)));
        assertThatThrownBy(fresh::gradientToOverwrite).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'bias'");
        Parameter written = Parameter.weight("kernel", new Tensor(Shape.of(4)));
        written.zeroGradient();
        written.markGradientWritten();
        assertThatThrownBy(written::gradientToOverwrite).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("added since the last zeroing");
    }
}
