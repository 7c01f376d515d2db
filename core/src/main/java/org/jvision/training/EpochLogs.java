package org.jvision.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

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
}
