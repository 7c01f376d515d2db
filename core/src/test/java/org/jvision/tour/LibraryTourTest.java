package org.jvision.tour;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.jvision.data.FashionMnist;
import org.jvision.data.Splits;
import org.jvision.data.Standardization;
import org.jvision.data.TrainTest;
import org.jvision.layers.Conv2D;
import org.jvision.layers.Dense;
import org.jvision.layers.Flatten;
import org.jvision.layers.Initializer;
import org.jvision.layers.MaxPool2D;
import org.jvision.layers.Padding;
import org.jvision.layers.ReLU;
import org.jvision.layers.Softmax;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.model.ModelFile;
import org.jvision.model.Preprocessing;
import org.jvision.model.Sequential;
import org.jvision.optimizers.Adam;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.jvision.training.Evaluation;
import org.jvision.training.FitOptions;
import org.jvision.training.History;
import org.jvision.training.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's library tour, kept compiling and running (one epoch instead of five). */
class LibraryTourTest {
    @TempDir
    Path tmp;

    @Test
    void theReadmeExampleRuns() throws Exception {
        Sequential model = new Sequential(Shape.of(28, 28, 1))
                .add(new Conv2D(null, new Conv2D.Config(6, new int[] {5, 5}, null, Padding.explicit(2), true, Initializer.HE_NORMAL)))
                .add(new ReLU())
                .add(new MaxPool2D(null, MaxPool2D.Config.of(2)))
                .add(new Flatten())
                .add(new Dense(10))
                .add(new Softmax())
                .build(42);
        assertThat(model.summary()).contains("conv2d_1 (Conv2D)");

        TrainTest data = FashionMnist.embeddedSample();
        Splits.TrainValidation split = Splits.trainValidation(data.train(), 0.1, 42);
        Standardization standardization = Standardization.fit(split.train());
        Trainer trainer = new Trainer(model, new Adam(), new SoftmaxCrossEntropy());
        History history = trainer.fit(standardization.apply(split.train()), FitOptions.builder()
                .epochs(1).batchSize(64).seed(42).validation(standardization.apply(split.validation())).build());
        Evaluation test = trainer.evaluate(standardization.apply(data.test()), 256);
        Tensor probabilities = trainer.predict(standardization.apply(data.test().images()), 256);
        ModelFile.save(tmp.resolve("model.safetensors"), model,
                new Preprocessing(data.train().classNames(), standardization), "softmax_cross_entropy");

        assertThat(history.epochs()).hasSize(1);
        assertThat(test.accuracy()).isGreaterThan(0.5);
        assertThat(probabilities.shape()).isEqualTo(Shape.of(1000, 10));
        assertThat(ModelFile.load(tmp.resolve("model.safetensors")).model().parameterCount()).isEqualTo(model.parameterCount());
    }
}
