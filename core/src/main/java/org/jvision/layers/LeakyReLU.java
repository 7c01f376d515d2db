package org.jvision.layers;

import java.util.Objects;

/**
 * The leaky rectified linear unit, element-wise, for inputs of any rank (Maas et al. 2013):
 *
 * <pre>
 *   y = x if x &gt; 0, else alpha * x        dy/dx = 1 if x &gt; 0, else alpha
 * </pre>
 *
 * with {@code alpha = 0.01} by default (Keras's {@code LeakyReLU} defaults to 0.3; the course and
 * PyTorch use 0.01), and {@code alpha} in {@code [0, 1]}, so that {@code y = max(x, alpha x)}. At
 * exactly {@code x = 0} backward uses {@code alpha}, the left derivative. Since {@code alpha >= 0},
 * {@code y > 0} exactly where {@code x > 0}, so forward keeps only its output. Both loops are
 * branch-free (see {@link ReLU}).
 */
public final class LeakyReLU extends ElementwiseActivation {
    /**
     * @param alpha the slope for {@code x <= 0}, in {@code [0, 1]}
     */
    public record Config(double alpha) {
        /** The default slope, 0.01. */
        public Config() {
            this(0.01);
        }
    }

    private final Config config;
    private final float alpha;

    /** A leaky ReLU with slope 0.01. */
    public LeakyReLU() {
        this(null, new Config());
    }

    public LeakyReLU(double alpha) {
        this(null, new Config(alpha));
    }

    public LeakyReLU(String name, Config config) {
        super(name);
        this.config = Objects.requireNonNull(config, "config");
        if (!(config.alpha() >= 0 && config.alpha() <= 1)) {
            throw new IllegalArgumentException(describe() + ": alpha must be in [0, 1], received: " + config.alpha());
        }
        this.alpha = (float) config.alpha();
    }

    @Override
    public String type() {
        return "LeakyReLU";
    }

    @Override
    protected void activate(float[] x, float[] y, int from, int to) {
        float a = alpha;
        for (int i = from; i < to; i++) {
            y[i] = Math.max(x[i], a * x[i]);
        }
    }

    @Override
    protected void differentiate(float[] y, float[] dy, float[] dx, int from, int to) {
        float a = alpha;
        float b = 1 - alpha;
        for (int i = from; i < to; i++) {
            // signum(max(y, 0)) is 1 where x > 0, else 0: the slope is a + (1 - a) * that
            dx[i] = dy[i] * (a + b * Math.signum(Math.max(y[i], 0f)));
        }
    }

    /** The slope for {@code x <= 0}. */
    public float alpha() {
        return alpha;
    }

    @Override
    public Record config() {
        return config;
    }
}
