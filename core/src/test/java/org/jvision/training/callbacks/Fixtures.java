package org.jvision.training.callbacks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jvision.data.Dataset;
import org.jvision.data.FashionMnist;
import org.jvision.data.Splits;
import org.jvision.data.TrainTest;
import org.jvision.layers.Dense;
import org.jvision.layers.Flatten;
import org.jvision.layers.ReLU;
import org.jvision.layers.Softmax;
import org.jvision.model.Sequential;
import org.jvision.optimizers.Optimizer;
import org.jvision.optimizers.SGD;
import org.jvision.tensor.Shape;
import org.jvision.training.Callback;
import org.jvision.training.Checkpointable;
import org.jvision.training.EpochLogs;
import org.jvision.training.TrainingControl;

/** What the callback tests share: a tiny model, synthetic epoch logs, and a stand-in for the fit loop. */
final class Fixtures {
    private Fixtures() {
    }

    /** Loaded on first use: only the tests that really train need it. */
    static final class Data {
        static final TrainTest SAMPLE = FashionMnist.embeddedSample();
        /** 300 training images (30 per class): enough to learn, few enough to overfit within a few epochs. */
        static final Dataset TRAIN = Splits.sample(SAMPLE.train(), 30, 7);
        /** 300 validation images. */
        static final Dataset VALIDATION = Splits.sample(SAMPLE.test(), 30, 7);

        private Data() {
        }
    }

    /** flatten → dense 16 → relu → dense 10 → softmax on 28x28x1 images: small and quick. */
    static Sequential tinyModel(long seed) {
        return new Sequential(Shape.of(28, 28, 1)).add(new Flatten()).add(new Dense(16)).add(new ReLU()).add(new Dense(10))
                .add(new Softmax()).build(seed);
    }

    /** An epoch's logs with validation values. */
    static EpochLogs logs(int epoch, double loss, double accuracy, double valLoss, double valAccuracy) {
        return new EpochLogs(epoch, loss, accuracy, valLoss, valAccuracy, 0.01, 1.0);
    }

    /** An epoch's logs whose val_loss is {@code valLoss} (and the rest filler). */
    static EpochLogs valLoss(int epoch, double valLoss) {
        return logs(epoch, 1.0, 0.5, valLoss, 0.5);
    }

    /** An epoch's logs of a fit without validation data. */
    static EpochLogs withoutValidation(int epoch, double loss) {
        return new EpochLogs(epoch, loss, 0.5, null, null, 0.01, 1.0);
    }

    /** A copy of every parameter and buffer, by name. */
    static Map<String, float[]> weights(Sequential model) {
        Map<String, float[]> copy = new TreeMap<>();
        model.namedState().forEach((name, p) -> copy.put(name, p.value().toArray()));
        return copy;
    }

    /** Sets every weight to {@code value}: a marker that says which epoch the weights are from. */
    static void mark(Sequential model, float value) {
        model.namedState().values().forEach(p -> p.value().fill(value));
    }

    /** A checkpoint's trip: the state as a separate copy, as a file would give it back. */
    static Checkpointable.SavedState copyOf(Checkpointable.SavedState state) {
        Map<String, float[]> arrays = new TreeMap<>();
        state.arrays().forEach((name, values) -> arrays.put(name, values.clone()));
        return new Checkpointable.SavedState(state.numbers(), arrays);
    }

    /** Plays the fit loop's part: hands out the model and optimizer and records stop requests. */
    static final class Control implements TrainingControl {
        final Sequential model;
        final Optimizer optimizer;
        final List<String> stops = new ArrayList<>();

        Control(Sequential model, Optimizer optimizer) {
            this.model = model;
            this.optimizer = optimizer;
        }

        Control(Optimizer optimizer) {
            this(null, optimizer);
        }

        Control() {
            this(tinyModel(1), new SGD(0.1f));
        }

        @Override
        public void requestStop(String reason) {
            stops.add(reason);
        }

        @Override
        public Sequential model() {
            return model;
        }

        @Override
        public Optimizer optimizer() {
            return optimizer;
        }

        /** Begins training for {@code callback}: 10 epochs of 4 batches. */
        Control begin(Callback callback) {
            callback.onTrainBegin(this, 10, 4);
            return this;
        }
    }
}
