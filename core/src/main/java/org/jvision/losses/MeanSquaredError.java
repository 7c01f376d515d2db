package org.jvision.losses;

import org.jvision.tensor.Tensor;

/**
 * Mean squared error, averaged over every element, as Keras's {@code MeanSquaredError} and
 * PyTorch's {@code MSELoss(reduction='mean')} do (averaged over the batch and the outputs):
 *
 * <pre>
 *   L = (1/count) sum_i (p_i - t_i)^2        dL/dp_i = 2 (p_i - t_i) / count
 * </pre>
 *
 * where {@code count} is the number of elements of the predictions. Forward computes the gradient
 * while it has the differences at hand; backward returns it.
 */
public final class MeanSquaredError extends GradientLoss {
    public MeanSquaredError() {
    }

    @Override
    public String name() {
        return "mean_squared_error";
    }

    @Override
    public float forward(Tensor predictions, Tensor targets) {
        checkShapes(predictions, targets);
        int count = predictions.size();
        if (count == 0) {
            throw new IllegalArgumentException(name() + ": empty predictions of shape " + predictions.shape());
        }
        Tensor grad = gradientBuffer(predictions);
        float[] p = predictions.data();
        float[] t = targets.data();
        float[] g = grad.data();
        double scale = 2.0 / count;
        double sum = 0;
        for (int i = 0; i < count; i++) {
            double d = (double) p[i] - t[i];
            sum += d * d;
            g[i] = (float) (scale * d);
        }
        return (float) (sum / count);
    }

}
