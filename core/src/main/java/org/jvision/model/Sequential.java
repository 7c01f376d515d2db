package org.jvision.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.jvision.layers.BatchNormalization;
import org.jvision.layers.GradientBuffers;
import org.jvision.layers.Layer;
import org.jvision.layers.Parameter;
import org.jvision.layers.ReLU;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * A stack of layers, each feeding the next, as in Keras: {@code add} layers, {@link #build} once
 * with a seed (which checks every shape and initializes every parameter), then run
 * {@link #forward}/{@link #backward}. Training lives in {@code org.jvision.training.Trainer}.
 *
 * <p>Parameters are named {@code <layer name>.<parameter name>}, in layer order; these names are the
 * keys of the model file.
 */
public final class Sequential {
    private final Shape inputShape;
    private final List<Layer> layers = new ArrayList<>();
    private Shape outputShape;

    /** A model whose examples have {@code inputShape} (no batch axis), e.g. {@code [28, 28, 1]}. */
    public Sequential(Shape inputShape) {
        this.inputShape = inputShape;
    }

    public Sequential add(Layer layer) {
        if (outputShape != null) {
            throw new IllegalStateException("cannot add " + layer.describe() + ": the model is already built");
        }
        layers.add(layer);
        return this;
    }

    /**
     * Names unnamed layers ({@code conv2d_1}, {@code dense_2}, ...), checks that each layer accepts
     * the previous one's output, and initializes the parameters from {@code seed}.
     *
     * @throws IllegalArgumentException naming the layer and both shapes on a mismatch
     */
    public Sequential build(long seed) {
        if (layers.isEmpty()) {
            throw new IllegalStateException("the model has no layers");
        }
        assignNames();
        SplittableRandom random = new SplittableRandom(seed);
        Shape shape = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            try {
                shape = layer.build(shape, random.split());
            } catch (IllegalArgumentException e) {
                String from = i == 0 ? "the model input" : layers.get(i - 1).describe();
                throw new IllegalArgumentException("layer " + (i + 1) + " (" + layer.describe() + ") cannot take the output of "
                        + from + " (shape " + shape + "): " + e.getMessage(), e);
            }
        }
        // The first layer's input is data: nobody needs its gradient, and it is the caller's to keep.
        layers.get(0).setInputGradientNeeded(false);
        for (int i = 1; i < layers.size(); i++) {
            layers.get(i).setInputOverwritable(layers.get(i - 1).outputOverwritableByNextLayer());
        }
        fuseBatchNormReLU();
        // A chain: every layer's input gradient is dead once the layer before has read it.
        GradientBuffers gradientBuffers = new GradientBuffers();
        for (Layer layer : layers) {
            layer.setGradientBuffers(gradientBuffers);
        }
        outputShape = shape;
        return this;
    }

    /**
     * A ReLU right after batch norm runs inside batch norm's passes (its own then passes tensors
     * through): one pass over the activation less each way. vgg-small has four such pairs.
     */
    private void fuseBatchNormReLU() {
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Layer next = i + 1 < layers.size() ? layers.get(i + 1) : null;
            Layer previous = i > 0 ? layers.get(i - 1) : null;
            if (layer instanceof BatchNormalization norm) {
                norm.setOutputRectified(next instanceof ReLU);
            } else if (layer instanceof ReLU relu) {
                relu.setAppliedByPreviousLayer(previous instanceof BatchNormalization);
            }
        }
    }

    private void assignNames() {
        Map<String, Integer> counts = new HashMap<>();
        List<String> taken = new ArrayList<>();
        for (Layer layer : layers) {
            if (layer.name() != null) {
                if (taken.contains(layer.name())) {
                    throw new IllegalArgumentException("two layers are named '" + layer.name() + "'");
                }
                taken.add(layer.name());
            }
        }
        for (Layer layer : layers) {
            if (layer.name() == null) {
                String base = snakeCase(layer.type());
                String name;
                do {
                    name = base + "_" + counts.merge(base, 1, Integer::sum);
                } while (taken.contains(name));
                layer.setName(name);
                taken.add(name);
            }
        }
    }

    /** "Conv2D" -> "conv2d", "BatchNormalization" -> "batch_normalization", "MaxPool2D" -> "max_pool2d". */
    static String snakeCase(String type) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(type.charAt(i - 1))) {
                sb.append('_');
            }
            sb.append(c);
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    public boolean isBuilt() {
        return outputShape != null;
    }

    private void requireBuilt() {
        if (outputShape == null) {
            throw new IllegalStateException("the model must be built (build(seed)) before use");
        }
    }

    public Shape inputShape() {
        return inputShape;
    }

    public Shape outputShape() {
        requireBuilt();
        return outputShape;
    }

    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** Runs the whole model on a batch {@code [n, ...inputShape]}. */
    public Tensor forward(Tensor input, boolean training) {
        return forward(input, training, layers.size());
    }

    /** Runs the first {@code layerCount} layers (training stops before a final softmax fused into the loss). */
    public Tensor forward(Tensor input, boolean training, int layerCount) {
        requireBuilt();
        if (!input.shape().dropBatch().equals(inputShape)) {
            throw new IllegalArgumentException("model expects inputs of shape " + inputShape + " per example, got a batch of shape "
                    + input.shape());
        }
        Layer last = layerCount > 0 && layerCount < layers.size() ? layers.get(layerCount - 1) : null;
        if (last instanceof BatchNormalization norm && norm.isOutputRectified()) {
            throw new IllegalArgumentException("cannot stop after " + norm.describe()
                    + ": the ReLU after it is fused into it; stop after the ReLU or before the batch norm");
        }
        Tensor x = input;
        for (int i = 0; i < layerCount; i++) {
            x = layers.get(i).forward(x, training);
        }
        return x;
    }

    /** Back-propagates through the first {@code layerCount} layers, last to first, adding into parameter gradients. */
    public Tensor backward(Tensor outputGradient, int layerCount) {
        Tensor g = outputGradient;
        for (int i = layerCount - 1; i >= 0; i--) {
            g = layers.get(i).backward(g);
        }
        return g;
    }

    /** Trainable parameters with their full names, in layer order. */
    public Map<String, Parameter> namedParameters() {
        requireBuilt();
        Map<String, Parameter> named = new java.util.LinkedHashMap<>();
        for (Layer layer : layers) {
            for (Parameter p : layer.parameters()) {
                named.put(layer.name() + "." + p.name(), p);
            }
        }
        return named;
    }

    /** Trainable parameters and non-trainable buffers with their full names: what the model file stores. */
    public Map<String, Parameter> namedState() {
        requireBuilt();
        Map<String, Parameter> named = new java.util.LinkedHashMap<>();
        for (Layer layer : layers) {
            for (Parameter p : layer.parameters()) {
                named.put(layer.name() + "." + p.name(), p);
            }
            for (Parameter p : layer.buffers()) {
                named.put(layer.name() + "." + p.name(), p);
            }
        }
        return named;
    }

    public List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    public void zeroGradients() {
        for (Layer layer : layers) {
            for (Parameter p : layer.parameters()) {
                p.zeroGradient();
            }
        }
    }

    public long parameterCount() {
        long n = 0;
        for (Parameter p : namedParameters().values()) {
            n += p.value().size();
        }
        return n;
    }

    /** A Keras-style table: layer (type), output shape, parameter count, and the totals. */
    public String summary() {
        requireBuilt();
        return ModelSummary.of(this);
    }
}
