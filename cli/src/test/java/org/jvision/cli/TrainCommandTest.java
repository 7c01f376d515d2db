package org.jvision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void trainsOnTheEmbeddedSampleAndWritesModelAndHistory() throws Exception {
        Path out = tmp.resolve("run");
        CliRun run = CliRun.of("train", "--data", "sample", "--model", "mlp", "--epochs", "2", "--seed", "3",
                "--no-progress", "--out", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Data: Fashion-MNIST sample embedded in jvision", "Epoch 1/2", "Epoch 2/2",
                "val_accuracy", "Test: loss", "Total params: 235,146");
        assertThat(out.resolve("model.safetensors")).isRegularFile();
        JsonNode history = JSON.readTree(out.resolve("history.json").toFile());
        assertThat(history.get("epochs")).hasSize(2);
        JsonNode last = history.get("epochs").get(1);
        for (String key : new String[] {"loss", "accuracy", "val_loss", "val_accuracy", "seconds"}) {
            assertThat(last.get(key).isNumber()).as(key).isTrue();
        }
        // Two epochs of an MLP on 4,500 images already classify far better than chance (10%).
        assertThat(last.get("val_accuracy").asDouble()).isGreaterThan(0.6);
        assertThat(last.get("loss").asDouble()).isLessThan(history.get("epochs").get(0).get("loss").asDouble());
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.safetensors", "history.json", "history.csv",
                    "checkpoint.safetensors");
        }
    }

    @Test
    void sameSeedGivesIdenticalHistoryTimingsAside() throws Exception {
        JsonNode[] histories = new JsonNode[2];
        for (int i = 0; i < 2; i++) {
            Path out = tmp.resolve("run" + i);
            CliRun run = CliRun.of("train", "--data", "sample", "--model", "lenet5", "--epochs", "1", "--seed", "11",
                    "--no-progress", "--out", out.toString());
            assertThat(run.exitCode()).as(run.toString()).isZero();
            histories[i] = withoutTimings(JSON.readTree(out.resolve("history.json").toFile()));
        }
        assertThat(histories[1]).isEqualTo(histories[0]);
        assertThat(Files.readAllBytes(tmp.resolve("run0/model.safetensors")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("run1/model.safetensors")));
    }

    private static JsonNode withoutTimings(JsonNode history) {
        for (JsonNode epoch : history.get("epochs")) {
            ((ObjectNode) epoch).remove("seconds");
        }
        return history;
    }

    @Test
    void evaluateAndPredictUseTheSavedModel() throws Exception {
        Path out = tmp.resolve("run");
        CliRun train = CliRun.of("train", "--data", "sample", "--model", "mlp", "--epochs", "1", "--no-progress",
                "--out", out.toString());
        assertThat(train.exitCode()).as(train.toString()).isZero();
        Path model = out.resolve("model.safetensors");

        CliRun evaluate = CliRun.of("evaluate", "--model", model.toString(), "--data", "sample", "--json");
        assertThat(evaluate.exitCode()).as(evaluate.toString()).isZero();
        JsonNode result = JSON.readTree(evaluate.out());
        assertThat(result.get("examples").asInt()).isEqualTo(1000);
        assertThat(result.get("accuracy").asDouble()).isBetween(0.5, 1.0);
        // The same number the training run printed for the test set.
        assertThat(train.out()).contains(String.format(java.util.Locale.ROOT, "accuracy %.4f", result.get("accuracy").asDouble()));

        Path png = TestImages.writeSamplePng(tmp.resolve("shoe.png"), 0);
        CliRun predict = CliRun.of("predict", "--model", model.toString(), "--input", png.toString());
        assertThat(predict.exitCode()).as(predict.toString()).isZero();
        assertThat(predict.out()).startsWith(png.toString() + ": ").containsPattern("\\d\\.\\d{4}");
    }
}
