package org.jvision.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jvision.data.Dataset;
import org.jvision.data.Splits;
import org.jvision.data.Standardization;
import org.jvision.data.TrainTest;
import org.jvision.kernel.Engine;
import org.jvision.kernel.Parallel;
import org.jvision.layers.Layer;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.model.ModelFile;
import org.jvision.model.Preprocessing;
import org.jvision.model.Sequential;
import org.jvision.optimizers.Optimizer;
import org.jvision.optimizers.Optimizers;
import org.jvision.optimizers.schedules.Schedules;
import org.jvision.regularizers.WeightPenalty;
import org.jvision.training.Callback;
import org.jvision.training.CheckpointPolicy;
import org.jvision.training.Evaluation;
import org.jvision.training.FitOptions;
import org.jvision.training.History;
import org.jvision.training.Trainer;
import org.jvision.training.TrainingCheckpoint;
import org.jvision.training.callbacks.CsvLogger;
import org.jvision.training.callbacks.EarlyStopping;
import org.jvision.training.callbacks.LearningRateScheduler;
import org.jvision.training.callbacks.ReduceLROnPlateau;
import org.jvision.zoo.Zoo;

/**
 * One {@code jvision train} run, from its {@link RunSettings}: data, split and standardization,
 * model, optimizer, penalties, schedule and callbacks, the fit (fresh or resumed from a
 * checkpoint), the test evaluation, and the files in the output folder: {@code model.safetensors},
 * {@code history.json}, {@code history.csv} and {@code checkpoint.safetensors}.
 */
final class TrainingRun {
    static final String CHECKPOINT = "checkpoint.safetensors";
    static final String RUN_METADATA = "jvision_train_run";

    private final RunSettings settings;
    private final Path out;
    private final boolean progressBar;
    private final PrintStream stdout;

    TrainingRun(RunSettings settings, Path out, boolean progressBar, PrintStream stdout) {
        this.settings = settings;
        this.out = out;
        this.progressBar = progressBar;
        this.stdout = stdout;
    }

    /** Checks the options that need no data: the schedule, early stopping, optimizer, model and checkpoint specs. */
    static void validate(RunSettings s) {
        if (!Zoo.names().contains(s.model())) {
            throw new IllegalArgumentException("unknown --model '" + s.model() + "', expected one of " + String.join(", ", Zoo.names()));
        }
        Optimizers.create(s.optimizer(), s.learningRate());
        new Zoo.Options(s.dropout(), s.batchNorm(), s.noise());
        new WeightPenalty(s.l1(), s.l2());
        Callback schedule = scheduleCallback(s);
        if (schedule instanceof ReduceLROnPlateau plateau && plateau.monitor().needsValidation() && s.valSplit() == 0) {
            throw new IllegalArgumentException("--lr-schedule " + s.lrSchedule() + " watches " + plateau.monitor().metric()
                    + ", which needs validation data; --val-split is 0");
        }
        if (s.earlyStopping() != null) {
            EarlyStopping stopping = EarlyStopping.parse(s.earlyStopping());
            if (stopping.monitor().needsValidation() && s.valSplit() == 0) {
                throw new IllegalArgumentException("--early-stopping " + s.earlyStopping() + " watches " + stopping.monitor().metric()
                        + ", which needs validation data; --val-split is 0 (monitor loss or accuracy instead)");
            }
        }
        CheckpointInterval.parse(s.checkpointEvery());
    }

