package org.jvision.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jvision.layers.Layer;
import org.jvision.layers.Parameter;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * A model in one file: the safetensors format, so Python's {@code safetensors} reads the weights
 * too. Tensors are named {@code <layer>.<parameter>} (trainable weights and buffers such as batch
 * norm's moving statistics); {@code __metadata__} holds, as JSON strings, the architecture
 * ({@code "architecture"}), the preprocessing ({@code "preprocessing"}) and the loss.
 *
 * <p>Loading builds the model from the architecture through {@link LayerRegistry} (never
 * executing anything from the file), then checks that the file holds exactly one tensor of the
 * right shape for every parameter and buffer.
 */
public final class ModelFile {
    public static final String FORMAT = "jvision-sequential-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A loaded model with what came with it. */
    public record Contents(Sequential model, Preprocessing preprocessing, String loss) {
    }

    private ModelFile() {
    }

    /** Writes the model atomically: a reader never sees a half-written file. */
    public static void save(Path file, Sequential model, Preprocessing preprocessing, String loss) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedState().entrySet()) {
            tensors.put(e.getKey(), e.getValue().value());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("architecture", architectureJson(model));
        metadata.put("preprocessing", JSON.writeValueAsString(preprocessing));
        metadata.put("loss", loss);
        SafeTensors.write(file, tensors, metadata);
    }

    /** {@code {"input_shape": [...], "layers": [{"type", "name", "config"}, ...]}}. */
    public static String architectureJson(Sequential model) {
        var root = JSON.createObjectNode();
        var shape = root.putArray("input_shape");
        for (int d : model.inputShape().dims()) {
            shape.add(d);
        }
        var layers = root.putArray("layers");
        for (Layer layer : model.layers()) {
            layers.add(LayerRegistry.toJson(layer));
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Contents load(Path file) throws IOException {
        SafeTensorsFile contents = SafeTensors.read(file);
        Map<String, String> metadata = contents.metadata();
        String where = file.getFileName().toString();
        if (!FORMAT.equals(metadata.get("format"))) {
            throw new IOException(where + ": not a jvision model file (its safetensors metadata has format "
                    + (metadata.get("format") == null ? "missing" : "'" + metadata.get("format") + "'")
                    + ", expected '" + FORMAT + "')");
        }
        Sequential model;
        Preprocessing preprocessing;
        try {
            model = architecture(required(metadata, "architecture", where));
            model.build(0);
            preprocessing = JSON.readValue(required(metadata, "preprocessing", where), Preprocessing.class);
        } catch (JsonProcessingException e) {
            throw new IOException(where + ": bad JSON in the model metadata: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
        copyWeights(where, model, contents.tensors());
        return new Contents(model, preprocessing, required(metadata, "loss", where));
    }

    private static String required(Map<String, String> metadata, String key, String where) throws IOException {
        String value = metadata.get(key);
        if (value == null) {
            throw new IOException(where + ": the model metadata has no '" + key + "' entry");
        }
        return value;
    }

    private static Sequential architecture(String json) throws JsonProcessingException {
        JsonNode root = JSON.readTree(json);
        JsonNode dims = root.path("input_shape");
        if (!dims.isArray() || dims.isEmpty()) {
            throw new IllegalArgumentException("the architecture has no input_shape");
        }
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!dims.get(i).canConvertToInt() || dims.get(i).asInt() <= 0) {
                throw new IllegalArgumentException("the architecture's input_shape " + dims + " is not a list of positive integers");
            }
            shape[i] = dims.get(i).asInt();
        }
        Sequential model = new Sequential(Shape.of(shape));
        JsonNode layers = root.path("layers");
        if (!layers.isArray() || layers.isEmpty()) {
            throw new IllegalArgumentException("the architecture has no layers");
        }
        for (JsonNode layer : layers) {
            model.add(LayerRegistry.fromJson(layer));
        }
        return model;
    }

    private static void copyWeights(String where, Sequential model, Map<String, Tensor> tensors) throws IOException {
        Set<String> used = new HashSet<>();
        for (Map.Entry<String, Parameter> e : model.namedState().entrySet()) {
            Tensor stored = tensors.get(e.getKey());
            Tensor target = e.getValue().value();
            if (stored == null) {
                throw new IOException(where + ": missing tensor '" + e.getKey() + "' of shape " + target.shape());
            }
            if (!stored.shape().equals(target.shape())) {
                throw new IOException(where + ": tensor '" + e.getKey() + "' has shape " + stored.shape()
                        + ", the architecture needs " + target.shape());
            }
            System.arraycopy(stored.data(), 0, target.data(), 0, target.size());
            used.add(e.getKey());
        }
        for (String name : tensors.keySet()) {
            if (!used.contains(name)) {
                throw new IOException(where + ": tensor '" + name + "' belongs to no layer of the architecture");
            }
        }
    }
}
