package org.jvision.training.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.optimizers.Adam;
import org.jvision.training.EpochLogs;
import org.jvision.training.FitOptions;
import org.jvision.training.History;
import org.jvision.training.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLoggerTest {
    private static final EpochLogs FIRST = new EpochLogs(1, 0.5, 0.75, 0.625, 0.5, 0.001f, 1.25);
    private static final EpochLogs SECOND = new EpochLogs(2, 0.25, 0.875, 0.375, 0.8125, 0.0005f, 2.0);
    private static final EpochLogs THIRD = new EpochLogs(3, 0.125, 0.9, 0.3, 0.85, 0.00025f, 1.5);

    @TempDir
    Path tmp;

    private long filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void oneExactRowPerEpochAfterTheHeaderRewrittenEachEpoch() throws IOException {
        Path file = tmp.resolve("log.csv");
        CsvLogger logger = new CsvLogger(file);
        logger.onTrainBegin(new Fixtures.Control(), 10, 4);
        logger.onEpochEnd(FIRST);
        assertThat(Files.readString(file)).isEqualTo("""
                epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds
                1,0.5,0.75,0.625,0.5,0.001,1.25
                """);
        logger.onEpochEnd(SECOND);
        assertThat(Files.readString(file)).isEqualTo("""
                epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds
                1,0.5,0.75,0.625,0.5,0.001,1.25
                2,0.25,0.875,0.375,0.8125,5.0E-4,2.0
                """);
        assertThat(filesIn(tmp)).isEqualTo(1);
    }

    @Test
    void validationColumnsAreEmptyWithoutValidationData() throws IOException {
        Path file = tmp.resolve("log.csv");
        CsvLogger logger = new CsvLogger(file);
        logger.onTrainBegin(new Fixtures.Control(), 10, 4);
        logger.onEpochEnd(new EpochLogs(1, 0.5, 0.75, null, null, 0.01f, 3.0));
        assertThat(Files.readAllLines(file)).containsExactly(CsvLogger.HEADER, "1,0.5,0.75,,,0.01,3.0");
    }

    @Test
    void aNewFitStartsAfreshUnlessAppending() throws IOException {
        Path file = tmp.resolve("log.csv");
        CsvLogger logger = new CsvLogger(file);
        logger.onTrainBegin(new Fixtures.Control(), 10, 4);
        logger.onEpochEnd(FIRST);
        logger.onEpochEnd(SECOND);
        logger.onTrainBegin(new Fixtures.Control(), 10, 4);
        logger.onEpochEnd(FIRST);
        assertThat(Files.readAllLines(file)).containsExactly(CsvLogger.HEADER, CsvLogger.row(FIRST));
    }

    @Test
    void appendingKeepsTheEarlierRowsButNotThoseOfRepeatedEpochs() throws IOException {
        Path file = tmp.resolve("log.csv");
        CsvLogger first = new CsvLogger(file);
        first.onTrainBegin(new Fixtures.Control(), 10, 4);
        first.onEpochEnd(FIRST);
        first.onEpochEnd(SECOND);
        first.onEpochEnd(THIRD);
        // The run resumes from the checkpoint taken after epoch 2: epoch 3 runs again.
        CsvLogger resumed = new CsvLogger(file, true);
        resumed.onTrainBegin(new Fixtures.Control(), 10, 4);
        EpochLogs again = new EpochLogs(3, 0.1, 0.95, 0.2, 0.9, 0.00025f, 1.75);
        resumed.onEpochEnd(again);
        assertThat(Files.readAllLines(file)).containsExactly(CsvLogger.HEADER, CsvLogger.row(FIRST), CsvLogger.row(SECOND),
                "3,0.1,0.95,0.2,0.9,2.5E-4,1.75");
    }

    @Test
    void appendingToAFileWithAnotherHeaderIsAnError() throws IOException {
        Path file = tmp.resolve("log.csv");
        Files.writeString(file, "epoch,loss\n1,0.5\n");
        CsvLogger logger = new CsvLogger(file, true);
        assertThatThrownBy(() -> logger.onTrainBegin(new Fixtures.Control(), 10, 4)).isInstanceOf(IllegalStateException.class)
                .hasMessage("CsvLogger: cannot append to " + file + ": its header is 'epoch,loss', expected '" + CsvLogger.HEADER + "'");
    }

    @Test
    void inARealFitTheFileMatchesTheHistory() throws IOException {
        Path file = tmp.resolve("training.csv");
        Trainer trainer = new Trainer(Fixtures.tinyModel(4), new Adam(0.005f), new SoftmaxCrossEntropy());
        History history = trainer.fit(Fixtures.Data.TRAIN, FitOptions.builder().epochs(2).batchSize(100)
                .callback(new CsvLogger(file)).build());
        assertThat(Files.readAllLines(file)).containsExactly(CsvLogger.HEADER, CsvLogger.row(history.epochs().get(0)),
                CsvLogger.row(history.epochs().get(1)));
        assertThat(Files.readAllLines(file).get(1)).startsWith("1,").contains(",,,0.005,");
    }
}
