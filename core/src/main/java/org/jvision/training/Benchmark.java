package org.jvision.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jvision.kernel.Engine;
import org.jvision.kernel.Parallel;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.model.Sequential;
import org.jvision.optimizers.Adam;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.jvision.zoo.Zoo;

/**
 * Measures how fast a model trains and predicts on this machine: the numbers behind
 * {@code jvision bench} and the side-by-side comparison with PyTorch
 * ({@code tools/bench-compare.sh}).
 *
 * <p>The data is synthetic and Fashion-MNIST-shaped: one seeded batch of standard-normal images
 * (what standardized pixels look like) and uniformly random labels, reused for every step, so
 * data loading is not measured. A training step is exactly {@link Trainer#trainStep} (the step
 * {@link Trainer#fit} runs: zero gradients → forward → cross-entropy → backward → Adam); an
 * inference step is {@link Trainer#predict} on one batch. Each phase runs its warm-up steps
 * untimed (the JIT compiles the hot loops, buffers reach their size), then times every step on
 * its own; throughput is {@code batch / median step time}.
 *
 * <p>Peak memory is reported two ways: the largest heap use ({@code total - free}) seen after each
 * step, and the process's peak resident set ({@code VmHWM}) where {@code /proc/self/status}
 * exists. (The heap MXBean would see peaks between samples, but the {@code org.jvision} module does
 * not read {@code java.management}; the RSS high-water mark is the figure compared with PyTorch.)
 */
public final class Benchmark {
    /** The number of training images in Fashion-MNIST: what {@code secondsPerEpoch} is for. */
    public static final int EPOCH_IMAGES = 60_000;

    /** Fashion-MNIST's image shape, {@code [28, 28, 1]}, and class count. */
    private static final Shape IMAGE_SHAPE = Shape.of(28, 28, 1);
    private static final int CLASSES = 10;

    private Benchmark() {
    }

    /**
     * How to benchmark. Build with {@link #builder()}; defaults are batch 64, all cores, a warm-up
     * of at least 10 steps and 2 seconds per phase, 20 timed steps, seed 42.
     *
     * <p>The warm-up runs until both of its minimums are met: a step count alone is not enough,
     * since C2 compiles the hot loops in the background, so a small model's first hundreds of
     * steps (a few milliseconds each) still run interpreted or half-compiled code.
     */
    public record Options(int batchSize, int threads, int warmupSteps, double warmupSeconds, int steps, long seed) {
        public Options {
            if (batchSize < 1) {
                throw new IllegalArgumentException("benchmark batch size must be >= 1, received: " + batchSize);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("benchmark threads must be >= 1, received: " + threads);
            }
            if (warmupSteps < 0) {
                throw new IllegalArgumentException("benchmark warm-up steps must be >= 0, received: " + warmupSteps);
            }
            if (!(warmupSeconds >= 0 && warmupSeconds <= 600)) {
                throw new IllegalArgumentException("benchmark warm-up seconds must be in [0, 600], received: " + warmupSeconds);
            }
            if (steps < 1) {
                throw new IllegalArgumentException("benchmark timed steps must be >= 1, received: " + steps);
            }
        }

        public static Builder builder() {
            return new Builder();
        }

        public static final class Builder {
            private int batchSize = 64;
            private int threads = Runtime.getRuntime().availableProcessors();
            private int warmupSteps = 10;
            // C2 still compiles 4-6 s into a run on 2 busy cores (lenet5: a few hundred images/s in
            // the first 2 s, 10-19k in the next 2, then a steady 20-24k); 2 s of warm-up timed
            // steps in the middle of that and read anywhere from 4k to 28k.
            private double warmupSeconds = 8;
            private int steps = 40;
            private long seed = 42;

            private Builder() {
            }

            public Builder batchSize(int batchSize) {
                this.batchSize = batchSize;
                return this;
            }

            public Builder threads(int threads) {
                this.threads = threads;
                return this;
            }

            public Builder warmupSteps(int warmupSteps) {
                this.warmupSteps = warmupSteps;
                return this;
            }

            public Builder warmupSeconds(double warmupSeconds) {
                this.warmupSeconds = warmupSeconds;
                return this;
            }

            public Builder steps(int steps) {
                this.steps = steps;
                return this;
            }

            public Builder seed(long seed) {
                this.seed = seed;
                return this;
            }

            public Options build() {
                return new Options(batchSize, threads, warmupSteps, warmupSeconds, steps, seed);
            }
        }
    }

