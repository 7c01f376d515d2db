package org.jvision.losses;

import java.util.List;

/** The losses by the names model files and the CLI use. */
public final class Losses {
    private Losses() {
    }

    public static List<String> names() {
        return List.of("softmax_cross_entropy", "binary_cross_entropy", "mean_squared_error");
    }

    public static Loss byName(String name) {
        return switch (name) {
            case "softmax_cross_entropy" -> new SoftmaxCrossEntropy();
            case "binary_cross_entropy" -> new BinaryCrossEntropy();
            case "mean_squared_error", "mse" -> new MeanSquaredError();
            default -> throw new IllegalArgumentException("unknown loss '" + name + "', expected one of " + String.join(", ", names()));
        };
    }
}
