package org.jvision.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jvision.layers.Layer;
import org.jvision.layers.Parameter;
import org.jvision.layers.StochasticLayer;
import org.jvision.model.ModelFile;
import org.jvision.model.SafeTensors;
import org.jvision.model.SafeTensorsFile;
import org.jvision.model.Sequential;
import org.jvision.optimizers.Optimizer;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * Everything a fit needs to go on exactly where it stopped, in one safetensors file: the model's
 * weights and buffers ({@code model/<name>}), the optimizer's moments ({@code optimizer/<name>.<slot>})
 * and the callbacks' arrays ({@code callback/<key>/<name>}) as tensors; in {@code __metadata__}, as
 * JSON, the position in the run, the history so far, the optimizer's name, learning rate and step
 * counts, each callback's numbers, how many batches each dropout or noise layer has drawn, the
 * architecture (checked on resume), and the caller's own strings.
 *
 * <p>The shuffling order of an epoch depends only on the seed and the epoch number, and the random
 * layers' streams only on their seed and batch count, so this is the whole random state: a run
 * killed at any moment and resumed from its last checkpoint ends with the same weights as one never
 * interrupted (with the same thread count). The file is replaced atomically.
 */
public final class TrainingCheckpoint {
    public static final String FORMAT = "jvision-checkpoint-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "model/";
    private static final String OPTIMIZER = "optimizer/";
    private static final String CALLBACK = "callback/";

    private final String where;
    private final SafeTensorsFile file;
    private final FitPosition position;
    private final List<EpochLogs> history;
    private final String stopReason;

    private TrainingCheckpoint(String where, SafeTensorsFile file, FitPosition position, List<EpochLogs> history,
                               String stopReason) {
        this.where = where;
        this.file = file;
        this.position = position;
        this.history = history;
        this.stopReason = stopReason;
    }

