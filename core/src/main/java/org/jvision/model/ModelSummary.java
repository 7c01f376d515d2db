package org.jvision.model;

import org.jvision.layers.Layer;
import org.jvision.layers.Parameter;

/** Renders {@link Sequential#summary()}: one row per layer and the parameter totals. */
final class ModelSummary {
    private ModelSummary() {
    }

    static String of(Sequential model) {
        String format = "%-34s %-20s %12s%n";
        StringBuilder sb = new StringBuilder();
        String rule = "-".repeat(68) + System.lineSeparator();
        sb.append(String.format(format, "Layer (type)", "Output shape", "Params"));
        sb.append(rule.replace('-', '='));
        sb.append(String.format(format, "input", shape(model.inputShape().toString()), ""));
        long trainable = 0;
        long frozen = 0;
        for (Layer layer : model.layers()) {
            long count = 0;
            for (Parameter p : layer.parameters()) {
                count += p.value().size();
            }
            long buffers = 0;
            for (Parameter p : layer.buffers()) {
                buffers += p.value().size();
            }
            trainable += count;
            frozen += buffers;
            sb.append(String.format(format, layer.name() + " (" + layer.type() + ")",
                    shape(layer.outputShape().toString()), String.format("%,d", count + buffers)));
        }
        sb.append(rule.replace('-', '='));
        sb.append(String.format("Total params: %,d%n", trainable + frozen));
        sb.append(String.format("Trainable params: %,d%n", trainable));
        sb.append(String.format("Non-trainable params: %,d%n", frozen));
        return sb.toString();
    }

    /** "[28, 28, 6]" -> "(None, 28, 28, 6)" like Keras, the batch axis left open. */
    private static String shape(String dims) {
        return "(None, " + dims.substring(1, dims.length() - 1) + ")";
    }
}
