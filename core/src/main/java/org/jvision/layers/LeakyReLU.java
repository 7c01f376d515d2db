package org.jvision.layers;

import java.util.Objects;
import org.jvision.kernel.Parallel;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

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
public final class LeakyReLU extends Layer {
    /**
     * @param alpha the slope for {@code x <= 0}, in {@code [0, 1]}
     */
    public record Config(double alpha) {
        /** The default slope, 0.01. */
        public Config() {
            this(0.01);
        }
    }

    /** Element-wise work is split across threads only above this many values per thread. */
    private static final int MIN_CHUNK = 1 << 15;

    private final Config config;
    private final float alpha;
    private Tensor output;
    private Tensor inputGradient;
    private Tensor lastOutput;

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
    public Shape outputShape(Shape inputShape) {
        return inputShape;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        checkInput(input);
        Tensor out = Tensor.reuse(output, input.shape());
        float[] x = input.data();
        float[] y = out.data();
        float a = alpha;
        Parallel.forRange(input.size(), MIN_CHUNK, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = Math.max(x[i], a * x[i]);
            }
        });
        output = out;
        lastOutput = out;
        return out;
    }

    @Override
    public Tensor backward(Tensor outputGradient) {
        if (lastOutput == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        if (!outputGradient.shape().equals(lastOutput.shape())) {
            throw new IllegalArgumentException(describe() + ": output gradient has shape " + outputGradient.shape()
                    + ", the last forward produced " + lastOutput.shape());
        }
        Tensor dx = Tensor.reuse(inputGradient, outputGradient.shape());
        float[] y = lastOutput.data();
        float[] dy = outputGradient.data();
        float[] d = dx.data();
        float a = alpha;
        float b = 1 - alpha;
        Parallel.forRange(dx.size(), MIN_CHUNK, (from, to) -> {
            for (int i = from; i < to; i++) {
                // signum(max(y, 0)) is 1 where x > 0, else 0: the slope is a + (1 - a) * that
                d[i] = dy[i] * (a + b * Math.signum(Math.max(y[i], 0f)));
            }
        });
        inputGradient = dx;
        return dx;
    }

    public float alpha() {
        return alpha;
    }

    @Override
    public Record config() {
        return config;
    }
}
