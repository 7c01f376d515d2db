package org.jvision.regularizers;

/**
 * L1 and L2 penalties on a layer's weights (SPEC.md §5), never on biases or batch-norm's gamma and
 * beta:
 * <pre>
 *   L' = L + alpha * sum(|w|) + (lambda / 2) * sum(w^2)
 *   dL'/dw = dL/dw + alpha * sign(w) + lambda * w
 * </pre>
 * The L2 part shrinks every weight in proportion to its size (with plain SGD it is weight decay,
 * {@code w <- (1 - lr*lambda) w - lr*dw}); the L1 part pulls every weight towards zero by the same
 * amount and, with the clipping rule of {@link Regularization}, leaves many exactly at zero.
 *
 * <p>PyTorch's {@code weight_decay} equals {@code l2} here; Keras's {@code L2(l2)} penalizes
 * {@code l2 * sum(w^2)} without the half, so its factor is half of this one.
 *
 * @param l1 alpha, the L1 factor, {@code >= 0}
 * @param l2 lambda, the L2 factor, {@code >= 0}
 */
public record WeightPenalty(double l1, double l2) {
    public WeightPenalty {
        if (!(l1 >= 0) || !Double.isFinite(l1)) {
            throw new IllegalArgumentException("the L1 factor must be a finite number >= 0, received: " + l1);
        }
        if (!(l2 >= 0) || !Double.isFinite(l2)) {
            throw new IllegalArgumentException("the L2 factor must be a finite number >= 0, received: " + l2);
        }
    }

    public static WeightPenalty l1(double alpha) {
        return new WeightPenalty(alpha, 0);
    }

    public static WeightPenalty l2(double lambda) {
        return new WeightPenalty(0, lambda);
    }

    public boolean isZero() {
        return l1 == 0 && l2 == 0;
    }

    /** {@code alpha * sum(|w|) + (lambda/2) * sum(w^2)}, summed in double. */
    public double loss(float[] w, int n) {
        double absolute = 0;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            absolute += Math.abs(w[i]);
            squares += (double) w[i] * w[i];
        }
        return l1 * absolute + l2 / 2 * squares;
    }

    /**
     * Adds the penalty's gradient into {@code g}. At {@code w = 0}, where |w| has no derivative, the
     * L1 part takes the subgradient in {@code [-alpha, alpha]} closest to cancelling the data
     * gradient: the weight stays at zero (gradient 0) unless the data pulls harder than alpha.
     */
    public void addGradient(float[] w, float[] g, int n) {
        float alpha = (float) l1;
        float lambda = (float) l2;
        for (int i = 0; i < n; i++) {
            float wi = w[i];
            float gi = g[i] + lambda * wi;
            if (wi > 0) {
                gi += alpha;
            } else if (wi < 0) {
                gi -= alpha;
            } else if (Math.abs(gi) <= alpha) {
                gi = 0;
            } else {
                gi -= Math.copySign(alpha, gi);
            }
            g[i] = gi;
        }
    }
}
