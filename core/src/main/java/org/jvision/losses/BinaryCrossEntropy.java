package org.jvision.losses;

import org.jvision.tensor.Tensor;

/**
 * Sigmoid and binary cross-entropy fused, on logits {@code z}, with targets {@code t} in
 * {@code [0, 1]} (one independent yes/no per output), averaged over every element:
 *
 * <pre>
 *   loss_i = -[t log sigma(z) + (1 - t) log(1 - sigma(z))]
 *          = max(z, 0) - z t + log(1 + exp(-|z|))          (the stable form)
 *   dL/dz_i = (sigma(z_i) - t_i) / count
 * </pre>
 *
 * The stable form never exponentiates a positive number, so logits of any size give a finite
 * loss (TensorFlow's {@code sigmoid_cross_entropy_with_logits}, PyTorch's
 * {@code BCEWithLogitsLoss}). Forward computes the gradient as it goes; backward returns it.
 *
 * <p>{@link #probabilities} turns logits into probabilities, for prediction.
 */
public final class BinaryCrossEntropy extends GradientLoss {
    public BinaryCrossEntropy() {
    }

    @Override
    public String name() {
        return "binary_cross_entropy";
    }

    @Override
    public float forward(Tensor logits, Tensor targets) {
        checkShapes(logits, targets);
        int count = logits.size();
        if (count == 0) {
            throw new IllegalArgumentException(name() + ": empty predictions of shape " + logits.shape());
        }
        Tensor grad = gradientBuffer(logits);
        float[] z = logits.data();
        float[] t = targets.data();
        float[] g = grad.data();
        double invCount = 1.0 / count;
        double total = 0;
        for (int i = 0; i < count; i++) {
            double zi = z[i];
            double e = Math.exp(-Math.abs(zi));
            total += Math.max(zi, 0) - zi * t[i] + Math.log1p(e);
            double sigmoid = zi >= 0 ? 1 / (1 + e) : e / (1 + e);
            g[i] = (float) ((sigmoid - t[i]) * invCount);
        }
        return (float) (total * invCount);
    }

    /** The sigmoid of every logit, in a new tensor. */
    public static Tensor probabilities(Tensor logits) {
        return probabilities(logits, null);
    }

    /** The sigmoid of every logit, written into {@code buffer}'s storage when it is large enough. */
    public static Tensor probabilities(Tensor logits, Tensor buffer) {
        Tensor out = Tensor.reuse(buffer, logits.shape());
        float[] z = logits.data();
        float[] p = out.data();
        for (int i = 0, n = logits.size(); i < n; i++) {
            p[i] = (float) (1 / (1 + Math.exp(-(double) z[i])));
        }
        return out;
    }
}
