package org.jvision.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jvision.layers.Dense;
import org.jvision.layers.Dropout;
import org.jvision.layers.Layer;
import org.jvision.model.Sequential;
import org.jvision.tensor.Shape;
import org.junit.jupiter.api.Test;

/** The built-in models with dropout, batch norm and input noise added as the CLI asks. */
class ZooOptionsTest {
    private static final Shape MNIST = Shape.of(28, 28, 1);

    private static List<String> types(Sequential m) {
        return m.layers().stream().map(Layer::type).toList();
    }

    @Test
    void defaultsAreTheModelsAsDefined() {
        assertThat(types(Zoo.create("mlp", MNIST, 10, Zoo.Options.defaults())))
                .containsExactly("Flatten", "Dense", "ReLU", "Dense", "ReLU", "Dense", "Softmax");
        assertThat(types(Zoo.lenet5(MNIST, 10))).doesNotContain("Dropout", "BatchNormalization", "GaussianNoise");
    }

    @Test
    void mlpGetsBatchNormBeforeEachHiddenReluAndDropoutAfterIt() {
        Sequential m = Zoo.create("mlp", MNIST, 10, new Zoo.Options(0.25, true, 0.1)).build(1);
        assertThat(types(m)).containsExactly("GaussianNoise", "Flatten", "Dense", "BatchNormalization", "ReLU", "Dropout",
                "Dense", "BatchNormalization", "ReLU", "Dropout", "Dense", "Softmax");
        // A dense layer followed by batch norm has no bias: beta takes its place.
        assertThat(((Dense) m.layers().get(2)).parameters()).hasSize(1);
        assertThat(((Dense) m.layers().get(10)).parameters()).hasSize(2);
        assertThat(((Dropout) m.layers().get(5)).rate()).isEqualTo(0.25);
    }

    @Test
    void lenet5GetsBatchNormAfterEveryConvolutionAndHiddenDenseLayer() {
        Sequential m = Zoo.create("lenet5", MNIST, 10, new Zoo.Options(0.5, true, 0)).build(1);
        assertThat(types(m)).containsExactly("Conv2D", "BatchNormalization", "ReLU", "MaxPool2D", "Conv2D", "BatchNormalization",
                "ReLU", "MaxPool2D", "Flatten", "Dense", "BatchNormalization", "ReLU", "Dropout", "Dense", "BatchNormalization",
                "ReLU", "Dropout", "Dense", "Softmax");
        assertThat(m.outputShape()).isEqualTo(Shape.of(10));
    }

    @Test
    void vggSmallTakesAnotherDropoutRateAndNoise() {
        Sequential m = Zoo.create("vgg-small", MNIST, 10, new Zoo.Options(0.3, false, 0.05));
        assertThat(types(m).get(0)).isEqualTo("GaussianNoise");
        assertThat(m.layers().stream().filter(l -> l instanceof Dropout).map(l -> ((Dropout) l).rate())).containsExactly(0.3);
        assertThat(Zoo.vggSmall(MNIST, 10).layers().stream().filter(l -> l instanceof Dropout).map(l -> ((Dropout) l).rate()))
                .containsExactly(0.5);
    }

    @Test
    void badOptionsAreRefusedWithTheValue() {
        assertThatThrownBy(() -> new Zoo.Options(1.0, false, 0)).hasMessageContaining("[0, 1)").hasMessageContaining("1.0");
        assertThatThrownBy(() -> new Zoo.Options(null, false, -0.5)).hasMessageContaining("-0.5");
    }
}
