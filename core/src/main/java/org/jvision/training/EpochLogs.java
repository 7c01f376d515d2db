package org.jvision.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One epoch's results: training loss and accuracy (means over the epoch's batches, as Keras
 * reports them), validation loss and accuracy (null without validation data), wall seconds.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EpochLogs(
        @JsonProperty("epoch") int epoch,
        @JsonProperty("loss") double loss,
        @JsonProperty("accuracy") double accuracy,
        @JsonProperty("val_loss") Double valLoss,
        @JsonProperty("val_accuracy") Double valAccuracy,
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("seconds") double seconds) {
    /** The names {@link #metric} knows, as Keras names them (and as {@code history.json} writes them). */
    public static final List<String> METRICS = List.of("loss", "accuracy", "val_loss", "val_accuracy", "learning_rate");

    /**
     * A value by its Keras name: {@code loss}, {@code accuracy}, {@code val_loss},
     * {@code val_accuracy} or {@code learning_rate}; what callbacks monitor.
     *
     * @throws IllegalArgumentException for a name not in {@link #METRICS}
     * @throws IllegalStateException for {@code val_loss} or {@code val_accuracy} when the fit has
     *     no validation data (rather than quietly watching another metric)
     */
    public double metric(String name) {
        return switch (requireMetricName(name)) {
            case "loss" -> loss;
            case "accuracy" -> accuracy;
            case "val_loss" -> validation(name, valLoss);
            case "val_accuracy" -> validation(name, valAccuracy);
            default -> learningRate;
        };
    }

    /** {@code name} when it is one of {@link #METRICS}, else an error listing them. */
    public static String requireMetricName(String name) {
        if (!METRICS.contains(name)) {
            throw new IllegalArgumentException("unknown metric '" + name + "'; expected one of " + String.join(", ", METRICS));
        }
        return name;
    }

    private double validation(String name, Double value) {
        if (value == null) {
            throw new IllegalStateException(name + " is not available at epoch " + epoch
                    + ": this fit has no validation data (give it validation data, or monitor "
                    + name.substring("val_".length()) + " instead)");
        }
        return value;
    }
}
