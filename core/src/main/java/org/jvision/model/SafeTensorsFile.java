package org.jvision.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
import org.jvision.tensor.Tensor;

/**
 * The content of a safetensors file as {@link SafeTensors#read} returns it.
 *
 * @param tensors the tensors by name, in the order of their data in the file (unmodifiable map;
 *     the tensors are fresh copies the caller owns)
 * @param metadata the {@code __metadata__} string map, in header order; empty if the file has none
 *     (unmodifiable)
 */
public record SafeTensorsFile(SequencedMap<String, Tensor> tensors, Map<String, String> metadata) {
    public SafeTensorsFile {
        tensors = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(Objects.requireNonNull(tensors, "tensors")));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata")));
    }

    /** The tensor called {@code name}, or an exception naming the ones the file has. */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor '" + name + "' in the file; it has " + tensors.keySet());
        }
        return t;
    }
}
