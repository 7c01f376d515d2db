package org.jvision.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jvision.data.Dataset;
import org.jvision.data.FashionMnist;
import org.jvision.data.Splits;
import org.jvision.data.TrainTest;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.model.Sequential;
import org.jvision.optimizers.Adam;
import org.jvision.optimizers.SGD;
import org.jvision.regularizers.WeightPenalty;
import org.jvision.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fit interrupted at any batch and resumed from its last checkpoint ends with the same weights,
 * optimizer moments, history and callback state as a fit never interrupted: the model here has
 * dropout, batch norm, input noise and an L1/L2 penalty, and trains with Adam, so every piece of
 * state a checkpoint must carry is exercised.
 */
class CheckpointResumeTest {
    private static final TrainTest SAMPLE = FashionMnist.embeddedSample();
    private static final Dataset TRAIN = Splits.sample(SAMPLE.train(), 20, 5); // 200 images
    private static final Dataset VALIDATION = Splits.sample(SAMPLE.test(), 10, 5);

    @TempDir
    Path dir;

    private static Trainer trainer() {
        Sequential m = Zoo.create("mlp", TRAIN.imageShape(), 10, new Zoo.Options(0.3, true, 0.1)).build(3);
        m.layers().forEach(l -> l.setWeightPenalty(new WeightPenalty(1e-5, 1e-4)));
        return new Trainer(m, new Adam(), new SoftmaxCrossEntropy());
    }

    /** A callback with state (a running count of batches and the sum of losses seen) that checkpoints it. */
    static final class Counting implements Callback, Checkpointable {
        double batches;
        double lossSum;

        @Override
        public void onBatchEnd(int epoch, int batch, double runningLoss, double runningAccuracy) {
            batches++;
            lossSum += runningLoss;
        }

        @Override
        public String stateKey() {
            return "counting";
        }

        @Override
        public SavedState saveState() {
            return new SavedState(Map.of("batches", batches, "loss_sum", lossSum), Map.of("copy", new float[] {(float) batches}));
        }

        @Override
        public void restoreState(SavedState state) {
            batches = state.number("batches");
            lossSum = state.number("loss_sum");
            assertThat(state.arrays().get("copy")).containsExactly((float) batches);
        }
    }

    /** Throws after a given number of steps: the in-process stand-in for a killed run. */
    static final class Crash implements Callback {
        private final int afterSteps;
        private int steps;

        Crash(int afterSteps) {
            this.afterSteps = afterSteps;
        }

        @Override
        public void onBatchEnd(int epoch, int batch, double runningLoss, double runningAccuracy) {
            if (++steps == afterSteps) {
                throw new IllegalStateException("crash");
            }
        }
    }

    private static FitOptions.Builder options() {
        return FitOptions.builder().epochs(3).batchSize(32).seed(11).validation(VALIDATION); // 7 batches an epoch
    }

    private static Map<String, float[]> weights(Sequential model) {
        Map<String, float[]> m = new HashMap<>();
        model.namedState().forEach((k, v) -> m.put(k, v.value().toArray()));
        return m;
    }

    private static List<List<Double>> logs(History h) {
        List<List<Double>> all = new ArrayList<>();
        for (EpochLogs e : h.epochs()) {
            all.add(List.of((double) e.epoch(), e.loss(), e.accuracy(), e.valLoss(), e.valAccuracy(), e.learningRate()));
        }
        return all;
    }

