package org.jvision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jvision.layers.Conv2D;
import org.jvision.layers.Dense;
import org.jvision.layers.Flatten;
import org.jvision.layers.ReLU;
import org.jvision.tensor.Shape;
import org.jvision.zoo.Zoo;
import org.junit.jupiter.api.Test;

class SequentialTest {
    @Test
    void namesLayersAndCountsParametersLikeKeras() {
        Sequential lenet = Zoo.lenet5(Shape.of(28, 28, 1), 10).build(1);
        // conv 6*(5*5*1)+6, conv 16*(5*5*6)+16, dense 400*120+120, 120*84+84, 84*10+10
        assertThat(lenet.parameterCount()).isEqualTo(156 + 2416 + 48120 + 10164 + 850);
        assertThat(lenet.layers().get(0).name()).isEqualTo("conv2d_1");
        assertThat(lenet.namedParameters()).containsKeys("conv2d_1.kernel", "conv2d_1.bias", "dense_3.kernel");
        assertThat(lenet.outputShape()).isEqualTo(Shape.of(10));
        String summary = lenet.summary();
        assertThat(summary).contains("conv2d_1 (Conv2D)", "(None, 28, 28, 6)", "(None, 5, 5, 16)", "Total params: 61,706");
    }

    @Test
    void vggSmallSeparatesBuffersFromTrainableParameters() {
        Sequential vgg = Zoo.vggSmall(Shape.of(28, 28, 1), 10).build(1);
        assertThat(vgg.namedState()).containsKeys("batch_normalization_1.moving_mean", "batch_normalization_1.moving_variance");
        assertThat(vgg.namedParameters()).doesNotContainKey("batch_normalization_1.moving_mean")
                .containsKeys("batch_normalization_1.gamma", "batch_normalization_1.beta");
        assertThat(vgg.outputShape()).isEqualTo(Shape.of(10));
    }

    @Test
    void shapeMismatchIsCaughtAtBuildNamingTheLayerAndBothShapes() {
        Sequential m = new Sequential(Shape.of(28, 28, 1)).add(new Conv2D(null, 4, 3)).add(new Dense(10));
        assertThatThrownBy(() -> m.build(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dense_1")
                .hasMessageContaining("conv2d_1")
                .hasMessageContaining("[26, 26, 4]");
    }

    @Test
    void sameSeedSameWeights() {
        Sequential a = Zoo.mlp(Shape.of(28, 28, 1), 10).build(7);
        Sequential b = Zoo.mlp(Shape.of(28, 28, 1), 10).build(7);
        Sequential c = Zoo.mlp(Shape.of(28, 28, 1), 10).build(8);
        assertThat(a.namedParameters().get("dense_1.kernel").value().toArray())
                .isEqualTo(b.namedParameters().get("dense_1.kernel").value().toArray())
                .isNotEqualTo(c.namedParameters().get("dense_1.kernel").value().toArray());
    }

    @Test
    void onlyTheFirstLayerSkipsItsInputGradient() {
        Sequential lenet = Zoo.lenet5(Shape.of(28, 28, 1), 10).build(1);
        assertThat(lenet.layers().get(0).isInputGradientNeeded()).isFalse();
        assertThat(lenet.layers().subList(1, lenet.layers().size())).allMatch(l -> l.isInputGradientNeeded());
    }

    @Test
    void duplicateNamesAreRejected() {
        Sequential m = new Sequential(Shape.of(4)).add(new Dense("d", 3)).add(new ReLU()).add(new Dense("d", 2));
        assertThatThrownBy(() -> m.build(1)).hasMessageContaining("'d'");
        assertThat(Sequential.snakeCase("BatchNormalization")).isEqualTo("batch_normalization");
        assertThat(new Sequential(Shape.of(4)).add(new Flatten()).build(1).layers().get(0).name()).isEqualTo("flatten_1");
    }
}
