package org.jvision.training.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.optimizers.Adam;
import org.jvision.training.EpochLogs;
import org.jvision.training.FitOptions;
import org.jvision.training.History;
import org.jvision.training.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonHistoryLoggerTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheHistorySoFarAfterEveryEpoch() throws IOException {
        Path file = tmp.resolve("history.json");
        JsonHistoryLogger logger = new JsonHistoryLogger(file);
        logger.onTrainBegin(new Fixtures.Control(), 10, 4);
        EpochLogs first = new EpochLogs(1, 0.5, 0.75, 0.625, 0.5, 0.001f, 1.25);
        EpochLogs second = new EpochLogs(2, 0.25, 0.875, null, null, 0.001f, 2.0);
        logger.onEpochEnd(first);
        assertThat(Files.readString(file)).isEqualTo(History.of(List.of(first), null).toJson());
        logger.onEpochEnd(second);
        assertThat(Files.readString(file)).isEqualTo(History.of(List.of(first, second), null).toJson());
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertThat(root.get("epochs")).hasSize(2);
        assertThat(root.get("epochs").get(1).get("val_loss").isNull()).isTrue();
        assertThat(root.has("stopped_early")).isFalse();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.count()).isEqualTo(1);
        }
    }

    @Test
    void theFinalFileSaysWhyTrainingStopped() throws IOException {
        Path file = tmp.resolve("history.json");
        Trainer trainer = new Trainer(Fixtures.tinyModel(4), new Adam(0.005f), new SoftmaxCrossEntropy());
        // loss can never improve by 10: stopped after epoch 2.
        History history = trainer.fit(Fixtures.Data.TRAIN, FitOptions.builder().epochs(5).batchSize(100)
                .callback(new EarlyStopping("loss", 10, 1, Monitor.Mode.AUTO, false))
                .callback(new JsonHistoryLogger(file)).build());
        assertThat(history.epochs()).hasSize(2);
        assertThat(Files.readString(file)).isEqualTo(history.toJson()).contains("\"stopped_early\" : \"early stopping: loss");
    }
}
