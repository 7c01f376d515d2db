package org.jvision.kernel.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The 10-class heads' kernels, once warmed up, allocate nothing per call. A kernel that does is
 * one the JIT could not compile whole: vectors boxed where C2 stopped inlining, or the method left
 * to C1 where C1 gave up on it (the first three-row {@link TenDepthGemm}: 1 MB and 140 µs a call).
 * Counted in calls, not timed: each product is called in rounds until one round allocates (almost)
 * nothing, and fails if none does.
 */
class WarmKernelAllocationTest {
    private static final int CALLS_PER_ROUND = 200;
    /** Enough for C2 to finish in a busy test JVM; a kernel that never stops allocating fails in seconds. */
    private static final int ROUNDS = 1_000;

    @Test
    void headProductsStopAllocatingOnceCompiled() {
        assumeThat(MicroKernel.LANES).as("16-lane vectors").isEqualTo(16);
        TenDepthGemm.warmUp();
        TenColumnGemm.warmUp();
        float[] x = new float[64 * 128];
        float[] w = new float[128 * 10];
        float[] dy = new float[64 * 10];
        float[] out = new float[64 * 128];
        for (int n : new int[] {84, 128}) {
            var inputGradient = GemmProblem.of(false, true, 64, n, 10, dy, 0, 10, w, 0, 10, out, 0, n, false);
            assertStopsAllocating("64×" + n + "×10 NT (TenDepthGemm)", () -> TenDepthGemm.run(inputGradient, 0, 64));
            var forward = GemmProblem.of(false, false, 64, 10, n, x, 0, n, w, 0, 10, out, 0, 10, true);
            assertStopsAllocating("64×10×" + n + " NN (TenColumnGemm)", () -> TenColumnGemm.run(forward, 0, 64));
            var weightGradient = GemmProblem.of(true, false, n, 10, 64, x, 0, n, dy, 0, 10, out, 0, 10, false);
            assertStopsAllocating(n + "×10×64 TN (TenColumnGemm)", () -> TenColumnGemm.run(weightGradient, 0, n));
        }
    }

    private static void assertStopsAllocating(String product, Runnable call) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS && least >= CALLS_PER_ROUND; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < CALLS_PER_ROUND; i++) {
                call.run();
            }
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertThat(least).as("bytes allocated by the least-allocating round of %d calls of %s",
                CALLS_PER_ROUND, product).isLessThan(CALLS_PER_ROUND);
    }
}
