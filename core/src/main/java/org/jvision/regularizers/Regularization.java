package org.jvision.regularizers;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jvision.layers.Parameter;

/**
 * Applies the weight penalties of a model's parameters around each optimizer step.
 *
 * <p>{@link #addPenalties} runs after backward: it adds each penalty's gradient and returns the
 * penalties' sum for the reported loss. {@link #beforeStep} and {@link #afterStep} wrap the
 * optimizer's step for parameters with an L1 part: a weight whose step crossed zero is set to zero
 * ("clipping at zero", Tsuruoka, Tsujii &amp; Ananiadou 2009; the proximal step of L1 does the
 * same for plain SGD), and a weight at zero whose penalized gradient is zero stays there even when
 * the optimizer's momentum would move it. That is what makes L1 give exact zeros, as a sparse
 * model needs; without it the weights only hover around zero.
 */
public final class Regularization {
    private final Map<Parameter, float[]> before = new IdentityHashMap<>();

    /** Adds the penalties' gradients into the trainable parameters' gradients; returns the penalty loss. */
    public double addPenalties(List<Parameter> parameters) {
        double penalty = 0;
        for (Parameter p : parameters) {
            WeightPenalty w = p.penalty();
            if (w == null || w.isZero() || !p.trainable()) {
                continue;
            }
            int n = p.value().size();
            penalty += w.loss(p.value().data(), n);
            w.addGradient(p.value().data(), p.gradient().data(), n);
            p.markGradientWritten();
        }
        return penalty;
    }

    /** The penalty loss alone, without touching gradients (for reporting on evaluation). */
    public static double penaltyLoss(List<Parameter> parameters) {
        double penalty = 0;
        for (Parameter p : parameters) {
            WeightPenalty w = p.penalty();
            if (w != null && !w.isZero()) {
                penalty += w.loss(p.value().data(), p.value().size());
            }
        }
        return penalty;
    }

    /** Remembers the weights that have an L1 penalty, before the optimizer moves them. */
    public void beforeStep(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            if (hasL1(p)) {
                float[] copy = before.computeIfAbsent(p, k -> new float[k.value().size()]);
                System.arraycopy(p.value().data(), 0, copy, 0, copy.length);
            }
        }
    }

    /** Clips to zero the L1-penalized weights that crossed it, or that sat at zero with no pull away. */
    public void afterStep(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            if (hasL1(p)) {
                clipAtZero(before.get(p), p.value().data(), p.gradient().data(), p.value().size());
            }
        }
    }

    /** The clipping rule of the class comment, element by element. */
    static void clipAtZero(float[] before, float[] after, float[] penalizedGradient, int n) {
        for (int i = 0; i < n; i++) {
            float b = before[i];
            boolean crossed = (b > 0 && after[i] < 0) || (b < 0 && after[i] > 0);
            boolean held = b == 0 && penalizedGradient[i] == 0;
            if (crossed || held) {
                after[i] = 0;
            }
        }
    }

    private static boolean hasL1(Parameter p) {
        return p.trainable() && p.penalty() != null && p.penalty().l1() > 0;
    }
}
