package org.jvision.training;

import java.util.List;

/**
 * What one {@link Benchmark} run measured. Throughputs are medians over the timed steps (after the
 * warm-up steps), so one slow step (a GC pause, a JIT compile) does not move them.
 *
 * @param model the model's name (a zoo name, or the caller's label)
 * @param batchSize examples per step, training and inference alike
 * @param threads compute threads the kernels used
 * @param kernels the kernels in use ({@code Engine.kernels().name()}, e.g. "vector-512" or "scalar")
 * @param trainWarmupSteps untimed training steps run before the timed ones
 * @param inferenceWarmupSteps untimed inference batches run before the timed ones
 * @param trainStepSeconds the duration of each timed training step, in order
 * @param inferenceStepSeconds the duration of each timed inference batch, in order
 * @param trainImagesPerSecond {@code batchSize / median(trainStepSeconds)}
 * @param inferenceImagesPerSecond {@code batchSize / median(inferenceStepSeconds)}
 * @param secondsPerEpoch the time one pass over Fashion-MNIST's 60,000 training images would take at
 *     {@code trainImagesPerSecond} (data loading and validation not included)
 * @param peakHeapBytes the largest heap use ({@code Runtime} total minus free) seen after any step;
 *     a sample, so it can miss a peak inside a step
 * @param peakRssBytes the process's peak resident set size so far ({@code VmHWM} of
 *     {@code /proc/self/status}, so it includes the JVM itself and anything the process ran before),
 *     or -1 where that file is absent
 */
public record BenchmarkResult(
        String model,
        int batchSize,
        int threads,
        String kernels,
        int trainWarmupSteps,
        int inferenceWarmupSteps,
        List<Double> trainStepSeconds,
        List<Double> inferenceStepSeconds,
        double trainImagesPerSecond,
        double inferenceImagesPerSecond,
        double secondsPerEpoch,
        long peakHeapBytes,
        long peakRssBytes) {

    public BenchmarkResult {
        trainStepSeconds = List.copyOf(trainStepSeconds);
        inferenceStepSeconds = List.copyOf(inferenceStepSeconds);
    }

    /** The number of timed steps per phase. */
    public int timedSteps() {
        return trainStepSeconds.size();
    }
}
