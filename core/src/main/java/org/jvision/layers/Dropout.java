package org.jvision.layers;

import java.util.Objects;
import java.util.SplittableRandom;
import org.jvision.kernel.Parallel;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al. 2014), element-wise, for inputs of any rank.
 *
 * <p>In training each value is kept with probability {@code keep = 1 - rate} and divided by
 * {@code keep}, or set to 0:
 *
 * <pre>
 *   m_i ~ Bernoulli(keep)        y_i = m_i * x_i / keep        dx_i = m_i * dy_i / keep
 * </pre>
 *
 * so the expected value of each output equals its input and inference needs no rescaling: there
 * dropout is the identity and returns its input tensor itself. Backward uses the mask of the last
 * training forward (and passes the gradient through unchanged after an inference forward).
 *
 * <p>The mask is drawn one value after another in index order from the batch's generator (a
 * {@link SplittableRandom} derived from a seed taken, at {@link #build}, from the model's seeded
 * generator, and the batch's number: see {@link StochasticLayer}), so a given seed gives the same
 * masks on every run whatever the thread count, and a resumed run the same as an uninterrupted one.
 * Each training batch draws a fresh mask. Drawing is
 * branch-free: a value is kept when 53 random bits {@code u} (the bits of
 * {@link SplittableRandom#nextDouble}) fall below {@code keep * 2^53}, read off the sign of
 * {@code u - threshold}, and the mask is stored as 0/1 floats, so applying it is a vectorizable
 * {@code x / keep * m} (a branch on random data measured about 6 times slower).
 */
public final class Dropout extends Layer implements StochasticLayer {
    /**
     * @param rate the fraction of values dropped in training, in {@code [0, 1)}
     */
    public record Config(double rate) {
    }

    /** Element-wise work is split across threads only above this many values per thread. */
    private static final int MIN_CHUNK = 1 << 15;

    private final Config config;
    private final float keep;
    /** {@code ceil(keep * 2^53)}: 53 uniform random bits below it keep the value. */
    private final long threshold;
    private final BatchRandom random = new BatchRandom();
    private Tensor output;
    private Tensor inputGradient;
    /** The mask of the last training forward: 1 where the value was kept, 0 where dropped. */
    private float[] mask = new float[0];
    /** The shape of the last forward's output, null before the first. */
    private Shape lastShape;
    /** Whether the last forward applied a mask (training with rate > 0). */
    private boolean lastMasked;

    public Dropout(double rate) {
        this(null, new Config(rate));
    }

    public Dropout(String name, double rate) {
        this(name, new Config(rate));
    }

    public Dropout(String name, Config config) {
        super(name);
        this.config = Objects.requireNonNull(config, "config");
        if (!(config.rate() >= 0 && config.rate() < 1)) {
            throw new IllegalArgumentException(describe() + ": rate must be in [0, 1), received: " + config.rate());
        }
        this.keep = (float) (1 - config.rate());
        this.threshold = (long) Math.ceil((1 - config.rate()) * 0x1p53);
    }

    @Override
    public String type() {
        return "Dropout";
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        return inputShape;
    }

    @Override
    protected void initialize(Shape inputShape, SplittableRandom random) {
        this.random.seed(random);
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        checkInput(input);
        lastShape = input.shape();
        lastMasked = training && config.rate() > 0;
        if (!lastMasked) {
            return input;
        }
        int n = input.size();
        if (mask.length < n) {
            mask = new float[n];
        }
        float[] m = mask;
        SplittableRandom random = this.random.nextBatch();
        for (int i = 0; i < n; i++) { // sequential: the mask is a function of the seed alone
            m[i] = (float) (((random.nextLong() >>> 11) - threshold) >>> 63); // 1 iff u < threshold
        }
        Tensor out = Tensor.reuse(output, input.shape());
        float[] x = input.data();
        float[] y = out.data();
        float k = keep;
        Parallel.forChunks(n, MIN_CHUNK, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = x[i] / k * m[i];
            }
        });
        output = out;
        return out;
    }

    @Override
    public Tensor backward(Tensor outputGradient) {
        checkOutputGradient(outputGradient, lastShape);
        if (!lastMasked) {
            return outputGradient;
        }
        Tensor dx = inputGradientBuffer(inputGradient, outputGradient.shape(), outputGradient);
        float[] dy = outputGradient.data();
        float[] d = dx.data();
        float[] m = mask;
        float k = keep;
        Parallel.forChunks(dx.size(), MIN_CHUNK, (from, to) -> {
            for (int i = from; i < to; i++) {
                d[i] = dy[i] / k * m[i];
            }
        });
        inputGradient = dx;
        return dx;
    }

    @Override
    public long batchesDrawn() {
        return random.batches();
    }

    @Override
    public void setBatchesDrawn(long batches) {
        random.setBatches(batches);
    }

    public double rate() {
        return config.rate();
    }

    @Override
    public Record config() {
        return config;
    }
}
