package org.jvision.training.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jvision.data.FashionMnist;
import org.jvision.data.Standardization;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.model.ModelFile;
import org.jvision.model.Preprocessing;
import org.jvision.optimizers.Adam;
import org.jvision.training.FitOptions;
import org.jvision.training.History;
import org.jvision.training.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckpointTest {
    private static final Preprocessing PRE = new Preprocessing(FashionMnist.CLASS_NAMES,
            new Standardization(new float[] {0.286f}, new float[] {0.353f}));

    @TempDir
    Path tmp;

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The marker value the saved model's weights all have. */
    private static float savedMarker(Path file) throws IOException {
        ModelFile.Contents contents = ModelFile.load(file);
        float[] kernel = contents.model().namedState().get("dense_1.kernel").value().data();
        return kernel[0];
    }

    @Test
    void savesOnlyWhenTheMonitoredMetricImproves() throws IOException {
        Path file = tmp.resolve("best.safetensors");
        ModelCheckpoint checkpoint = new ModelCheckpoint(file, PRE, "softmax_cross_entropy", "val_loss", true, 1);
        Fixtures.Control control = new Fixtures.Control().begin(checkpoint);
        double[] valLoss = {0.5, 0.6, 0.4, 0.4, 0.45};
        float[] saved = {1, 1, 3, 3, 3};
        for (int i = 0; i < valLoss.length; i++) {
            Fixtures.mark(control.model, i + 1);
            checkpoint.onEpochEnd(Fixtures.valLoss(i + 1, valLoss[i]));
            assertThat(savedMarker(file)).as("after epoch %d", i + 1).isEqualTo(saved[i]);
        }
        assertThat(checkpoint.saves()).isEqualTo(2);
        assertThat(checkpoint.bestValue()).isEqualTo(0.4);
        assertThat(files()).containsExactly("best.safetensors");
    }

    @Test
    void everyNthEpochWithoutMonitoring() throws IOException {
        Path file = tmp.resolve("last.safetensors");
        // Without save-best-only the monitor is not read: no validation data is fine.
        ModelCheckpoint checkpoint = new ModelCheckpoint(file, PRE, "softmax_cross_entropy", "val_loss", false, 2);
        Fixtures.Control control = new Fixtures.Control().begin(checkpoint);
        Fixtures.mark(control.model, 1);
        checkpoint.onEpochEnd(Fixtures.withoutValidation(1, 0.5));
        assertThat(files()).isEmpty();
        for (int epoch = 2; epoch <= 5; epoch++) {
            Fixtures.mark(control.model, epoch);
            checkpoint.onEpochEnd(Fixtures.withoutValidation(epoch, 0.5));
        }
        assertThat(checkpoint.saves()).isEqualTo(2);
        assertThat(savedMarker(file)).isEqualTo(4f);
        assertThat(files()).containsExactly("last.safetensors");
    }

    @Test
    void theFileOfARealFitLoadsAsTheModelWithItsPreprocessing() throws IOException {
        Path file = tmp.resolve("model.safetensors");
        Trainer trainer = new Trainer(Fixtures.tinyModel(4), new Adam(0.005f), new SoftmaxCrossEntropy());
        trainer.fit(Fixtures.Data.TRAIN, FitOptions.builder().epochs(2).batchSize(100).validation(Fixtures.Data.VALIDATION)
                .callback(new ModelCheckpoint(file, PRE, "softmax_cross_entropy", "val_accuracy", false, 1)).build());
        ModelFile.Contents contents = ModelFile.load(file);
        assertThat(contents.preprocessing()).isEqualTo(PRE);
        assertThat(contents.loss()).isEqualTo("softmax_cross_entropy");
        assertThat(Fixtures.weights(contents.model())).containsExactlyInAnyOrderEntriesOf(Fixtures.weights(trainer.model()));
        assertThat(files()).containsExactly("model.safetensors");
    }

    @Test
    void aRestoredCheckpointRemembersTheBestSoFar() throws IOException {
        Path file = tmp.resolve("best.safetensors");
        ModelCheckpoint original = new ModelCheckpoint(file, PRE, "softmax_cross_entropy", "val_accuracy", true, 1);
        Fixtures.Control control = new Fixtures.Control().begin(original);
        Fixtures.mark(control.model, 1);
        original.onEpochEnd(Fixtures.logs(1, 1, 0.5, 1, 0.8));
        var saved = Fixtures.copyOf(original.saveState());
        assertThat(saved.numbers()).containsExactlyEntriesOf(java.util.Map.of("best", 0.8));

        ModelCheckpoint resumed = new ModelCheckpoint(file, PRE, "softmax_cross_entropy", "val_accuracy", true, 1);
        resumed.restoreState(saved);
        Fixtures.Control resumedControl = new Fixtures.Control().begin(resumed);
        Fixtures.mark(resumedControl.model, 2);
        resumed.onEpochEnd(Fixtures.logs(2, 1, 0.5, 1, 0.7)); // worse than the best before the interruption
        assertThat(savedMarker(file)).isEqualTo(1f);
        Fixtures.mark(resumedControl.model, 3);
        resumed.onEpochEnd(Fixtures.logs(3, 1, 0.5, 1, 0.85));
        assertThat(savedMarker(file)).isEqualTo(3f);
        assertThat(resumed.stateKey()).isEqualTo("model_checkpoint:best.safetensors");
    }

    @Test
    void aFailedSaveNamesTheFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = tmp.resolve("missing-dir").resolve("model.safetensors");
        ModelCheckpoint checkpoint = new ModelCheckpoint(file, PRE, "softmax_cross_entropy", "loss", false, 1);
        new Fixtures.Control().begin(checkpoint);
        assertThatThrownBy(() -> checkpoint.onEpochEnd(Fixtures.withoutValidation(1, 0.5))).isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("ModelCheckpoint: cannot save the model at epoch 1 to " + file);
        assertThat(files()).isEmpty();
    }

    @Test
    void bestOnlyWithAMissingValidationMetricIsAnError() {
        ModelCheckpoint checkpoint = new ModelCheckpoint(tmp.resolve("m"), PRE, "softmax_cross_entropy", "val_loss", true, 1);
        new Fixtures.Control().begin(checkpoint);
        assertThatThrownBy(() -> checkpoint.onEpochEnd(Fixtures.withoutValidation(1, 0.5)))
                .hasMessageStartingWith("ModelCheckpoint monitors val_loss, but val_loss is not available at epoch 1");
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new ModelCheckpoint(tmp.resolve("m"), PRE, "softmax_cross_entropy", "val_loss", true, 0))
                .hasMessage("ModelCheckpoint: everyEpochs must be >= 1, received: 0");
        assertThatThrownBy(() -> new ModelCheckpoint(tmp.resolve("m"), PRE, "softmax_cross_entropy", "val_los", true, 1))
                .hasMessageStartingWith("ModelCheckpoint: unknown metric 'val_los'");
        assertThatThrownBy(() -> new ModelCheckpoint(tmp.resolve("m"), null, "softmax_cross_entropy", "val_loss", true, 1))
                .isInstanceOf(NullPointerException.class).hasMessage("ModelCheckpoint: preprocessing");
    }
}
