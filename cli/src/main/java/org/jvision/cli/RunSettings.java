package org.jvision.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Everything {@code jvision train} was asked to do, saved in its checkpoints so that
 * {@code --resume} runs the same training without the user repeating a single option.
 *
 * @param checkpointEvery as given to {@code --checkpoint-every}, e.g. "1" (epochs) or "200b" (batches)
 */
record RunSettings(String model, int epochs, int batchSize, Float learningRate, String optimizer, long seed, int threads,
                   double valSplit, String data, Double dropout, boolean batchNorm, double noise, double l1, double l2,
                   String lrSchedule, String earlyStopping, String checkpointEvery) {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static RunSettings fromJson(String json, String where) {
        try {
            return JSON.readValue(json, RunSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": the checkpoint's run settings are unreadable: " + e.getOriginalMessage(), e);
        }
    }

    RunSettings withEpochs(int newEpochs) {
        return new RunSettings(model, newEpochs, batchSize, learningRate, optimizer, seed, threads, valSplit, data, dropout,
                batchNorm, noise, l1, l2, lrSchedule, earlyStopping, checkpointEvery);
    }

    RunSettings withThreads(int newThreads) {
        return new RunSettings(model, epochs, batchSize, learningRate, optimizer, seed, newThreads, valSplit, data, dropout,
                batchNorm, noise, l1, l2, lrSchedule, earlyStopping, checkpointEvery);
    }

    RunSettings withData(String newData) {
        return new RunSettings(model, epochs, batchSize, learningRate, optimizer, seed, threads, valSplit, newData, dropout,
                batchNorm, noise, l1, l2, lrSchedule, earlyStopping, checkpointEvery);
    }
}
