package org.jvision.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jvision.layers.AveragePool2D;
import org.jvision.layers.BatchNormalization;
import org.jvision.layers.Conv2D;
import org.jvision.layers.Dense;
import org.jvision.layers.Dropout;
import org.jvision.layers.Flatten;
import org.jvision.layers.GaussianNoise;
import org.jvision.layers.GlobalAveragePool2D;
import org.jvision.layers.Layer;
import org.jvision.layers.LeakyReLU;
import org.jvision.layers.MaxPool2D;
import org.jvision.layers.ReLU;
import org.jvision.layers.Sigmoid;
import org.jvision.layers.Softmax;
import org.jvision.layers.Step;
import org.jvision.layers.Tanh;

/**
 * The layer types a model file may name, and how to recreate each from its JSON config. Only
 * these classes are ever instantiated: a model file cannot make jvision load arbitrary code.
 *
 * <p>Every layer class has a {@code (String name, Config config)} constructor whose {@code Config}
 * is a record (its own nested one, or a shared one such as {@code Pooling2D.Config}); the record
 * is what {@link Layer#config()} returns and what JSON holds.
 */
public final class LayerRegistry {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Class<? extends Layer>> TYPES = new LinkedHashMap<>();

    static {
        for (Class<? extends Layer> type : List.of(Dense.class, Conv2D.class, MaxPool2D.class, AveragePool2D.class,
                GlobalAveragePool2D.class, Flatten.class, ReLU.class, LeakyReLU.class, Sigmoid.class, Tanh.class,
                Step.class, Softmax.class, Dropout.class, GaussianNoise.class, BatchNormalization.class)) {
            TYPES.put(type.getSimpleName(), type);
        }
    }

    private LayerRegistry() {
    }

    public static List<String> types() {
        return List.copyOf(TYPES.keySet());
    }

    /** The JSON form of a layer: {@code {"type": …, "name": …, "config": {…}}}. */
    public static JsonNode toJson(Layer layer) {
        var node = JSON.createObjectNode();
        node.put("type", layer.type());
        node.put("name", layer.name());
        node.set("config", JSON.valueToTree(layer.config()));
        return node;
    }

    /** Recreates a layer from its JSON form; the message names the layer on any problem. */
    public static Layer fromJson(JsonNode node) {
        String type = node.path("type").asText("");
        String name = node.path("name").isTextual() ? node.get("name").asText() : null;
        Class<? extends Layer> layerClass = TYPES.get(type);
        if (layerClass == null) {
            throw new IllegalArgumentException("unknown layer type '" + type + "'" + (name == null ? "" : " for layer '" + name + "'")
                    + "; known types: " + String.join(", ", TYPES.keySet()));
        }
        try {
            Constructor<? extends Layer> constructor = configConstructor(layerClass);
            Class<?> configClass = constructor.getParameterTypes()[1];
            Object config = JSON.treeToValue(node.path("config").isMissingNode() ? JSON.createObjectNode() : node.get("config"),
                    configClass);
            return constructor.newInstance(name, config);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IllegalArgumentException("layer '" + name + "' (" + type + "): " + cause.getMessage(), cause);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("layer '" + name + "' (" + type + "): bad config: " + e.getOriginalMessage(), e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " cannot be created from its config", e);
        }
    }

    /** The layer's {@code (String name, SomeRecord config)} constructor. */
    @SuppressWarnings("unchecked")
    private static Constructor<? extends Layer> configConstructor(Class<? extends Layer> layerClass) {
        for (Constructor<?> c : layerClass.getConstructors()) {
            Class<?>[] p = c.getParameterTypes();
            if (p.length == 2 && p[0] == String.class && Record.class.isAssignableFrom(p[1])) {
                return (Constructor<? extends Layer>) c;
            }
        }
        throw new IllegalStateException(layerClass.getSimpleName()
                + " does not follow the layer convention: a (String name, Config config) constructor taking a record");
    }
}
