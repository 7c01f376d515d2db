package org.jvision.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;
import org.jvision.data.Dataset;
import org.jvision.layers.Layer;
import org.jvision.layers.Parameter;
import org.jvision.layers.Softmax;
import org.jvision.losses.Loss;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.model.Sequential;
import org.jvision.optimizers.Optimizer;
import org.jvision.regularizers.Regularization;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * The fit loop, as the tutorial tells it: for each epoch, shuffle; for each mini-batch, forward →
 * loss → backward → optimizer step → callbacks; then validate. Also {@link #evaluate} and
 * {@link #predict}, which run the model with {@code training = false} (no dropout, no updates of
 * batch-norm statistics).
 *
 * <p>When the model ends in {@link Softmax} and the loss is {@link SoftmaxCrossEntropy}, training
 * stops the forward pass before the softmax and the loss takes the logits: the fused form is
 * numerically stable and its gradient is simply {@code (p - y) / batch}.
 */
public final class Trainer {
    private final Sequential model;
    private final Optimizer optimizer;
    private final Loss loss;
    private final int lossInputLayers;
    private final List<Parameter> parameters;
    private final Regularization regularization = new Regularization();
    private Tensor batchImages;
    private Tensor batchTargets;

    public Trainer(Sequential model, Optimizer optimizer, Loss loss) {
        if (!model.isBuilt()) {
            throw new IllegalStateException("build the model (model.build(seed)) before training it");
        }
        this.model = model;
        this.optimizer = optimizer;
        this.loss = loss;
        List<Layer> layers = model.layers();
        boolean fused = loss instanceof SoftmaxCrossEntropy && layers.get(layers.size() - 1) instanceof Softmax;
        this.lossInputLayers = fused ? layers.size() - 1 : layers.size();
        this.parameters = model.parameters();
    }

    public Sequential model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Loss loss() {
        return loss;
    }

    /**
     * Trains on {@code train} as {@code options} say and returns the per-epoch history. With
     * {@link FitOptions#resumeFrom} it first puts the checkpoint's state back and goes on from its
     * position; with {@link FitOptions#checkpoint} it saves checkpoints on the way.
     *
     * @throws TrainingDivergedException when the loss or a gradient becomes NaN or infinite (the
     *                                   weights keep the last finite step's values)
     * @throws UncheckedIOException      when a checkpoint cannot be written
     */
    public History fit(Dataset train, FitOptions options) {
        checkCompatible(train, "training");
        if (options.validation() != null) {
            checkCompatible(options.validation(), "validation");
        }
        int n = train.size();
        int batchSize = Math.min(options.batchSize(), n);
        int batches = (n + batchSize - 1) / batchSize;
        int[] order = new int[n];
        History history = new History();
        FitPosition position = FitPosition.start();
        TrainingCheckpoint resume = options.resumeFrom();
        if (resume != null) {
            resume.restore(model, optimizer);
            history = resume.restoredHistory();
            position = resume.position();
        }
        String[] stop = {history.stopReason()};
        TrainingControl control = new TrainingControl() {
            @Override
            public void requestStop(String reason) {
                stop[0] = reason;
            }

            @Override
            public Sequential model() {
                return model;
            }

            @Override
            public Optimizer optimizer() {
                return optimizer;
            }
        };
        for (Callback c : options.callbacks()) {
            c.onTrainBegin(control, options.epochs(), batches);
        }
        if (resume != null) {
            resume.restoreCallbacks(options.callbacks());
        }
        CheckpointPolicy policy = options.checkpoint();
        long steps = (long) (position.epoch() - 1) * batches + position.batch();
        for (int epoch = position.epoch(); epoch <= options.epochs() && stop[0] == null; epoch++) {
            long started = System.nanoTime();
            for (Callback c : options.callbacks()) {
                c.onEpochBegin(epoch);
            }
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            if (options.shuffle()) {
                // A generator per epoch, derived from the seed: an epoch's order depends only on the seed
                // and the epoch number, so a resumed run sees the same batches.
                shuffle(order, new SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + epoch));
            }
            boolean resumed = epoch == position.epoch();
            double lossSum = resumed ? position.lossSum() : 0;
            long correct = resumed ? position.correct() : 0;
            int seen = resumed ? position.seen() : 0;
            for (int b = resumed ? position.batch() : 0; b < batches; b++) {
                int from = b * batchSize;
                int to = Math.min(n, from + batchSize);
                for (Callback c : options.callbacks()) {
                    c.onBatchBegin(epoch, b + 1);
                }
                loadBatch(train, order, from, to);
                StepResult step = trainStep(batchImages, batchTargets);
                // A non-finite loss or gradient left the weights as they were: stop rather than train on garbage.
                if (!step.applied()) {
                    throw new TrainingDivergedException(epoch, b + 1, step);
                }
                correct += step.correct();
                lossSum += (double) step.loss() * (to - from);
                seen += to - from;
                steps++;
                for (Callback c : options.callbacks()) {
                    c.onBatchEnd(epoch, b + 1, lossSum / seen, (double) correct / seen);
                }
                if (policy != null && policy.everyBatches() > 0 && steps % policy.everyBatches() == 0 && b + 1 < batches) {
                    saveCheckpoint(policy, options, new FitPosition(epoch, b + 1, lossSum, correct, seen), history);
                }
            }
            Double valLoss = null;
            Double valAccuracy = null;
            if (options.validation() != null) {
                Evaluation val = evaluate(options.validation(), Math.max(batchSize, 256));
                valLoss = val.loss();
                valAccuracy = val.accuracy();
            }
            EpochLogs logs = new EpochLogs(epoch, lossSum / n, (double) correct / n, valLoss, valAccuracy,
                    optimizer.learningRate(), (System.nanoTime() - started) / 1e9);
            history.add(logs);
            for (Callback c : options.callbacks()) {
                c.onEpochEnd(logs);
            }
            if (stop[0] != null) {
                history.setStopReason(stop[0]);
            }
            if (policy != null && checkpointAtEpochEnd(policy, epoch, steps, batches, options.epochs(), stop[0] != null)) {
                saveCheckpoint(policy, options, FitPosition.after(epoch), history);
            }
        }
        for (Callback c : options.callbacks()) {
            c.onTrainEnd(history);
        }
        return history;
    }

    /** At the policy's epochs, after a batch interval ended within the epoch's last step, and at the end of the run. */
    private static boolean checkpointAtEpochEnd(CheckpointPolicy policy, int epoch, long steps, int batches, int epochs,
                                                boolean stopping) {
        boolean epochDue = policy.everyEpochs() > 0 && epoch % policy.everyEpochs() == 0;
        boolean batchesDue = policy.everyBatches() > 0 && (steps - batches) / policy.everyBatches() < steps / policy.everyBatches();
        return epochDue || batchesDue || epoch == epochs || stopping;
    }

    private void saveCheckpoint(CheckpointPolicy policy, FitOptions options, FitPosition position, History history) {
        try {
            TrainingCheckpoint.write(policy.file(), model, optimizer, options.callbacks(), position, history, policy.metadata());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint " + policy.file() + ": " + e.getMessage(), e);
        }
    }

    /**
     * What one training step reports: the batch's mean loss and how many of its examples the model
     * classified right (judged on the output before the step's update).
     */
    public record StepResult(float loss, int correct, boolean gradientsFinite) {
        StepResult(float loss, int correct) {
            this(loss, correct, true);
        }

        /** Whether the step was applied: a finite loss and finite gradients. */
        public boolean applied() {
            return Float.isFinite(loss) && gradientsFinite;
        }
    }

    /**
     * One optimization step on a batch, exactly the one {@link #fit} runs for each mini-batch (and
     * what {@link Benchmark} times): zero the gradients → forward in training mode → loss →
     * backward → optimizer step.
     *
     * <p>Weight penalties (L1/L2, see {@link org.jvision.regularizers.WeightPenalty}) are added to
     * the reported loss and to the gradients before the step.
     *
     * <p>When the loss is NaN or infinite, or a gradient is, the step is not applied, so the
     * weights keep their last finite values; the caller sees a non-finite loss in the result and
     * decides ({@link #fit} throws {@link TrainingDivergedException}).
     *
     * @param images a batch {@code [n, ...model input shape]}
     * @param oneHot the targets {@code [n, classes]}, one-hot rows
     */
    public StepResult trainStep(Tensor images, Tensor oneHot) {
        model.zeroGradients();
        // Forward: the model's output (logits when the softmax is fused into the loss).
        Tensor output = model.forward(images, true, lossInputLayers);
        // Loss: the mean over the batch; stop before a step that would spoil the weights.
        float batchLoss = loss.forward(output, oneHot);
        if (!Float.isFinite(batchLoss)) {
            return new StepResult(batchLoss, 0);
        }
        int correct = countCorrect(output, oneHot);
        // Backward: gradients of the mean loss, added into every parameter's gradient.
        model.backward(loss.backward(), lossInputLayers);
        // Penalties: L1/L2 on the weights join the reported loss and the gradients.
        float reportedLoss = (float) (batchLoss + regularization.addPenalties(parameters));
        // A gradient that overflowed would spoil the weights even with a finite loss: stop before the step.
        if (!Float.isFinite(reportedLoss)) {
            return new StepResult(reportedLoss, 0);
        }
        if (!FiniteCheck.gradientsFinite(parameters)) {
            return new StepResult(reportedLoss, 0, false);
        }
        // Step: the optimizer moves each parameter against its gradient (L1 weights that cross zero stop there).
        regularization.beforeStep(parameters);
        optimizer.step(parameters);
        regularization.afterStep(parameters);
        return new StepResult(reportedLoss, correct);
    }

    /** Mean loss and accuracy over {@code data}, in inference mode. */
    public Evaluation evaluate(Dataset data, int batchSize) {
        checkCompatible(data, "evaluation");
        int n = data.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            loadBatch(data, order, from, to);
            Tensor output = model.forward(batchImages, false, lossInputLayers);
            lossSum += (double) loss.forward(output, batchTargets) * (to - from);
            correct += countCorrect(output, batchTargets);
        }
        return new Evaluation(lossSum / n, (double) correct / n, n);
    }

    /** Class probabilities {@code [n, classes]} for a batch of images, in inference mode. */
    public Tensor predict(Tensor images, int batchSize) {
        int n = images.dim(0);
        Tensor result = null;
        int per = images.size() / Math.max(1, n);
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            // The whole input when it is one batch; otherwise a copy into the reused batch buffer.
            Tensor batch = images;
            if (from > 0 || to < n) {
                batchImages = Tensor.reuse(batchImages, images.shape().replaceBatch(to - from));
                System.arraycopy(images.data(), from * per, batchImages.data(), 0, (to - from) * per);
                batch = batchImages;
            }
            Tensor out = model.forward(batch, false);
            if (lossInputLayers == model.layers().size() && loss instanceof SoftmaxCrossEntropy) {
                out = SoftmaxCrossEntropy.probabilities(out);
            }
            if (result == null) {
                result = new Tensor(out.shape().replaceBatch(n));
            }
            int classes = out.size() / (to - from);
            System.arraycopy(out.data(), 0, result.data(), from * classes, (to - from) * classes);
        }
        return result;
    }

    private void checkCompatible(Dataset data, String role) {
        if (!data.imageShape().equals(model.inputShape())) {
            throw new IllegalArgumentException("the " + role + " images have shape " + data.imageShape()
                    + " but the model expects " + model.inputShape());
        }
        int classes = model.outputShape().size();
        if (data.classCount() != classes) {
            throw new IllegalArgumentException("the " + role + " data has " + data.classCount()
                    + " classes but the model outputs " + classes);
        }
    }

    /** Fills the reused batch buffers with examples {@code order[from..to)} and their one-hot targets. */
    private void loadBatch(Dataset data, int[] order, int from, int to) {
        int count = to - from;
        batchImages = Tensor.reuse(batchImages, data.imageShape().withBatch(count));
        batchTargets = Tensor.reuse(batchTargets, Shape.of(count, data.classCount()));
        data.copyBatch(order, from, to, batchImages, batchTargets);
    }

    /** Rows whose largest output (first one on ties) is at the one-hot target's position. */
    private static int countCorrect(Tensor output, Tensor oneHot) {
        int rows = output.dim(0);
        int classes = output.size() / rows;
        float[] d = output.data();
        float[] hot = oneHot.data();
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (d[r * classes + c] > d[r * classes + best]) {
                    best = c;
                }
            }
            if (hot[r * classes + best] == 1f) {
                correct++;
            }
        }
        return correct;
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
