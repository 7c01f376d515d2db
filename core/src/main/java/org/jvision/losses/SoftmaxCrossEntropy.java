package org.jvision.losses;

import org.jvision.tensor.Tensor;

/**
 * Softmax and categorical cross-entropy fused, on logits {@code z} (the last layer is linear).
 * Softmax runs over the last axis; {@code t} is one-hot or any distribution over the classes. Per row:
 *
 * <pre>
 *   p_k = softmax(z)_k
 *   loss = -sum_k t_k log p_k = sum_k t_k (lse(z) - z_k),   lse(z) = max z + log sum_j exp(z_j - max z)
 *   dloss/dz_k = p_k * sum_j t_j - t_k   (= p_k - t_k when t sums to 1)
 * </pre>
 *
 * The loss is the mean over the rows, which for {@code [batch, classes]} is the mean over the batch
 * (for a higher rank, the mean over every position, as Keras does), and the gradient is divided
 * by the row count. Fusing is what keeps it stable: the log-sum-exp with the maximum subtracted never
 * overflows nor takes the log of an underflowed probability, and the gradient {@code p - t} needs
 * no division by {@code p}. Forward computes the gradient as it goes; backward returns it.
 *
 * <p>{@link #probabilities} turns logits into class probabilities, for prediction.
 */
public final class SoftmaxCrossEntropy extends GradientLoss {
    public SoftmaxCrossEntropy() {
    }

    @Override
    public String name() {
        return "softmax_cross_entropy";
    }

    @Override
    public float forward(Tensor logits, Tensor targets) {
        checkShapes(logits, targets);
        if (logits.rank() < 1 || logits.size() == 0) {
            throw new IllegalArgumentException(name() + ": needs at least one row of class scores, got shape "
                    + logits.shape());
        }
        int n = logits.dim(-1);
        int rows = logits.size() / n;
        Tensor grad = gradientBuffer(logits);
        float[] z = logits.data();
        float[] t = targets.data();
        float[] g = grad.data();
        double invRows = 1.0 / rows;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            // g holds softmax(z) of the row; lse is the log of its normalizer
            double lse = softmaxRow(z, g, off, n);
            double targetMass = 0;
            for (int k = 0; k < n; k++) {
                double tk = t[off + k];
                if (tk != 0) { // skips 0 * (lse - z) = NaN for a logit of -inf on a class of weight 0
                    total += tk * (lse - z[off + k]);
                    targetMass += tk;
                }
            }
            for (int k = 0; k < n; k++) {
                g[off + k] = (float) ((g[off + k] * targetMass - t[off + k]) * invRows);
            }
        }
        return (float) (total * invRows);
    }

    /** Softmax over the last axis of {@code logits}, in a new tensor. */
    public static Tensor probabilities(Tensor logits) {
        return probabilities(logits, null);
    }

    /**
     * Softmax over the last axis of {@code logits}, written into {@code buffer}'s storage when it is
     * large enough (see {@link Tensor#reuse}), else into a new tensor.
     */
    public static Tensor probabilities(Tensor logits, Tensor buffer) {
        if (logits.rank() < 1) {
            throw new IllegalArgumentException("softmax needs a class axis, got shape " + logits.shape());
        }
        Tensor out = Tensor.reuse(buffer, logits.shape());
        int n = logits.dim(-1);
        int rows = n == 0 ? 0 : logits.size() / n;
        for (int r = 0; r < rows; r++) {
            softmaxRow(logits.data(), out.data(), r * n, n);
        }
        return out;
    }

    /**
     * Writes {@code softmax(z[off..off+n))} into {@code p[off..off+n)} and returns the log-sum-exp
     * {@code max + log sum exp(z - max)}.
     */
    private static double softmaxRow(float[] z, float[] p, int off, int n) {
        float max = z[off];
        for (int k = 1; k < n; k++) {
            max = Math.max(max, z[off + k]);
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            double e = Math.exp((double) z[off + k] - max);
            p[off + k] = (float) e;
            sum += e;
        }
        double inv = 1 / sum;
        for (int k = 0; k < n; k++) {
            p[off + k] = (float) (p[off + k] * inv);
        }
        return max + Math.log(sum);
    }
}
