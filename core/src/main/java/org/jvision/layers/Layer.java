package org.jvision.layers;

import java.util.List;
import java.util.SplittableRandom;
import org.jvision.regularizers.WeightPenalty;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * A layer: forward and backward side by side.
 *
 * <p>Life cycle: {@link #build} once with the per-example input shape (no batch axis), which checks
 * the shape, creates and initializes the parameters and returns the output shape; then
 * {@link #forward} with a batch and an explicit {@code training} flag, and, in training,
 * {@link #backward} with the gradient of the loss with respect to the last forward's output. Forward
 * keeps exactly what backward needs; backward returns the gradient with respect to the input and
 * <em>adds</em> into the parameters' gradients.
 *
 * <p>Outputs and gradients live in buffers the layer reuses from batch to batch (in a model, the
 * input gradients of all its layers share two, {@link GradientBuffers}); a caller that wants to
 * keep one across calls copies it.
 */
public abstract class Layer {
    private String name;
    private Shape inputShape;
    private Shape outputShape;
    private boolean inputGradientNeeded = true;
    private boolean inputOverwritable;
    private GradientBuffers gradientBuffers;

    protected Layer(String name) {
        this.name = name;
    }

    /** The layer type as it appears in model files and summaries, e.g. "Conv2D". */
    public abstract String type();

    /** The user-given or model-assigned name, e.g. "conv2d_1". */
    public String name() {
        return name;
    }

    /** Called by the model to give unnamed layers a unique name. */
    public void setName(String name) {
        this.name = name;
    }

    /**
     * Checks the per-example input shape, creates the parameters (initialized from {@code random})
     * and returns the per-example output shape.
     *
     * @throws IllegalArgumentException naming this layer and the shapes when the input does not fit
     */
    public final Shape build(Shape inputShape, SplittableRandom random) {
        Shape out = outputShape(inputShape);
        this.inputShape = inputShape;
        this.outputShape = out;
        initialize(inputShape, random);
        return out;
    }

    /** Checks the input shape and computes the output shape; no side effects. */
    public abstract Shape outputShape(Shape inputShape);

    /** Creates the parameters; the default has none. */
    protected void initialize(Shape inputShape, SplittableRandom random) {
    }

    public abstract Tensor forward(Tensor input, boolean training);

    public abstract Tensor backward(Tensor outputGradient);

    /**
     * Whether {@link #backward} must compute the gradient with respect to the input. The model
     * switches it off for its first layer, whose input is data, not a layer's output; a layer may
     * then skip that work (for a convolution, a matrix product and a fold) and return null.
     */
    public void setInputGradientNeeded(boolean needed) {
        this.inputGradientNeeded = needed;
    }

    public boolean isInputGradientNeeded() {
        return inputGradientNeeded;
    }

    /**
     * Freezes ({@code false}) or thaws ({@code true}) every weight of the layer, as Keras's
     * {@code layer.trainable = False} does; buffers such as batch norm's moving statistics are
     * unaffected (they follow the training flag of forward).
     */
    public void setTrainable(boolean trainable) {
        for (Parameter p : parameters()) {
            p.setFrozen(!trainable);
        }
    }

    /** Whether any weight of the layer is trained (true for a layer without weights). */
    public boolean isTrainable() {
        List<Parameter> ps = parameters();
        return ps.isEmpty() || ps.stream().anyMatch(Parameter::trainable);
    }

    /** Scales the learning rate of every weight of the layer, e.g. 0.1 to fine-tune it gently. */
    public void setLearningRateMultiplier(float multiplier) {
        for (Parameter p : parameters()) {
            p.setLearningRateMultiplier(multiplier);
        }
    }

    /**
     * Puts an L1/L2 penalty on the layer's weights (kernel or weight matrix; never its bias or
     * batch-norm parameters), like Keras's {@code kernel_regularizer}; null removes it. Call after
     * the model is built, when the weights exist.
     */
    public void setWeightPenalty(WeightPenalty penalty) {
        for (Parameter p : parameters()) {
            if (p.regularizable()) {
                p.setPenalty(penalty);
            }
        }
    }

    /**
     * Whether the tensor {@link #forward} returns is this layer's own buffer and its backward never
     * reads it, so the next layer may overwrite it: an activation after a convolution, a dense layer
     * or batch norm then works in place and needs no buffers of its own. False unless a layer says so.
     */
    public boolean outputOverwritableByNextLayer() {
        return false;
    }

    /** Set by the model: whether this layer may overwrite the input forward receives (see above). */
    public void setInputOverwritable(boolean overwritable) {
        this.inputOverwritable = overwritable;
    }

    public boolean isInputOverwritable() {
        return inputOverwritable;
    }

    /**
     * Set by the model: the buffers its layers share for their input gradients (see
     * {@link GradientBuffers}); null for a layer on its own, which keeps a buffer of its own.
     */
    public void setGradientBuffers(GradientBuffers buffers) {
        this.gradientBuffers = buffers;
    }

    /**
     * The tensor backward writes the input gradient into, of {@code shape}: in a model, the shared
     * buffer that does not hold {@code outputGradient}; on its own, {@code own} reused or grown.
     * Either way it holds old values: backward writes every element.
     */
    protected Tensor inputGradientBuffer(Tensor own, Shape shape, Tensor outputGradient) {
        return gradientBuffers == null ? Tensor.reuse(own, shape) : gradientBuffers.take(shape, outputGradient);
    }

    /** Trainable parameters, in a fixed order. */
    public List<Parameter> parameters() {
        return List.of();
    }

    /** Non-trainable state saved with the model (e.g. moving statistics). */
    public List<Parameter> buffers() {
        return List.of();
    }

    /** The hyperparameters that recreate this layer (serialized to JSON in model files). */
    public abstract Record config();

    public boolean isBuilt() {
        return outputShape != null;
    }

    public Shape inputShape() {
        requireBuilt();
        return inputShape;
    }

    public Shape outputShape() {
        requireBuilt();
        return outputShape;
    }

    protected void requireBuilt() {
        if (outputShape == null) {
            throw new IllegalStateException(describe() + " is used before it was built");
        }
    }

    /** "layer type 'name'" for messages. */
    public String describe() {
        return type() + " '" + (name == null ? "?" : name) + "'";
    }

    /** Checks that a batch has the shape the layer was built for. */
    protected void checkInput(Tensor input) {
        requireBuilt();
        Shape s = input.shape();
        if (s.rank() != inputShape.rank() + 1 || !s.dropBatch().equals(inputShape)) {
            String perExample = inputShape.toString();
            throw new IllegalArgumentException(describe() + ": expects input of shape [batch"
                    + (inputShape.rank() == 0 ? "" : ", " + perExample.substring(1, perExample.length() - 1)) + "], got " + s);
        }
    }

    /**
     * Checks that backward follows a forward ({@code lastOutputShape} non-null) and that the output
     * gradient has the shape of the last forward's output.
     */
    protected void checkOutputGradient(Tensor outputGradient, Shape lastOutputShape) {
        if (lastOutputShape == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        if (!outputGradient.shape().equals(lastOutputShape)) {
            throw new IllegalArgumentException(describe() + ": output gradient has shape " + outputGradient.shape()
                    + ", the last forward produced " + lastOutputShape);
        }
    }

    protected IllegalArgumentException shapeError(String what, Shape received) {
        return new IllegalArgumentException(describe() + ": " + what + ", got input shape " + received);
    }
}
