package org.jvision.layers;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.jvision.kernel.Engine;
import org.jvision.kernel.Kernels;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.jvision.testing.Numerics;

/** Test helpers: running under each kernel engine, random tensors, float-to-double views. */
final class Harness {
    private Harness() {
    }

    /** The engines every float-vs-reference test runs under. */
    static Stream<String> engines() {
        return Stream.of("scalar", "vector");
    }

    /**
     * Runs {@code body} with the named kernels installed, restoring the previous ones afterwards.
     * The vector case is skipped (an assumption, not a failure) where the Vector API kernels are
     * absent: the incubator module is missing, the CPU is narrow, or the kernel is not merged yet.
     */
    static void withEngine(String engine, Runnable body) {
        Kernels kernels = engine.equals("scalar") ? Engine.scalar() : Engine.vectorOrNull();
        assumeTrue(kernels != null, "Vector API kernels unavailable here; only the scalar engine is checked");
        Kernels saved = Engine.kernels();
        Engine.use(kernels);
        try {
            body.run();
        } finally {
            Engine.use(saved);
        }
    }

    static Tensor random(SplittableRandom random, int... dims) {
        Shape shape = Shape.of(dims);
        return new Tensor(shape, Numerics.randomFloats(random, shape.size()));
    }

    /** Overwrites a parameter with values in [-1, 1) (so biases are not all zero). */
    static void randomize(Parameter p, SplittableRandom random) {
        float[] values = Numerics.randomFloats(random, p.value().size());
        System.arraycopy(values, 0, p.value().data(), 0, values.length);
    }

    static double[] doubles(Tensor t) {
        return Numerics.toDouble(t.data(), t.size());
    }

    static double[] doubles(float[] values) {
        return Numerics.toDouble(values, values.length);
    }

    static void assertMatches(String what, Tensor actual, double[] expected) {
        org.assertj.core.api.Assertions.assertThat(actual.size()).as(what + " size").isEqualTo(expected.length);
        Numerics.assertClose(what, actual.data(), expected, expected.length, Numerics.RELATIVE);
    }

    static double[] scaled(double[] values, double factor) {
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= factor;
        }
        return out;
    }
}