    /** Writes the checkpoint of a fit standing at {@code position} (atomically). */
    static void write(Path path, Sequential model, Optimizer optimizer, List<Callback> callbacks, FitPosition position,
                      History history, Map<String, String> extra) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, Parameter> named = model.namedState();
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            tensors.put(MODEL + e.getKey(), e.getValue().value());
        }
        Optimizer.State state = optimizer.exportState(model.namedParameters());
        for (Map.Entry<String, float[]> e : state.slots().entrySet()) {
            tensors.put(OPTIMIZER + e.getKey(), vector(e.getValue()));
        }
        var callbackNumbers = JSON.createObjectNode();
        for (Callback c : callbacks) {
            if (c instanceof Checkpointable saved) {
                Checkpointable.SavedState s = saved.saveState();
                callbackNumbers.set(saved.stateKey(), JSON.valueToTree(s.numbers()));
                for (Map.Entry<String, float[]> a : s.arrays().entrySet()) {
                    tensors.put(CALLBACK + saved.stateKey() + "/" + a.getKey(), vector(a.getValue()));
                }
            }
        }
        Map<String, Long> random = new LinkedHashMap<>();
        for (Layer layer : model.layers()) {
            if (layer instanceof StochasticLayer s) {
                random.put(layer.name(), s.batchesDrawn());
            }
        }
        var optimizerNode = JSON.createObjectNode();
        optimizerNode.put("name", state.optimizer());
        optimizerNode.put("learning_rate", optimizer.learningRate());
        optimizerNode.set("steps", JSON.valueToTree(state.steps()));

        Map<String, String> metadata = new LinkedHashMap<>(extra);
        metadata.put("format", FORMAT);
        metadata.put("position", JSON.writeValueAsString(position));
        metadata.put("history", JSON.writeValueAsString(history.epochs()));
        if (history.stopReason() != null) {
            metadata.put("stopped_early", history.stopReason());
        }
        metadata.put("optimizer", JSON.writeValueAsString(optimizerNode));
        metadata.put("callbacks", JSON.writeValueAsString(callbackNumbers));
        metadata.put("random", JSON.writeValueAsString(random));
        metadata.put("architecture", ModelFile.architectureJson(model));
        SafeTensors.write(path, tensors, metadata);
    }

    private static Tensor vector(float[] values) {
        return new Tensor(Shape.of(values.length), values);
    }

    /**
     * Reads a checkpoint and checks its bookkeeping; the tensors are checked against the model
     * when they are restored into it.
     */
    public static TrainingCheckpoint read(Path path) throws IOException {
        String where = path.toString();
        SafeTensorsFile file = SafeTensors.read(path);
        Map<String, String> metadata = file.metadata();
        if (!FORMAT.equals(metadata.get("format"))) {
            throw new IOException(where + ": not a jvision training checkpoint (format " + metadata.get("format") + ", expected "
                    + FORMAT + ")");
        }
        try {
            FitPosition position = JSON.readValue(required(metadata, "position", where), FitPosition.class);
            List<EpochLogs> history = JSON.readValue(required(metadata, "history", where), new TypeReference<List<EpochLogs>>() {
            });
            return new TrainingCheckpoint(where, file, position, history, metadata.get("stopped_early"));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IOException(where + ": bad checkpoint metadata: " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> metadata, String key, String where) throws IOException {
        String value = metadata.get(key);
        if (value == null) {
            throw new IOException(where + ": the checkpoint has no '" + key + "' entry");
        }
        return value;
    }

    public FitPosition position() {
        return position;
    }

    /** The epochs completed before the checkpoint. */
    public List<EpochLogs> history() {
        return List.copyOf(history);
    }

    /** Why the run stopped early, when it did before this checkpoint; else null. */
    public String stopReason() {
        return stopReason;
    }

    /** The caller's strings and the checkpoint's own entries. */
    public Map<String, String> metadata() {
        return file.metadata();
    }

    /**
     * Puts the weights, buffers, random-layer counts and optimizer state back into a model built
     * with the same architecture and an optimizer of the same kind.
     *
     * @throws IllegalArgumentException naming the file and what does not match
     */
    public void restore(Sequential model, Optimizer optimizer) {
        String architecture = ModelFile.architectureJson(model);
        if (!architecture.equals(file.metadata().get("architecture"))) {
            throw new IllegalArgumentException(where + ": the checkpoint is of another architecture than the model to resume;"
                    + " checkpoint: " + file.metadata().get("architecture") + "; model: " + architecture);
        }
        for (Map.Entry<String, Parameter> e : model.namedState().entrySet()) {
            Tensor stored = file.tensors().get(MODEL + e.getKey());
            Tensor target = e.getValue().value();
            if (stored == null || !stored.shape().equals(target.shape())) {
                throw new IllegalArgumentException(where + ": " + (stored == null ? "no tensor for '" + e.getKey() + "'"
                        : "'" + e.getKey() + "' has shape " + stored.shape() + ", the model needs " + target.shape()));
            }
            System.arraycopy(stored.data(), 0, target.data(), 0, target.size());
        }
        try {
            Map<String, Long> random = JSON.readValue(file.metadata().getOrDefault("random", "{}"), new TypeReference<>() {
            });
            for (Layer layer : model.layers()) {
                if (layer instanceof StochasticLayer s) {
                    s.setBatchesDrawn(random.getOrDefault(layer.name(), 0L));
                }
            }
            JsonNode saved = JSON.readTree(file.metadata().getOrDefault("optimizer", "{}"));
            Map<String, Long> steps = JSON.convertValue(saved.path("steps"), new TypeReference<>() {
            });
            Map<String, float[]> slots = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : file.tensors().entrySet()) {
                if (e.getKey().startsWith(OPTIMIZER)) {
                    slots.put(e.getKey().substring(OPTIMIZER.length()), e.getValue().data());
                }
            }
            optimizer.importState(new Optimizer.State(saved.path("name").asText(), slots, steps == null ? Map.of() : steps),
                    model.namedParameters());
            optimizer.setLearningRate((float) saved.path("learning_rate").asDouble(optimizer.learningRate()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": bad checkpoint metadata: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /** Gives each {@link Checkpointable} callback its saved state (those the checkpoint has none for keep theirs). */
    public void restoreCallbacks(List<Callback> callbacks) {
        JsonNode numbers;
        try {
            numbers = JSON.readTree(file.metadata().getOrDefault("callbacks", "{}"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": bad checkpoint metadata: " + e.getOriginalMessage(), e);
        }
        for (Callback c : callbacks) {
            if (c instanceof Checkpointable saved && numbers.has(saved.stateKey())) {
                Map<String, Double> values = JSON.convertValue(numbers.get(saved.stateKey()), new TypeReference<>() {
                });
                Map<String, float[]> arrays = new LinkedHashMap<>();
                String prefix = CALLBACK + saved.stateKey() + "/";
                for (Map.Entry<String, Tensor> e : file.tensors().entrySet()) {
                    if (e.getKey().startsWith(prefix)) {
                        arrays.put(e.getKey().substring(prefix.length()), e.getValue().data());
                    }
                }
                saved.restoreState(new Checkpointable.SavedState(values, arrays));
            }
        }
    }

    /** The history the resumed fit continues. */
    History restoredHistory() {
        History h = new History();
        for (EpochLogs logs : new ArrayList<>(history)) {
            h.add(logs);
        }
        if (stopReason != null) {
            h.setStopReason(stopReason);
        }
        return h;
    }
}