    /**
     * Benchmarks the zoo model {@code model} ("mlp", "lenet5" or "vgg-small") built for
     * Fashion-MNIST ({@code [28, 28, 1]}, 10 classes) with {@code options.seed()}.
     *
     * @throws IllegalArgumentException for an unknown model name
     */
    public static BenchmarkResult run(String model, Options options) {
        Sequential network = Zoo.create(model, IMAGE_SHAPE, CLASSES).build(options.seed());
        return run(model, network, options);
    }

    /**
     * Benchmarks a built model, training it (with Adam at its defaults and softmax cross-entropy)
     * on random data of its input shape: its weights change. {@code label} names it in the result.
     *
     * <p>Sets {@link Parallel#setThreads} to {@code options.threads()} for the run and restores
     * the previous count afterwards.
     *
     * @throws IllegalArgumentException when the model is not built
     * @throws TrainingDivergedException when a training step's loss is not finite
     */
    public static BenchmarkResult run(String label, Sequential model, Options options) {
        if (!model.isBuilt()) {
            throw new IllegalArgumentException("benchmark model '" + label + "' is not built: call build(seed) first");
        }
        int previousThreads = Parallel.threads();
        Parallel.setThreads(options.threads());
        try {
            return measure(label, model, options);
        } finally {
            Parallel.setThreads(previousThreads);
        }
    }

    private static BenchmarkResult measure(String label, Sequential model, Options options) {
        int batch = options.batchSize();
        int classes = model.outputShape().size();
        SplittableRandom random = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
        Tensor images = new Tensor(model.inputShape().withBatch(batch));
        float[] pixels = images.data();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        Tensor oneHot = new Tensor(Shape.of(batch, classes));
        for (int r = 0; r < batch; r++) {
            oneHot.data()[r * classes + random.nextInt(classes)] = 1f;
        }

        Trainer trainer = new Trainer(model, new Adam(), new SoftmaxCrossEntropy());
        long peakHeap = heapInUse();

        // Training: warm up until both minimums are met, then time each step on its own.
        int warmup = 0;
        long warmupEnd = System.nanoTime() + (long) (options.warmupSeconds() * 1e9);
        for (; warmup < options.warmupSteps() || System.nanoTime() < warmupEnd; warmup++) {
            checkFinite(trainer.trainStep(images, oneHot), warmup + 1);
            peakHeap = Math.max(peakHeap, heapInUse());
        }
        double[] train = new double[options.steps()];
        for (int s = 0; s < train.length; s++) {
            long start = System.nanoTime();
            Trainer.StepResult step = trainer.trainStep(images, oneHot);
            train[s] = (System.nanoTime() - start) / 1e9;
            checkFinite(step, warmup + s + 1);
            peakHeap = Math.max(peakHeap, heapInUse());
        }

        // Inference: the same, with predict (training = false: no dropout, batch norm's moving statistics).
        int inferenceWarmup = 0;
        warmupEnd = System.nanoTime() + (long) (options.warmupSeconds() * 1e9);
        for (; inferenceWarmup < options.warmupSteps() || System.nanoTime() < warmupEnd; inferenceWarmup++) {
            trainer.predict(images, batch);
        }
        double[] inference = new double[options.steps()];
        for (int s = 0; s < inference.length; s++) {
            long start = System.nanoTime();
            trainer.predict(images, batch);
            inference[s] = (System.nanoTime() - start) / 1e9;
            peakHeap = Math.max(peakHeap, heapInUse());
        }

        double trainPerSecond = batch / median(train);
        double inferencePerSecond = batch / median(inference);
        return new BenchmarkResult(label, batch, Parallel.threads(), Engine.kernels().name(), warmup, inferenceWarmup,
                asList(train), asList(inference), trainPerSecond, inferencePerSecond, EPOCH_IMAGES / trainPerSecond,
                peakHeap, peakRssBytes());
    }

    private static void checkFinite(Trainer.StepResult step, int stepNumber) {
        if (!step.applied()) {
            throw new TrainingDivergedException(1, stepNumber, step);
        }
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static List<Double> asList(double[] values) {
        List<Double> list = new ArrayList<>(values.length);
        for (double v : values) {
            list.add(v);
        }
        return list;
    }

    private static long heapInUse() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** {@code VmHWM} from {@code /proc/self/status} in bytes, or -1 where it cannot be read. */
    static long peakRssBytes() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    // "VmHWM:	  123456 kB"
                    String[] parts = line.substring("VmHWM:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
