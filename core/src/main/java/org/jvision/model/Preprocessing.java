package org.jvision.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import org.jvision.data.Dataset;
import org.jvision.data.Standardization;
import org.jvision.tensor.Tensor;

/**
 * What turns a raw image into the model's input, saved with the model so that evaluation and
 * prediction apply exactly what training did: the readers scale pixels to [0, 1], then the
 * training set's per-channel standardization {@code (x - mean) / std} is applied unchanged.
 *
 * @param classNames the name of each output class, in order
 * @param standardization the statistics of the training images
 */
public record Preprocessing(
        @JsonProperty("class_names") List<String> classNames,
        @JsonProperty("standardization") Standardization standardization) {

    public Preprocessing {
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(standardization, "standardization");
    }

    /** A standardized copy of a data set. */
    public Dataset apply(Dataset data) {
        return standardization.apply(data);
    }

    /** Standardizes a batch of images in place. */
    public void applyInPlace(Tensor images) {
        standardization.applyInPlace(images);
    }
}
