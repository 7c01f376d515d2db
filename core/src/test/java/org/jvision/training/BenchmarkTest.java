package org.jvision.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.data.Percentage;
import org.jvision.kernel.Engine;
import org.jvision.kernel.Parallel;
import org.jvision.layers.Parameter;
import org.jvision.model.Sequential;
import org.jvision.tensor.Shape;
import org.jvision.zoo.Zoo;
import org.junit.jupiter.api.Test;

/** Behaviour only: what a benchmark reports and does, never how fast (no timed assertions). */
class BenchmarkTest {
    /** A couple of steps of the mlp, no minimum warm-up time: milliseconds. */
    private static Benchmark.Options quick(int warmupSteps, int steps) {
        return Benchmark.Options.builder().batchSize(8).threads(1).warmupSteps(warmupSteps).warmupSeconds(0)
                .steps(steps).seed(3).build();
    }

    @Test
    void reportsPositiveFiniteFiguresForEachTimedStep() {
        BenchmarkResult r = Benchmark.run("mlp", quick(2, 3));
        assertThat(r.model()).isEqualTo("mlp");
        assertThat(r.batchSize()).isEqualTo(8);
        assertThat(r.threads()).isEqualTo(1);
        assertThat(r.kernels()).isEqualTo(Engine.kernels().name());
        assertThat(r.trainWarmupSteps()).isEqualTo(2);
        assertThat(r.inferenceWarmupSteps()).isEqualTo(2);
        assertThat(r.timedSteps()).isEqualTo(3);
        assertThat(r.trainStepSeconds()).hasSize(3).allSatisfy(s -> assertThat(s).isPositive().isFinite());
        assertThat(r.inferenceStepSeconds()).hasSize(3).allSatisfy(s -> assertThat(s).isPositive().isFinite());
        for (double v : new double[] {r.trainImagesPerSecond(), r.inferenceImagesPerSecond(), r.secondsPerEpoch()}) {
            assertThat(v).isPositive().isFinite();
        }
        assertThat(r.secondsPerEpoch()).isCloseTo(Benchmark.EPOCH_IMAGES / r.trainImagesPerSecond(),
                Percentage.withPercentage(1e-9));
        assertThat(r.peakHeapBytes()).isPositive();
        assertThat(r.peakRssBytes()).isNotZero();
    }

    @Test
    void throughputIsTheBatchOverTheMedianStep() {
        BenchmarkResult r = Benchmark.run("mlp", quick(0, 5));
        double[] train = r.trainStepSeconds().stream().mapToDouble(Double::doubleValue).toArray();
        assertThat(r.trainImagesPerSecond()).isEqualTo(8 / Benchmark.median(train));
        assertThat(Benchmark.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Benchmark.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void aWarmUpTimeNeverCutsTheWarmUpSteps() {
        // Both minimums hold: with a time set, there are still at least warmupSteps steps (how many
        // more depends on the machine's speed, so this test does not look at that).
        Benchmark.Options options = Benchmark.Options.builder().batchSize(4).threads(1).warmupSteps(3)
                .warmupSeconds(0.05).steps(1).build();
        BenchmarkResult r = Benchmark.run("mlp", options);
        assertThat(r.trainWarmupSteps()).isGreaterThanOrEqualTo(3);
        assertThat(r.inferenceWarmupSteps()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void trainsTheModelItIsGivenAndRestoresTheThreadCount() {
        Sequential model = Zoo.create("mlp", Shape.of(28, 28, 1), 10).build(5);
        Map<String, float[]> before = snapshot(model);
        int threadsBefore = Parallel.threads();
        BenchmarkResult r = Benchmark.run("my-mlp", model, quick(1, 2));
        assertThat(r.model()).isEqualTo("my-mlp");
        assertThat(Parallel.threads()).isEqualTo(threadsBefore);
        // Three Adam steps move every trainable parameter.
        Map<String, float[]> after = snapshot(model);
        for (String name : before.keySet()) {
            assertThat(after.get(name)).as(name).isNotEqualTo(before.get(name));
        }
    }

    @Test
    void takesAnyBuiltModelShape() {
        Sequential small = Zoo.create("lenet5", Shape.of(32, 32, 3), 4).build(1);
        BenchmarkResult r = Benchmark.run("lenet5-rgb", small, quick(0, 1));
        assertThat(r.trainImagesPerSecond()).isPositive();
    }

    @Test
    void rejectsBadArgumentsWithClearMessages() {
        assertThatThrownBy(() -> Benchmark.Options.builder().batchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("benchmark batch size must be >= 1, received: 0");
        assertThatThrownBy(() -> Benchmark.Options.builder().threads(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("benchmark threads must be >= 1, received: 0");
        assertThatThrownBy(() -> Benchmark.Options.builder().warmupSteps(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("benchmark warm-up steps must be >= 0, received: -1");
        assertThatThrownBy(() -> Benchmark.Options.builder().warmupSeconds(Double.NaN).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warm-up seconds must be in [0, 600], received: NaN");
        assertThatThrownBy(() -> Benchmark.Options.builder().steps(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("benchmark timed steps must be >= 1, received: 0");
        assertThatThrownBy(() -> Benchmark.run("resnet", quick(0, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown model 'resnet'");
        Sequential unbuilt = Zoo.create("mlp", Shape.of(28, 28, 1), 10);
        assertThatThrownBy(() -> Benchmark.run("mine", unbuilt, quick(0, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'mine' is not built");
    }

    private static Map<String, float[]> snapshot(Sequential model) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            values.put(e.getKey(), e.getValue().value().toArray());
        }
        return values;
    }
}
