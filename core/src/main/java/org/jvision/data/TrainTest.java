package org.jvision.data;

import java.util.Objects;

/**
 * A training set and its test set, with a line saying where they came from, for logs and reports:
 * {@code "Fashion-MNIST sample embedded in jvision (5000 train / 1000 test)"} or
 * {@code "Fashion-MNIST from /usr/share/datasets/fashion-mnist (60000 train / 10000 test)"}.
 *
 * <p>The test set is for the final evaluation only: validation sets for tuning and early stopping
 * are split off the training set ({@link Splits#trainValidation}).
 */
public record TrainTest(Dataset train, Dataset test, String source) {
    public TrainTest {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(source, "source");
        if (!train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException("train classes " + train.classNames()
                    + " differ from test classes " + test.classNames());
        }
        if (!train.imageShape().equals(test.imageShape())) {
            throw new IllegalArgumentException("train images " + train.imageShape()
                    + " differ in shape from test images " + test.imageShape());
        }
    }
}