    @Test
    void resumingFromAnyCrashPointGivesTheUninterruptedResult() throws Exception {
        Trainer reference = trainer();
        Counting referenceCount = new Counting();
        History expected = reference.fit(TRAIN, options().callback(referenceCount).build());
        Map<String, float[]> expectedWeights = weights(reference.model());

        // Crash in the first epoch, mid-epoch later on, and right after an epoch's last step.
        for (int crashAfter : new int[] {4, 10, 14}) {
            Path file = dir.resolve("crash" + crashAfter + ".safetensors");
            Trainer first = trainer();
            FitOptions crashing = options().callback(new Counting()).callback(new Crash(crashAfter))
                    .checkpoint(CheckpointPolicy.everyBatches(file, 3)).build();
            assertThatThrownBy(() -> first.fit(TRAIN, crashing)).hasMessage("crash");
            TrainingCheckpoint checkpoint = TrainingCheckpoint.read(file);
            assertThat(checkpoint.position().epoch() * 7 + checkpoint.position().batch() - 7)
                    .as("the last checkpoint before step %d", crashAfter).isEqualTo(crashAfter / 3 * 3);

            Trainer resumed = trainer(); // fresh weights: the checkpoint must replace all of them
            Counting count = new Counting();
            History history = resumed.fit(TRAIN, options().callback(count).resumeFrom(checkpoint).build());
            assertThat(logs(history)).as("crash after %d", crashAfter).isEqualTo(logs(expected));
            Map<String, float[]> got = weights(resumed.model());
            for (String name : expectedWeights.keySet()) {
                assertThat(got.get(name)).as("%s after a crash at step %d", name, crashAfter).containsExactly(expectedWeights.get(name));
            }
            assertThat(count.batches).isEqualTo(referenceCount.batches);
            assertThat(count.lossSum).isEqualTo(referenceCount.lossSum);
        }
    }

    @Test
    void epochCheckpointsAndAFinishedRunResumeToNothingMore() throws Exception {
        Path file = dir.resolve("epochs.safetensors");
        Trainer t = trainer();
        History full = t.fit(TRAIN, options().checkpoint(CheckpointPolicy.everyEpochs(file, 2)).build());
        TrainingCheckpoint last = TrainingCheckpoint.read(file);
        assertThat(last.position()).isEqualTo(FitPosition.after(3)); // the run's end is always saved
        assertThat(last.history()).hasSize(3);
        Trainer again = trainer();
        History resumed = again.fit(TRAIN, options().resumeFrom(last).build());
        assertThat(logs(resumed)).isEqualTo(logs(full));
        assertThat(weights(again.model()).get("dense_1.kernel")).containsExactly(weights(t.model()).get("dense_1.kernel"));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("epochs.safetensors"); // no temp file left
        }
    }

    @Test
    void aCheckpointOfAnotherModelOrOptimizerIsRefusedWithTheReason() throws Exception {
        Path file = dir.resolve("c.safetensors");
        trainer().fit(TRAIN, options().epochs(1).checkpoint(CheckpointPolicy.everyEpochs(file, 1)).build());
        TrainingCheckpoint checkpoint = TrainingCheckpoint.read(file);
        Sequential lenet = Zoo.lenet5(TRAIN.imageShape(), 10).build(3);
        Trainer other = new Trainer(lenet, new Adam(), new SoftmaxCrossEntropy());
        assertThatThrownBy(() -> other.fit(TRAIN, options().resumeFrom(checkpoint).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c.safetensors")
                .hasMessageContaining("another architecture");
        Sequential same = Zoo.create("mlp", TRAIN.imageShape(), 10, new Zoo.Options(0.3, true, 0.1)).build(3);
        Trainer sgd = new Trainer(same, new SGD(0.1f), new SoftmaxCrossEntropy());
        assertThatThrownBy(() -> sgd.fit(TRAIN, options().resumeFrom(checkpoint).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adam").hasMessageContaining("sgd");
        Files.writeString(dir.resolve("junk.safetensors"), "not a checkpoint");
        assertThatThrownBy(() -> TrainingCheckpoint.read(dir.resolve("junk.safetensors"))).hasMessageContaining("junk.safetensors");
    }

    @Test
    void policyRejectsAnEmptyInterval() {
        assertThatThrownBy(() -> new CheckpointPolicy(Path.of("x"), 0, 0, Map.of()))
                .hasMessageContaining("positive interval");
        assertThatThrownBy(() -> new CheckpointPolicy(Path.of("x"), -1, 5, Map.of())).hasMessageContaining("every -1 epochs");
    }
}
