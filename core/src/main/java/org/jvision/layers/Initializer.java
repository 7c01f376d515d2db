package org.jvision.layers;

import java.util.SplittableRandom;
import org.jvision.tensor.Tensor;

/**
 * Weight initializations, seeded. Fan-in and fan-out follow Keras: for a dense kernel
 * {@code [in, out]}; for a convolution kernel {@code [kh, kw, cin, cout]} fan-in is
 * {@code kh*kw*cin} and fan-out {@code kh*kw*cout}.
 *
 * <ul>
 *   <li>{@code HE_NORMAL}: N(0, 2/fanIn), truncated at two standard deviations (He et al. 2015),
 *       for layers followed by ReLU;</li>
 *   <li>{@code GLOROT_UNIFORM}: U(-l, l), {@code l = sqrt(6/(fanIn+fanOut))} (Glorot &amp; Bengio
 *       2010), for everything else (the Keras default);</li>
 *   <li>{@code ZEROS}, {@code ONES}: biases, batch norm's beta and gamma.</li>
 * </ul>
 */
public enum Initializer {
    HE_NORMAL, GLOROT_UNIFORM, ZEROS, ONES;

    public void fill(Tensor t, int fanIn, int fanOut, SplittableRandom random) {
        float[] d = t.data();
        int n = t.size();
        switch (this) {
            case HE_NORMAL -> {
                double std = Math.sqrt(2.0 / fanIn) / 0.87962566103423978; // truncation shrinks the variance
                for (int i = 0; i < n; i++) {
                    d[i] = (float) (std * truncatedGaussian(random));
                }
            }
            case GLOROT_UNIFORM -> {
                double limit = Math.sqrt(6.0 / (fanIn + fanOut));
                for (int i = 0; i < n; i++) {
                    d[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
                }
            }
            case ZEROS -> t.fill(0f);
            case ONES -> t.fill(1f);
        }
    }

    /** A standard normal sample, redrawn until it lies within two standard deviations. */
    private static double truncatedGaussian(SplittableRandom random) {
        while (true) {
            // Box-Muller keeps the sequence a function of the seed alone.
            double u1 = random.nextDouble();
            double u2 = random.nextDouble();
            double g = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
            if (Math.abs(g) <= 2) {
                return g;
            }
        }
    }

    /** Parses "he_normal", "glorot_uniform", "zeros", "ones" (case-insensitive). */
    public static Initializer parse(String name) {
        for (Initializer i : values()) {
            if (i.name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown initializer '" + name
                + "', expected one of he_normal, glorot_uniform, zeros, ones");
    }
}
