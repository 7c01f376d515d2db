package org.jvision.layers;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.jvision.kernel.Engine;
import org.jvision.kernel.Kernels;
import org.jvision.kernel.Parallel;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * Batch normalization (Ioffe &amp; Szegedy 2015) over every axis but the last: per feature for
 * {@code [batch, features]}, per channel over N, H and W for {@code [batch, rows, cols, channels]}.
 * With {@code m} the number of values per channel in the batch:
 *
 * <pre>
 *   mu_B    = (1/m) sum x                      var_B = (1/m) sum (x - mu_B)^2   (biased)
 *   x_hat   = (x - mu_B) / sqrt(var_B + eps)   y     = gamma * x_hat + beta
 * </pre>
 *
 * <b>Training</b> uses the batch statistics, keeps its input and {@code 1/sigma} for backward,
 * and updates the moving statistics the Keras way (the biased batch variance, as Keras does;
 * PyTorch uses the unbiased one):
 *
 * <pre>
 *   moving_mean     = momentum * moving_mean     + (1 - momentum) * mu_B
 *   moving_variance = momentum * moving_variance + (1 - momentum) * var_B
 * </pre>
 *
 * <b>Inference</b> uses {@code moving_mean} and {@code moving_variance} in place of the batch
 * statistics and changes nothing. Backward (training), per channel:
 *
 * <pre>
 *   dx     = (1/m) * (gamma / sigma) * (m * dy - sum dy - x_hat * sum(dy * x_hat))
 *   dgamma += sum dy * x_hat          dbeta += sum dy
 * </pre>
 *
 * After an inference forward (a frozen layer being fine-tuned through), the statistics are
 * constants and {@code dx = dy * gamma / sqrt(moving_variance + eps)}.
 *
 * <p>Parameters: {@code gamma} (initialized to 1) and {@code beta} (0), trainable, not subject to
 * weight penalties; buffers {@code moving_mean} (0) and {@code moving_variance} (1). Defaults
 * {@code momentum = 0.99}, {@code epsilon = 1e-5}.
 *
 * <p>The passes run on {@link Kernels}' channel kernels. The per-channel sums run over blocks of rows
 * (NHWC keeps a row's channels contiguous, so every pass streams through memory), each block summed
 * by one thread into its own slot, and the blocks' sums added in double in block order: the result
 * is the same for any thread count. Backward recomputes {@code x_hat} from the kept input instead
 * of keeping it: a buffer the size of the activation less, and one write fewer per element.
 *
 * <p>In a model, a {@link ReLU} right after this layer runs inside it ({@link #setOutputRectified}):
 * forward writes {@code max(y, 0)}, and backward lets dy through only where y was above zero,
 * recomputing y from the input in the passes it makes anyway. That saves the ReLU's own pass over
 * the activation each way; the results are those of the two layers one after the other.
 */
public final class BatchNormalization extends Layer {
    /**
     * @param momentum weight of the old moving statistics, in {@code [0, 1]}
     * @param epsilon  added to the variance before the square root, {@code > 0}
     */
    public record Config(double momentum, double epsilon) {
        /** Keras's defaults with the course's epsilon: momentum 0.99, epsilon 1e-5. */
        public Config() {
            this(0.99, 1e-5);
        }
    }

    /** Values per block of rows in the per-channel reductions. */
    private static final int BLOCK_VALUES = 1 << 14;
    /** Rows are split across threads only above this many values per thread. */
    private static final int MIN_CHUNK = 1 << 14;

    private final Config config;
    private int channels;
    private Parameter gamma;
    private Parameter beta;
    private Parameter movingMean;
    private Parameter movingVariance;

    private Tensor output;
    private Tensor inputGradient;
    /** The statistics the last forward normalized with (batch or moving), per channel. */
    private double[] mean;
    private double[] invStd;
    /** The last forward's input: backward recomputes x_hat from it rather than keeping a copy. */
    private Tensor lastInput;
    private Shape lastShape;
    private boolean lastTraining;
    /** Whether a ReLU is fused into the output (set by the model). */
    private boolean outputRectified;
    /** Scratch for the reductions: partial sums per block, and their totals. */
    private double[] partial = new double[0];
    private double[] sums;
    /**
     * Per-channel float operands of the kernels: the mean rounded to float, the scale of x (or of
     * dY in inference backward), the scale of the input gradient, and the shift (also the first
     * pass's pivot, and the mean of dY in backward); zeros.
     */
    private float[] center;
    private float[] scale;
    private float[] gradientScale;
    private float[] shift;
    private float[] zeros;
    /** The last forward's map {@code y = (x - center) · outputScale + outputShift}, for the fused ReLU's gate. */
    private float[] outputScale;
    private float[] outputShift;

    public BatchNormalization() {
        this(null, new Config());
    }

    public BatchNormalization(String name) {
        this(name, new Config());
    }

    public BatchNormalization(String name, Config config) {
        super(name);
        this.config = Objects.requireNonNull(config, "config");
        if (!(config.momentum() >= 0 && config.momentum() <= 1)) {
            throw new IllegalArgumentException(
                    describe() + ": momentum must be in [0, 1], received: " + config.momentum());
        }
        if (!(config.epsilon() > 0 && Double.isFinite(config.epsilon()))) {
            throw new IllegalArgumentException(
                    describe() + ": epsilon must be finite and > 0, received: " + config.epsilon());
        }
    }

    @Override
    public String type() {
        return "BatchNormalization";
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() < 1 || inputShape.dim(-1) < 1) {
            throw shapeError("needs a last (feature or channel) axis to normalize", inputShape);
        }
        return inputShape;
    }

    @Override
    protected void initialize(Shape inputShape, SplittableRandom random) {
        channels = inputShape.dim(-1);
        Tensor ones = Tensor.zeros(channels);
        ones.fill(1f);
        Tensor unitVariance = Tensor.zeros(channels);
        unitVariance.fill(1f);
        gamma = Parameter.bias("gamma", ones);
        beta = Parameter.bias("beta", Tensor.zeros(channels));
        movingMean = Parameter.buffer("moving_mean", Tensor.zeros(channels));
        movingVariance = Parameter.buffer("moving_variance", unitVariance);
        mean = new double[channels];
        invStd = new double[channels];
        sums = new double[2 * channels];
        center = new float[channels];
        scale = new float[channels];
        gradientScale = new float[channels];
        shift = new float[channels];
        zeros = new float[channels];
        outputScale = new float[channels];
        outputShift = new float[channels];
    }

    /**
     * Set by the model when a {@link ReLU} follows this layer, which then passes its tensors
     * through: forward outputs {@code max(y, 0)} and backward takes the ReLU's output gradient.
     */
    public void setOutputRectified(boolean rectified) {
        this.outputRectified = rectified;
    }

    /** Whether this layer applies the ReLU that follows it (see {@link #setOutputRectified}). */
    public boolean isOutputRectified() {
        return outputRectified;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        checkInput(input);
        int c = channels;
        int rows = input.size() / c;
        Tensor out = Tensor.reuse(output, input.shape());
        output = out;
        lastShape = input.shape();
        lastTraining = training;
        lastInput = input;
        if (rows == 0) {
            return out;
        }
        Kernels kernels = Engine.kernels();
        float[] x = input.data();
        float[] y = out.data();
        float[] g = gamma.value().data();
        float[] b = beta.value().data();
        double eps = config.epsilon();
        float[] mu = center;
        if (training) {
            // mu_B, then var_B from the deviations (two passes: no cancellation as in E[x^2] - mu^2).
            // The first sums deviations from the batch's first row, which keeps float partial sums
            // small (sums of raw values 20 apart from zero put the output's mean off by 2e-6).
            float[] pivot = shift;
            System.arraycopy(x, 0, pivot, 0, c);
            double[] s = channelSums(rows, 1, (from, to, acc, o) ->
                    kernels.channelSums(x, from * c, to - from, c, pivot, false, acc, o));
            for (int j = 0; j < c; j++) {
                mean[j] = pivot[j] + s[j] / rows;
                mu[j] = (float) mean[j];
            }
            s = channelSums(rows, 1, (from, to, acc, o) ->
                    kernels.channelSums(x, from * c, to - from, c, mu, true, acc, o));
            float[] mm = movingMean.value().data();
            float[] mv = movingVariance.value().data();
            double momentum = config.momentum();
            for (int j = 0; j < c; j++) {
                double variance = s[j] / rows;
                invStd[j] = 1 / Math.sqrt(variance + eps);
                mm[j] = (float) (momentum * mm[j] + (1 - momentum) * mean[j]);
                mv[j] = (float) (momentum * mv[j] + (1 - momentum) * variance);
            }
        } else {
            float[] mm = movingMean.value().data();
            float[] mv = movingVariance.value().data();
            for (int j = 0; j < c; j++) {
                mean[j] = mm[j];
                mu[j] = mm[j];
                invStd[j] = 1 / Math.sqrt(mv[j] + eps);
            }
        }
        // y = gamma * x_hat + beta = (x - mu) * (gamma / sigma) + beta, centred on mu rounded to
        // float and the rounding taken back in the shift (else the output's mean is off by 1e-6)
        float[] scale = outputScale;
        float[] sh = outputShift;
        for (int j = 0; j < c; j++) {
            double k = g[j] * invStd[j];
            scale[j] = (float) k;
            sh[j] = (float) (b[j] - (mean[j] - mu[j]) * k);
        }
        boolean rectify = outputRectified;
        Parallel.forChunks(rows, Math.max(1, MIN_CHUNK / c), (from, to) ->
                kernels.channelAffine(x, y, from * c, to - from, c, mu, scale, sh, rectify));
        return out;
    }

    @Override
    public Tensor backward(Tensor outputGradient) {
        checkOutputGradient(outputGradient, lastShape);
        int c = channels;
        int rows = outputGradient.size() / c;
        Tensor dx = inputGradientBuffer(inputGradient, outputGradient.shape(), outputGradient);
        inputGradient = dx;
        if (rows == 0) {
            return dx;
        }
        Kernels kernels = Engine.kernels();
        float[] dy = outputGradient.data();
        float[] d = dx.data();
        float[] x = lastInput.data();
        float[] g = gamma.value().data();
        float[] mu = center;
        double[] is = invStd;
        // With a fused ReLU, dy counts only where the forward's output was above zero (the gate
        // recomputes it from x); below, dy stands for that gated gradient.
        float[] gateScale = outputRectified ? outputScale : null;
        float[] gateShift = outputRectified ? outputShift : null;
        // sum dy and sum dy * (x - mu) per channel: x_hat = (x - mu) / sigma is recomputed, not kept
        double[] s = channelSums(rows, 2, (from, to, acc, o) ->
                kernels.channelGradientSums(dy, x, from * c, to - from, c, mu, acc, o, gateScale, gateShift));
        float[] dg = gamma.gradient().data();
        float[] db = beta.gradient().data();
        for (int j = 0; j < c; j++) {
            s[c + j] -= (mean[j] - mu[j]) * s[j]; // the sum about mu, not about mu rounded to float
            db[j] += (float) s[j];
            dg[j] += (float) (s[c + j] * is[j]);
        }
        float[] xs = scale;
        float[] k = gradientScale;
        float[] dyMean = shift;
        if (lastTraining) {
            // dx = (gamma / sigma) * (dy - mean(dy) - x_hat * mean(dy x_hat)), x_hat = (x - mu) / sigma
            double m = rows;
            for (int j = 0; j < c; j++) {
                double q = is[j] * is[j] * s[c + j] / m;
                k[j] = (float) (g[j] * is[j]);
                xs[j] = (float) q;
                dyMean[j] = (float) (s[j] / m - (mean[j] - mu[j]) * q); // again about mu, not its float
            }
            Parallel.forChunks(rows, Math.max(1, MIN_CHUNK / c), (from, to) ->
                    kernels.channelNormalizationGradient(dy, x, d, from * c, to - from, c, mu, dyMean, xs, k,
                            gateScale, gateShift));
        } else {
            // the statistics were constants: dx = dy * gamma / sigma
            for (int j = 0; j < c; j++) {
                xs[j] = (float) (g[j] * is[j]);
            }
            if (outputRectified) {
                // the same, dy gated: the gradient pass with no mean to subtract and no x_hat term
                Parallel.forChunks(rows, Math.max(1, MIN_CHUNK / c), (from, to) ->
                        kernels.channelNormalizationGradient(dy, x, d, from * c, to - from, c, mu, zeros, zeros, xs,
                                gateScale, gateShift));
            } else {
                Parallel.forChunks(rows, Math.max(1, MIN_CHUNK / c), (from, to) ->
                        kernels.channelAffine(dy, d, from * c, to - from, c, zeros, xs, zeros, false));
            }
        }
        return dx;
    }

    /** Adds a block of rows {@code [from, to)} into {@code acc[offset ...]}. */
    @FunctionalInterface
    private interface BlockSum {
        void add(int from, int to, double[] acc, int offset);
    }

    /**
     * Per-channel sums of {@code terms} quantities over {@code rows} rows: blocks of rows are summed
     * in parallel into their own slots, then the slots are added in block order, so the result does
     * not depend on the thread count. Returns {@code terms * channels} totals (a shared scratch array).
     */
    private double[] channelSums(int rows, int terms, BlockSum body) {
        int width = terms * channels;
        int blockRows = Math.max(1, BLOCK_VALUES / channels);
        int blocks = (rows + blockRows - 1) / blockRows;
        if (partial.length < blocks * width) {
            partial = new double[blocks * width];
        }
        double[] p = partial;
        Arrays.fill(p, 0, blocks * width, 0);
        Parallel.forChunks(blocks, 1, (from, to) -> {
            for (int blk = from; blk < to; blk++) {
                body.add(blk * blockRows, Math.min(rows, (blk + 1) * blockRows), p, blk * width);
            }
        });
        Arrays.fill(sums, 0, width, 0);
        for (int blk = 0; blk < blocks; blk++) {
            for (int i = 0; i < width; i++) {
                sums[i] += p[blk * width + i];
            }
        }
        return sums;
    }

    @Override
    public List<Parameter> parameters() {
        return isBuilt() ? List.of(gamma, beta) : List.of();
    }

    @Override
    public List<Parameter> buffers() {
        return isBuilt() ? List.of(movingMean, movingVariance) : List.of();
    }

    public Parameter gamma() {
        requireBuilt();
        return gamma;
    }

    public Parameter beta() {
        requireBuilt();
        return beta;
    }

    public Parameter movingMean() {
        requireBuilt();
        return movingMean;
    }

    public Parameter movingVariance() {
        requireBuilt();
        return movingVariance;
    }

    @Override
    public Record config() {
        return config;
    }

    /** Its output buffer is free for the next layer: backward recomputes x-hat from its input, never reads its output. */
    @Override
    public boolean outputOverwritableByNextLayer() {
        return true;
    }
}
