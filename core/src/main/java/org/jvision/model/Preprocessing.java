package org.jvision.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What turns a raw image into the model's input, saved with the model so that evaluation and
 * prediction apply exactly what training did: pixels are scaled to [0, 1] by the readers, then
 * standardized per channel with the training set's statistics, {@code (x - mean) / std}.
 *
 * @param classNames the name of each output class, in order
 * @param mean per-channel mean of the (scaled) training pixels
 * @param std per-channel standard deviation of the (scaled) training pixels
 */
public record Preprocessing(
        @JsonProperty("class_names") List<String> classNames,
        @JsonProperty("mean") float[] mean,
        @JsonProperty("std") float[] std) {

    public Preprocessing {
        classNames = List.copyOf(classNames);
        if (mean.length != std.length) {
            throw new IllegalArgumentException("preprocessing has " + mean.length + " means but " + std.length + " stds");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("preprocessing std must be positive, got " + s);
            }
        }
    }

    /** Standardizes NHWC pixels in place. */
    public void apply(float[] pixels, int count) {
        int channels = mean.length;
        for (int i = 0; i < count; i++) {
            int c = i % channels;
            pixels[i] = (pixels[i] - mean[c]) / std[c];
        }
    }
}
