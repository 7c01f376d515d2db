package org.jvision.training;

import java.util.List;
import org.jvision.kernel.Engine;
import org.jvision.layers.Parameter;

/** Whether gradients are finite: the guard that keeps an overflowed step off the weights. */
final class FiniteCheck {
    private FiniteCheck() {
    }

    static boolean gradientsFinite(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            if (p.trainable() && !Engine.kernels().allFinite(p.gradient().data(), 0, p.gradient().size())) {
                return false;
            }
        }
        return true;
    }
}
