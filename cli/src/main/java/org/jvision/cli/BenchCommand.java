package org.jvision.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jvision.training.Benchmark;
import org.jvision.training.BenchmarkResult;
import org.jvision.zoo.Zoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jvision bench}: training and inference speed of a built-in model on synthetic Fashion-MNIST-shaped data. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure training and inference speed of a built-in model on random Fashion-MNIST-shaped data.",
                "Throughputs are medians of the timed steps, taken after warm-up steps; seconds per epoch are for 60,000 images."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "lenet5", description = "mlp, lenet5 or vgg-small (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--batch-size", defaultValue = "64", description = "Examples per step, training and inference (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--steps", defaultValue = "40", description = "Timed steps per phase (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "10", description = "At least this many untimed warm-up steps per phase (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-seconds", defaultValue = "8", description = "Warm up each phase for at least this long, so the JIT has "
            + "compiled the hot loops: on 2 cores it still is 4-6 s into a run (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for the weights, the data and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print one JSON object instead of the summary line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!Zoo.names().contains(model)) {
            throw new IllegalArgumentException("unknown --model '" + model + "', expected one of " + String.join(", ", Zoo.names()));
        }
        requireAtLeast("--batch-size", batchSize, 1);
        requireAtLeast("--steps", steps, 1);
        requireAtLeast("--warmup", warmup, 0);
        if (!(warmupSeconds >= 0 && warmupSeconds <= 600)) {
            throw new IllegalArgumentException("--warmup-seconds must be in [0, 600], received: " + warmupSeconds);
        }
        if (threads != null) {
            requireAtLeast("--threads", threads, 1);
        }
        Benchmark.Options.Builder options = Benchmark.Options.builder().batchSize(batchSize).steps(steps)
                .warmupSteps(warmup).warmupSeconds(warmupSeconds).seed(seed);
        if (threads != null) {
            options.threads(threads);
        }
        BenchmarkResult result = Benchmark.run(model, options.build());
        PrintStream stdout = System.out;
        stdout.println(json ? toJson(result) : summary(result));
        return 0;
    }

    private static void requireAtLeast(String option, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(option + " must be at least " + least + ", received: " + value);
        }
    }

    static String summary(BenchmarkResult r) {
        return String.format(Locale.ROOT, "%s batch %d, %d thread%s, %s kernels: train %,.0f images/s (%.1f s/epoch of %,d), "
                        + "inference %,.0f images/s, peak RSS %s, peak heap %.0f MB (median of %d steps after %d and %d warm-up)",
                r.model(), r.batchSize(), r.threads(), r.threads() == 1 ? "" : "s", r.kernels(), r.trainImagesPerSecond(),
                r.secondsPerEpoch(), Benchmark.EPOCH_IMAGES, r.inferenceImagesPerSecond(),
                r.peakRssBytes() < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f MB", megabytes(r.peakRssBytes())),
                megabytes(r.peakHeapBytes()), r.timedSteps(), r.trainWarmupSteps(), r.inferenceWarmupSteps());
    }

    /** The fields {@code tools/bench-compare.sh} reads, the same ones {@code tools/pytorch/bench.py} prints. */
    static String toJson(BenchmarkResult r) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("model", r.model());
        o.put("batch_size", r.batchSize());
        o.put("threads", r.threads());
        o.put("kernels", r.kernels());
        o.put("train_images_per_s", round1(r.trainImagesPerSecond()));
        o.put("inference_images_per_s", round1(r.inferenceImagesPerSecond()));
        o.put("seconds_per_epoch", Math.round(r.secondsPerEpoch() * 1000) / 1000.0);
        if (r.peakRssBytes() < 0) {
            o.putNull("peak_rss_mb");
        } else {
            o.put("peak_rss_mb", round1(megabytes(r.peakRssBytes())));
        }
        o.put("peak_heap_mb", round1(megabytes(r.peakHeapBytes())));
        o.put("steps", r.timedSteps());
        o.put("train_warmup_steps", r.trainWarmupSteps());
        o.put("inference_warmup_steps", r.inferenceWarmupSteps());
        return o.toString();
    }

    private static double megabytes(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
