package org.jvision.layers;

import org.jvision.regularizers.WeightPenalty;
import org.jvision.tensor.Tensor;

/**
 * A named tensor a layer owns: a trainable weight with its gradient, or a non-trainable buffer
 * (such as batch norm's moving mean) whose gradient is null. The model prefixes the layer's
 * name, giving the names used in model files: {@code conv2d_1.kernel}, {@code bn_1.moving_mean}.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor gradient;
    private final boolean regularizable;
    private boolean frozen;
    private float learningRateMultiplier = 1f;
    private WeightPenalty penalty;
    /** Set by {@link #zeroGradient}, cleared by {@link #markGradientWritten}; see {@link #gradientIsZero}. */
    private boolean gradientZeroed;
    /** Set by {@link #zeroGradient} until its zeros are written ({@link #gradient}) or not needed ({@link #gradientToOverwrite}). */
    private boolean zerosPending;

    private Parameter(String name, Tensor value, Tensor gradient, boolean regularizable) {
        this.name = name;
        this.value = value;
        this.gradient = gradient;
        this.regularizable = regularizable;
    }

    /** A trainable weight (kernel or dense matrix), subject to L1/L2 penalties. */
    public static Parameter weight(String name, Tensor value) {
        return new Parameter(name, value, new Tensor(value.shape()), true);
    }

    /** A trainable parameter that penalties leave alone (biases, batch norm's gamma and beta). */
    public static Parameter bias(String name, Tensor value) {
        return new Parameter(name, value, new Tensor(value.shape()), false);
    }

    /** Non-trainable state saved with the model. */
    public static Parameter buffer(String name, Tensor value) {
        return new Parameter(name, value, null, false);
    }

    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    /**
     * The accumulated gradient; null for buffers. The first call after {@link #zeroGradient} writes
     * its zeros, so a layer asks for it on its own thread before splitting work between threads.
     */
    public Tensor gradient() {
        if (zerosPending) {
            gradient.fill(0f);
            zerosPending = false;
        }
        return gradient;
    }

    /**
     * The gradient, for a layer that writes every element of it over the zeros of
     * {@link #zeroGradient} (see {@link #gradientIsZero}): those zeros are then never written. A
     * dense layer's weight gradient is as large as its weights, and zeroing it on the training
     * thread, after the other thread wrote half of it, took a third of a step (mlp, 276 µs of
     * 1,424, in the host's slow cross-core state; twenty-second session of BENCHMARKS.md).
     *
     * @throws IllegalStateException when something was added to the gradient since the last zeroing
     */
    public Tensor gradientToOverwrite() {
        if (!gradientZeroed) {
            throw new IllegalStateException("'" + name + "': its gradient holds values added since the last zeroing;"
                    + " overwriting them would lose them");
        }
        zerosPending = false;
        return gradient;
    }

    /** Whether the optimizer updates it: a weight that is not {@link #setFrozen frozen}; never a buffer. */
    public boolean trainable() {
        return gradient != null && !frozen;
    }

    /** Whether it is a buffer (no gradient, never trained), as opposed to a weight, frozen or not. */
    public boolean isBuffer() {
        return gradient == null;
    }

    /**
     * Freezes the weight (the optimizer leaves it alone, as for a pretrained feature extractor in
     * transfer learning) or thaws it. Gradients still flow through the layer to those before it.
     */
    public void setFrozen(boolean frozen) {
        if (gradient == null && !frozen) {
            throw new IllegalStateException("'" + name + "' is a buffer and cannot be trained");
        }
        this.frozen = frozen;
    }

    public boolean frozen() {
        return frozen;
    }

    /** The factor on the optimizer's learning rate for this parameter (1 unless fine-tuning says otherwise). */
    public float learningRateMultiplier() {
        return learningRateMultiplier;
    }

    public void setLearningRateMultiplier(float multiplier) {
        if (!(multiplier >= 0) || !Float.isFinite(multiplier)) {
            throw new IllegalArgumentException("'" + name + "': the learning-rate multiplier must be a finite number >= 0, received: "
                    + multiplier);
        }
        this.learningRateMultiplier = multiplier;
    }

    /** Whether weight penalties (L1, L2) apply: true for kernels and weight matrices only. */
    public boolean regularizable() {
        return regularizable;
    }

    /** The L1/L2 penalty on this weight, or null for none. */
    public WeightPenalty penalty() {
        return penalty;
    }

    /**
     * Sets the weight's L1/L2 penalty (null for none).
     *
     * @throws IllegalArgumentException for a bias, a batch-norm scale or shift, or a buffer: SPEC.md §5
     *                                  regularizes weights only
     */
    public void setPenalty(WeightPenalty penalty) {
        if (penalty != null && !regularizable) {
            throw new IllegalArgumentException("'" + name + "' is not a weight: L1/L2 penalties apply to kernels and weight matrices only");
        }
        this.penalty = penalty;
    }

    /**
     * Sets the gradient to zero, as at the start of every training step. The zeros are written when
     * the gradient is next asked for ({@link #gradient}), on the thread that asks, and not at all
     * when a layer writes it whole ({@link #gradientToOverwrite}).
     */
    public void zeroGradient() {
        if (gradient != null) {
            zerosPending = true;
            gradientZeroed = true;
        }
    }

    /**
     * Whether the gradient still holds the zeros of {@link #zeroGradient}: nothing has been added
     * since. A layer whose whole contribution is one product may then write the product over the
     * gradient ({@link #gradientToOverwrite}) instead of adding it, which spares writing the zeros
     * and reading them back, and then calls {@link #markGradientWritten}.
     * So does any other code that adds to a gradient such a layer writes (the weight penalties);
     * the layers that only add to their gradients leave the flag alone, since nobody reads it for
     * theirs. A new parameter counts as written, so nothing is overwritten before a first
     * {@code zeroGradient}.
     */
    public boolean gradientIsZero() {
        return gradientZeroed;
    }

    /** Records that something was added to the gradient since {@link #zeroGradient}. */
    public void markGradientWritten() {
        gradientZeroed = false;
    }
}
