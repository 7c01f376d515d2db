package org.jvision.layers;

import java.util.Objects;
import java.util.SplittableRandom;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * Gaussian noise injection, element-wise, for inputs of any rank: in training each value gets
 * independent zero-mean noise of standard deviation {@code stddev}; at inference the layer is the
 * identity (it returns its input tensor itself), as Keras's {@code GaussianNoise}:
 *
 * <pre>
 *   training:  y_i = x_i + n_i,  n_i ~ N(0, stddev^2)      dx_i = dy_i
 *   inference: y = x
 * </pre>
 *
 * A regularizer: the network cannot rely on exact input values (SPEC.md §5). The noise is drawn in
 * index order from the batch's generator ({@link StochasticLayer}), so a seed gives the same noise
 * whatever the thread count; backward passes the gradient through unchanged.
 */
public final class GaussianNoise extends Layer implements StochasticLayer {
    /**
     * @param stddev the noise's standard deviation, {@code >= 0}
     */
    public record Config(double stddev) {
    }

    private final Config config;
    private final BatchRandom random = new BatchRandom();
    private Tensor output;
    private Shape lastShape;

    public GaussianNoise(double stddev) {
        this(null, new Config(stddev));
    }

    public GaussianNoise(String name, Config config) {
        super(name);
        this.config = Objects.requireNonNull(config, "config");
        if (!(config.stddev() >= 0) || !Double.isFinite(config.stddev())) {
            throw new IllegalArgumentException(describe() + ": stddev must be a finite number >= 0, received: " + config.stddev());
        }
    }

    @Override
    public String type() {
        return "GaussianNoise";
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
        if (!training || config.stddev() == 0) {
            return input;
        }
        Tensor out = Tensor.reuse(output, input.shape());
        float[] x = input.data();
        float[] y = out.data();
        double stddev = config.stddev();
        SplittableRandom batch = random.nextBatch();
        int n = input.size();
        for (int i = 0; i < n; i++) { // sequential: the noise is a function of the seed alone
            y[i] = x[i] + (float) (stddev * batch.nextGaussian());
        }
        output = out;
        return out;
    }

    @Override
    public Tensor backward(Tensor outputGradient) {
        checkOutputGradient(outputGradient, lastShape);
        return outputGradient;
    }

    @Override
    public long batchesDrawn() {
        return random.batches();
    }

    @Override
    public void setBatchesDrawn(long batches) {
        random.setBatches(batches);
    }

    public double stddev() {
        return config.stddev();
    }

    @Override
    public Record config() {
        return config;
    }
}
