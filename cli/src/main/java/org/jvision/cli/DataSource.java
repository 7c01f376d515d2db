package org.jvision.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.jvision.data.FashionMnist;
import org.jvision.data.TrainTest;

/**
 * Resolves {@code --data}: the word {@code sample} means the embedded sample; a folder means
 * Fashion-MNIST's IDX files there; no option means {@code $JVISION_DATA}, then
 * /usr/share/datasets/fashion-mnist, then the embedded sample.
 */
final class DataSource {
    static final String SAMPLE = "sample";

    private DataSource() {
    }

    static TrainTest load(String option) throws IOException {
        if (SAMPLE.equals(option)) {
            return FashionMnist.embeddedSample();
        }
        if (option != null) {
            return FashionMnist.load(FashionMnist.locate(Path.of(option)));
        }
        Path found;
        try {
            found = FashionMnist.locate(null);
        } catch (IOException e) {
            if (System.getenv(FashionMnist.DATA_ENV) != null) {
                throw e; // the user pointed somewhere: say what is wrong there rather than fall back
            }
            return FashionMnist.embeddedSample();
        }
        return FashionMnist.load(found);
    }
}
