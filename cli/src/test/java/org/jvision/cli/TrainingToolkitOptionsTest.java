package org.jvision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code jvision train}'s training-toolkit options: each optimizer, penalties, dropout, batch norm,
 * noise, schedules, early stopping and checkpoints work end to end, and each bad value is refused
 * before any training, with one line naming the option and the value, and nothing written.
 */
class TrainingToolkitOptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aRegularizedScheduledRunStopsEarlyAndLogsEveryEpoch() throws Exception {
        Path out = tmp.resolve("run");
        CliRun run = CliRun.of("train", "--data", "sample", "--model", "mlp", "--epochs", "30", "--optimizer", "rmsprop",
                "--lr", "0.001", "--l1", "1e-5", "--l2", "1e-4", "--dropout", "0.2", "--batch-norm", "--noise", "0.1",
                "--lr-schedule", "plateau:1:0.5", "--early-stopping", "val_loss:2", "--seed", "4", "--no-progress",
                "--out", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("rmsprop lr 0.001, L1 1.0E-5, L2 1.0E-4", "GaussianNoise", "BatchNormalization", "Dropout",
                "Stopped: early stopping: val_loss did not improve");
        JsonNode epochs = JSON.readTree(out.resolve("history.json").toFile()).get("epochs");
        assertThat(epochs.size()).isLessThan(30);
        assertThat(Files.readAllLines(out.resolve("history.csv"))).hasSize(epochs.size() + 1);
        // The plateau reducer halved the rate at least once before early stopping gave up.
        assertThat(epochs.get(epochs.size() - 1).get("learning_rate").asDouble()).isLessThan(0.001);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"momentum", "nesterov", "adagrad", "adamax", "adamw", "sgd"})
    void everyOptimizerTrainsTheSample(String optimizer) {
        Path out = tmp.resolve(optimizer);
        CliRun run = CliRun.of("train", "--data", "sample", "--model", "mlp", "--epochs", "2", "--optimizer", optimizer,
                "--lr-schedule", "warmup:1+cosine", "--checkpoint-every", "0", "--no-progress", "--out", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Test: loss");
        assertThat(out.resolve("checkpoint.safetensors")).doesNotExist();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "--optimizer|adadelta|unknown optimizer",
            "--lr-schedule|step:x:0.1|EVERY must be a whole number",
            "--lr-schedule|plateau:-1|PATIENCE",
            "--early-stopping|val_loss|MONITOR:PATIENCE",
            "--early-stopping|val_recall:3|MONITOR must be one of",
            "--checkpoint-every|often|--checkpoint-every 'often'",
            "--dropout|1.5|dropout rate must be in [0, 1)",
            "--l2|-0.1|L2 factor",
            "--noise|-1|noise standard deviation"})
    void badValuesAreRefusedBeforeTraining(String option, String value, String message) {
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("train", "--data", "sample", "--model", "mlp", "--epochs", "1", option, value, "--no-progress",
                "--out", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err().strip().lines().count()).isEqualTo(1);
        assertThat(run.err()).contains(message).doesNotContain("Exception");
        assertThat(out).doesNotExist();
    }

    @Test
    void watchingAValidationMetricWithoutValidationDataIsRefused() {
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("train", "--data", "sample", "--val-split", "0", "--early-stopping", "val_accuracy:2",
                "--no-progress", "--out", out.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("val_accuracy", "needs validation data");
        CliRun plateau = CliRun.of("train", "--data", "sample", "--val-split", "0", "--lr-schedule", "plateau:2",
                "--no-progress", "--out", out.toString());
        assertThat(plateau.exitCode()).isEqualTo(1);
        assertThat(plateau.err()).contains("val_loss", "needs validation data");
        assertThat(out).doesNotExist();
    }
}
