package org.jvision.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jvision.model.AtomicFiles;

/** The per-epoch logs of one fit, in order; written as {@code history.json}. */
public final class History {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final List<EpochLogs> epochs = new ArrayList<>();
    private String stopReason;

    /** An empty history; {@link Trainer#fit} fills one. */
    public History() {
    }

    /**
     * A history of the given epochs, for callbacks that write the history while training runs
     * (the fit loop fills its own).
     *
     * @param stopReason why training ended early, or null
     */
    public static History of(List<EpochLogs> epochs, String stopReason) {
        History history = new History();
        history.epochs.addAll(epochs);
        history.stopReason = stopReason;
        return history;
    }

    void add(EpochLogs logs) {
        epochs.add(logs);
    }

    void setStopReason(String reason) {
        this.stopReason = reason;
    }

    public List<EpochLogs> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** Why training ended before its last epoch (early stopping, say), or null. */
    public String stopReason() {
        return stopReason;
    }

    public EpochLogs last() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }

    /** {@code {"epochs": [{"epoch":1,"loss":…,"accuracy":…,"val_loss":…,"val_accuracy":…,…}, …]}}. */
    public String toJson() {
        try {
            var root = JSON.createObjectNode();
            root.set("epochs", JSON.valueToTree(epochs));
            if (stopReason != null) {
                root.put("stopped_early", stopReason);
            }
            return JSON.writeValueAsString(root) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@link #toJson()} atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson());
    }
}
