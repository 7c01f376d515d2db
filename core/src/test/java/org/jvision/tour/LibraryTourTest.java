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
import org.jvision.training.CheckpointPolicy;
import org.jvision.training.TrainingCheckpoint;
import org.jvision.training.callbacks.EarlyStopping;
import org.jvision.training.callbacks.LearningRateScheduler;
import org.jvision.training.callbacks.Monitor;
import org.jvision.optimizers.Optimizers;
import org.jvision.optimizers.schedules.CosineDecay;
import org.jvision.regularizers.WeightPenalty;
import org.jvision.zoo.Zoo;
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

    /** The README's training-toolkit snippet, on a small part of the sample, with a resume after it. */
    @Test
    void theToolkitExampleRuns() throws Exception {
        TrainTest data = FashionMnist.embeddedSample();
        Splits.TrainValidation split = Splits.trainValidation(Splits.sample(data.train(), 30, 1), 0.2, 42);
        Standardization standardization = Standardization.fit(split.train());
        var train = standardization.apply(split.train());
        var validation = standardization.apply(split.validation());
        Sequential model = Zoo.mlp(Shape.of(28, 28, 1), 10).build(42);
        Path checkpoint = tmp.resolve("run/checkpoint.safetensors");
        java.nio.file.Files.createDirectories(checkpoint.getParent());

        model.layers().forEach(layer -> layer.setWeightPenalty(new WeightPenalty(0, 5e-4)));
        model.layers().get(1).setTrainable(false);
        Trainer trainer = new Trainer(model, Optimizers.create("nesterov", 0.05f), new SoftmaxCrossEntropy());
        History history = trainer.fit(train, FitOptions.builder().epochs(3).batchSize(64).validation(validation)
                .callback(new LearningRateScheduler(new CosineDecay(3, 0)))
                .callback(new EarlyStopping("val_loss", 1e-4, 5, Monitor.Mode.AUTO, true))
                .checkpoint(CheckpointPolicy.everyEpochs(checkpoint, 1))
                .build());

        assertThat(history.epochs()).hasSize(3);
        TrainingCheckpoint saved = TrainingCheckpoint.read(checkpoint);
        assertThat(saved.history()).hasSize(3);
        Sequential again = Zoo.mlp(Shape.of(28, 28, 1), 10).build(42);
        Trainer resumed = new Trainer(again, Optimizers.create("nesterov", 0.05f), new SoftmaxCrossEntropy());
        History more = resumed.fit(train, FitOptions.builder().epochs(4).batchSize(64).validation(validation)
                .resumeFrom(saved).build());
        assertThat(more.epochs()).hasSize(4);
    }
}
