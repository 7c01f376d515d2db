package org.jvision.optimizers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The optimizers by name, as the CLI and checkpoints name them, and their JSON form
 * {@code {"name": "adam", "config": {"learningRate": 0.001, ...}}} so a checkpoint recreates the
 * exact optimizer. Only the classes listed here are ever created from JSON.
 *
 * <p>"momentum" and "nesterov" are {@link SGD} with momentum 0.9 (plain and Nesterov); an optimizer
 * made from them calls itself "sgd", its momentum being in its config.
 */
public final class Optimizers {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One optimizer the factory makes: its config record, its default config and its constructor. */
    private record Kind<C extends Record>(Class<C> configClass, C defaults, Function<C, Optimizer> constructor) {
        Optimizer create(Record config) {
            return constructor.apply(configClass.cast(config));
        }
    }

    private static final Map<String, Kind<?>> KINDS;

    static {
        Map<String, Kind<?>> kinds = new LinkedHashMap<>();
        kinds.put("momentum", new Kind<>(SGD.Config.class, SGD.Config.defaults().withMomentum(0.9f), SGD::new));
        kinds.put("nesterov", new Kind<>(SGD.Config.class, SGD.Config.defaults().withMomentum(0.9f).withNesterov(true), SGD::new));
        kinds.put("adagrad", new Kind<>(Adagrad.Config.class, Adagrad.Config.defaults(), Adagrad::new));
        kinds.put("rmsprop", new Kind<>(RMSprop.Config.class, RMSprop.Config.defaults(), RMSprop::new));
        kinds.put("adam", new Kind<>(Adam.Config.class, Adam.Config.defaults(), Adam::new));
        kinds.put("adamax", new Kind<>(Adamax.Config.class, Adamax.Config.defaults(), Adamax::new));
        kinds.put("adamw", new Kind<>(AdamW.Config.class, AdamW.Config.defaults(), AdamW::new));
        kinds.put("sgd", new Kind<>(SGD.Config.class, SGD.Config.defaults(), SGD::new));
        KINDS = Collections.unmodifiableMap(kinds);
    }

    private Optimizers() {
    }

    /** The names {@link #create} accepts, in the order the course presents them. */
    public static List<String> names() {
        return List.copyOf(KINDS.keySet());
    }

    /**
     * The named optimizer with its default hyperparameters and the given learning rate.
     *
     * @param name         one of {@link #names()}, in any case
     * @param learningRate the learning rate, or null for the optimizer's default
     * @throws IllegalArgumentException for an unknown name (the message lists the valid ones) or a bad learning rate
     */
    public static Optimizer create(String name, Float learningRate) {
        Kind<?> kind = kind(name);
        Optimizer optimizer = kind.create(kind.defaults());
        if (learningRate != null) {
            optimizer.setLearningRate(learningRate);
        }
        return optimizer;
    }

    /** {@code {"name": …, "config": {…}}}: the optimizer's name and hyperparameters, the learning rate the current one. */
    public static String toJson(Optimizer optimizer) {
        Kind<?> kind = KINDS.get(optimizer.name());
        Record config = optimizer.config();
        if (kind == null || !kind.configClass().isInstance(config)) {
            throw new IllegalArgumentException("optimizer '" + optimizer.name() + "' (" + optimizer.getClass().getName()
                    + ") is not one Optimizers can recreate; known: " + String.join(", ", KINDS.keySet()));
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("name", optimizer.name());
        root.set("config", JSON.valueToTree(config));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Recreates an optimizer from {@link #toJson}'s form. A hyperparameter the config leaves out
     * takes the named optimizer's default; one it does not know is an error.
     *
     * @throws IllegalArgumentException for bad JSON, an unknown name, an unknown or ill-typed
     *                                  field, or a hyperparameter out of range
     */
    public static Optimizer fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("optimizer JSON: not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("name").isTextual()) {
            throw new IllegalArgumentException("optimizer JSON: expected {\"name\": \"adam\", \"config\": {...}}, received: "
                    + (json.length() > 200 ? json.substring(0, 200) + "..." : json));
        }
        String name = root.get("name").asText();
        Kind<?> kind = kind(name);
        JsonNode given = root.path("config");
        if (!given.isMissingNode() && !given.isObject()) {
            throw new IllegalArgumentException("optimizer JSON: the config of " + name + " must be an object, received: " + given);
        }
        ObjectNode config = JSON.valueToTree(kind.defaults());
        if (given.isObject()) {
            config.setAll((ObjectNode) given);
        }
        try {
            return kind.create(JSON.treeToValue(config, kind.configClass()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("optimizer JSON: bad config for " + name + ": " + e.getOriginalMessage(), e);
        }
    }

    private static Kind<?> kind(String name) {
        Kind<?> kind = name == null ? null : KINDS.get(name.toLowerCase(Locale.ROOT));
        if (kind == null) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; expected one of: " + String.join(", ", KINDS.keySet()));
        }
        return kind;
    }
}
