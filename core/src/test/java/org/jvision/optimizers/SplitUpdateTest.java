package org.jvision.optimizers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvision.kernel.Parallel;
import org.jvision.layers.Parameter;
import org.jvision.tensor.Tensor;

/**
 * {@link Optimizer#step} splits a large parameter's update between threads: every rule, on a
 * weight and on a bias of an odd size that splits, must give on two threads exactly the bits it
 * gives on one, step after step (the state arrays carry any misplaced element forward).
 */
class SplitUpdateTest {
    private static final int SIZE = 2 * Optimizer.MIN_ELEMENTS_PER_THREAD + 4_099;
    private static final int STEPS = 3;
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void twoThreadsGiveTheBitsOfOne() {
        List<Optimizer> single = OptimizersTest.everyKind();
        List<Optimizer> split = OptimizersTest.everyKind();
        for (int k = 0; k < single.size(); k++) {
            for (boolean weight : new boolean[] {true, false}) {
                float[] one = run(single.get(k), weight, 1);
                float[] two = run(split.get(k), weight, 2);
                assertThat(Arrays.mismatch(two, one)).as("first element that differs, %s on a %s", split.get(k).config(),
                        weight ? "weight" : "bias").isEqualTo(-1);
            }
        }
    }

    /** The parameter's values after {@link #STEPS} steps of {@code optimizer} on {@code threads} threads. */
    private static float[] run(Optimizer optimizer, boolean weight, int threads) {
        Parallel.setThreads(threads);
        SplittableRandom random = new SplittableRandom(weight ? 7 : 8);
        float[] start = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
            start[i] = (float) random.nextGaussian();
        }
        Tensor value = Tensor.of(start, SIZE);
        Parameter p = weight ? Parameter.weight("w", value) : Parameter.bias("b", value);
        for (int step = 0; step < STEPS; step++) {
            float[] g = p.gradient().data();
            for (int i = 0; i < SIZE; i++) {
                g[i] = (float) random.nextGaussian();
            }
            optimizer.step(List.of(p));
        }
        return p.value().data().clone();
    }
}