    /** Trains (or resumes, when {@code resume} is not null) and writes the run's files. */
    void run(TrainingCheckpoint resume) throws IOException {
        Parallel.setThreads(settings.threads());
        TrainTest loaded = DataSource.load(settings.data());
        stdout.println("Data: " + loaded.source());

        // Validation comes out of the training data; the test set waits for the very end.
        Dataset trainPart = loaded.train();
        Dataset validationPart = null;
        if (settings.valSplit() > 0) {
            Splits.TrainValidation split = Splits.trainValidation(loaded.train(), settings.valSplit(), settings.seed());
            trainPart = split.train();
            validationPart = split.validation();
        }
        // Statistics from the training part only, applied unchanged to validation and test.
        Standardization standardization = Standardization.fit(trainPart);
        Dataset train = standardization.apply(trainPart);
        Dataset validation = validationPart == null ? null : standardization.apply(validationPart);
        Dataset test = standardization.apply(loaded.test());

        Zoo.Options options = new Zoo.Options(settings.dropout(), settings.batchNorm(), settings.noise());
        Sequential network = Zoo.create(settings.model(), train.imageShape(), train.classCount(), options).build(settings.seed());
        WeightPenalty penalty = new WeightPenalty(settings.l1(), settings.l2());
        if (!penalty.isZero()) {
            for (Layer layer : network.layers()) {
                layer.setWeightPenalty(penalty);
            }
        }
        Optimizer optimizer = Optimizers.create(settings.optimizer(), settings.learningRate());
        stdout.print(network.summary());
        stdout.printf(Locale.ROOT, "%s %s on %,d examples (validation %,d) for %d epoch%s: batch %d, %s lr %s%s, %d threads, %s kernels%n",
                resume == null ? "Training" : "Resuming", settings.model(), train.size(), validation == null ? 0 : validation.size(),
                settings.epochs(), settings.epochs() == 1 ? "" : "s", settings.batchSize(), optimizer.name(), optimizer.learningRate(),
                describeRegularization(penalty), Parallel.threads(), Engine.kernels().name());
        if (resume != null) {
            stdout.printf(Locale.ROOT, "Resuming at epoch %d, batch %d (%d epoch%s done)%n", resume.position().epoch(),
                    resume.position().batch(), resume.history().size(), resume.history().size() == 1 ? "" : "s");
        }

        Files.createDirectories(out);
        Trainer trainer = new Trainer(network, optimizer, new SoftmaxCrossEntropy());
        FitOptions.Builder fit = FitOptions.builder().epochs(settings.epochs()).batchSize(settings.batchSize()).seed(settings.seed())
                .validation(validation);
        for (Callback c : callbacks(resume != null)) {
            fit.callback(c);
        }
        CheckpointInterval interval = CheckpointInterval.parse(settings.checkpointEvery());
        if (interval.enabled()) {
            fit.checkpoint(new CheckpointPolicy(out.resolve(CHECKPOINT), interval.epochs(), interval.batches(),
                    Map.of(RUN_METADATA, settings.toJson())));
        }
        if (resume != null) {
            fit.resumeFrom(resume);
        }
        History history = trainer.fit(train, fit.build());
        if (history.stopReason() != null) {
            stdout.println("Stopped: " + history.stopReason());
        }

        Evaluation result = trainer.evaluate(test, 256);
        stdout.printf(Locale.ROOT, "Test: loss %.4f - accuracy %.4f (%,d examples)%n", result.loss(), result.accuracy(), result.examples());
        Path modelFile = out.resolve("model.safetensors");
        ModelFile.save(modelFile, network, new Preprocessing(train.classNames(), standardization), "softmax_cross_entropy");
        history.write(out.resolve("history.json"));
        stdout.println("Saved " + modelFile + ", " + out.resolve("history.json") + " and " + out.resolve("history.csv"));
    }

    private List<Callback> callbacks(boolean resuming) {
        List<Callback> callbacks = new ArrayList<>();
        callbacks.add(new ProgressCallback(stdout, System.err, progressBar));
        Callback schedule = scheduleCallback(settings);
        if (schedule != null) {
            callbacks.add(schedule);
        }
        if (settings.earlyStopping() != null) {
            callbacks.add(EarlyStopping.parse(settings.earlyStopping()));
        }
        callbacks.add(new CsvLogger(out.resolve("history.csv"), resuming));
        return callbacks;
    }

    /** The schedule as a callback: reduce-on-plateau watches a metric; the others follow the epoch count. */
    private static Callback scheduleCallback(RunSettings s) {
        String spec = s.lrSchedule();
        if (spec == null || spec.isBlank()) {
            return null;
        }
        if (spec.strip().toLowerCase(Locale.ROOT).startsWith("plateau")) {
            return ReduceLROnPlateau.parse(spec);
        }
        return new LearningRateScheduler(Schedules.parse(spec, s.epochs()));
    }

    private static String describeRegularization(WeightPenalty p) {
        return (p.l1() > 0 ? ", L1 " + p.l1() : "") + (p.l2() > 0 ? ", L2 " + p.l2() : "");
    }
}
