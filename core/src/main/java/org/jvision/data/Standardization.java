package org.jvision.data;

import java.util.Arrays;
import org.jvision.tensor.Tensor;

/**
 * Per-channel standardization {@code x' = (x - mean[c]) / std[c]}.
 *
 * <p>The statistics are computed on the training set only ({@link #fit}), over all images, rows and
 * columns of each channel (population standard deviation), and then applied unchanged to the
 * training, validation and test sets and to every input given to {@code predict}; they are saved in
 * the model file (this record serializes to JSON with Jackson as {@code {"mean":[…],"std":[…]}}).
 * Computing them on the validation or test data would leak those sets into training.
 *
 * <p>A channel that is constant in the training set (std 0) keeps std 1, so it is only centred,
 * never divided by zero.
 */
public record Standardization(float[] mean, float[] std) {
    /** Standard deviations below this count as zero (a constant channel). */
    static final double MIN_STD = 1e-7;

    public Standardization {
        if (mean == null || std == null || mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("standardization needs one mean and one std per channel, got mean "
                    + Arrays.toString(mean) + " and std " + Arrays.toString(std));
        }
        for (int c = 0; c < mean.length; c++) {
            if (!Float.isFinite(mean[c]) || !(std[c] > 0) || !Float.isFinite(std[c])) {
                throw new IllegalArgumentException("standardization channel " + c + " needs a finite mean and a"
                        + " positive finite std, got mean " + mean[c] + " and std " + std[c]);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Mean and standard deviation of each channel of {@code train}, computed in double precision. */
    public static Standardization fit(Dataset train) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("cannot compute standardization statistics of an empty data set");
        }
        int channels = train.imageShape().dim(-1);
        float[] pixels = train.pixels();
        long perChannel = (long) train.size() * train.imageShape().size() / channels;
        int total = train.size() * train.imageShape().size();
        double[] sum = new double[channels];
        for (int i = 0; i < total; i += channels) {
            for (int c = 0; c < channels; c++) {
                sum[c] += pixels[i + c];
            }
        }
        double[] mean = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = sum[c] / perChannel;
        }
        double[] squares = new double[channels];
        for (int i = 0; i < total; i += channels) {
            for (int c = 0; c < channels; c++) {
                double d = pixels[i + c] - mean[c];
                squares[c] += d * d;
            }
        }
        float[] meanOut = new float[channels];
        float[] stdOut = new float[channels];
        for (int c = 0; c < channels; c++) {
            double std = Math.sqrt(squares[c] / perChannel);
            meanOut[c] = (float) mean[c];
            stdOut[c] = std < MIN_STD ? 1f : (float) std;
        }
        return new Standardization(meanOut, stdOut);
    }

    public int channels() {
        return mean.length;
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** A new data set with standardized images (the labels and class names are shared). */
    public Dataset apply(Dataset data) {
        checkChannels(data.imageShape().dim(-1));
        Tensor images = data.images();
        applyInPlace(images);
        return Dataset.wrap(images, data.labels(), data.classNames());
    }

    /** A standardized copy of {@code x}, whose last axis is the channels ({@code [n, h, w, c]} or {@code [h, w, c]}). */
    public Tensor apply(Tensor x) {
        Tensor out = x.copy();
        applyInPlace(out);
        return out;
    }

    /** Standardizes {@code x} (last axis: channels) in place. */
    public void applyInPlace(Tensor x) {
        int channels = x.rank() == 0 ? 0 : x.dim(-1);
        checkChannels(channels);
        float[] data = x.data();
        int size = x.size();
        for (int i = 0; i < size; i += channels) {
            for (int c = 0; c < channels; c++) {
                data[i + c] = (data[i + c] - mean[c]) / std[c];
            }
        }
    }

    private void checkChannels(int channels) {
        if (channels != mean.length) {
            throw new IllegalArgumentException("standardization fitted on " + mean.length + " channels applied to"
                    + " data with " + channels + " channels");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardization other && Arrays.equals(mean, other.mean) && Arrays.equals(std, other.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Standardization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
