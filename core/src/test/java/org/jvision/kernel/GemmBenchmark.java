package org.jvision.kernel;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.jvision.testing.Numerics;

/**
 * A rough GFLOP/s probe for the GEMM kernels (not a test, not JMH): best of a few timed calls
 * after a warm-up. Run from the repository root after {@code mvn -pl core test-compile}:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp core/target/classes:core/target/test-classes \
 *      org.jvision.kernel.GemmBenchmark [seconds-per-line]
 * </pre>
 *
 * <p>{@code -Dshape=MxNxK}, {@code -Dthreads=T} and {@code -DvectorOnly} narrow the run. Wall-clock
 * times: on a shared machine expect noise of tens of percent.
 */
public final class GemmBenchmark {
    private GemmBenchmark() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        Kernels vector = Engine.vectorOrNull();
        Kernels scalar = Engine.scalar();
        // {transA, transB, m, n, k}
        int[][] shapes = {
            {0, 0, 1024, 1024, 1024},
            {0, 0, 50176, 32, 288},   // conv forward, im2col
            {0, 0, 50176, 64, 288},   // conv forward, 64 channels out
            {0, 0, 12544, 128, 576},  // conv forward, deeper layer
            {1, 0, 288, 32, 50176},   // conv dW = patches^T · dY
            {0, 1, 50176, 288, 32},   // conv dX = dY · W^T
            {0, 0, 64, 256, 784},     // dense
            // LeNet-5 at batch 64: narrow C (6 and 16 output channels), small depths.
            {0, 0, 50176, 6, 25},     // conv1 forward
            {1, 0, 25, 6, 50176},     // conv1 dW = patches^T · dY
            {0, 1, 50176, 25, 6},     // conv1 dX = dY · W^T
            {0, 0, 6400, 16, 150},    // conv2 forward
            {1, 0, 150, 16, 6400},    // conv2 dW
            {0, 1, 6400, 150, 16},    // conv2 dX
        };
        String only = System.getProperty("shape");
        for (int[] s : shapes) {
            if (only != null && !only.equals(s[2] + "x" + s[3] + "x" + s[4])) {
                continue;
            }
            Kernels[] candidates = System.getProperty("vectorOnly") != null ? new Kernels[] {vector} : new Kernels[] {vector, scalar};
            Integer onlyThreads = Integer.getInteger("threads");
            for (Kernels kernels : candidates) {
                if (kernels == null) {
                    continue;
                }
                for (int threads : onlyThreads != null ? new int[] {onlyThreads} : new int[] {1, 2}) {
                    Parallel.setThreads(threads);
                    double gflops = measure(kernels, s, seconds);
                    System.out.printf("%-11s threads=%d %s%s %dx%dx%d  %7.1f GFLOP/s%n", kernels.name(), threads,
                            s[0] == 1 ? "A^T" : "A", s[1] == 1 ? "·B^T" : "·B", s[2], s[3], s[4], gflops);
                }
            }
        }
    }

    private static double measure(Kernels kernels, int[] s, double seconds) {
        boolean transA = s[0] == 1;
        boolean transB = s[1] == 1;
        int m = s[2];
        int n = s[3];
        int k = s[4];
        SplittableRandom random = new SplittableRandom(1);
        float[] a = Numerics.randomFloats(random, m * k);
        float[] b = Numerics.randomFloats(random, k * n);
        float[] c = new float[m * n];
        double flops = 2.0 * m * n * k;
        long best = Long.MAX_VALUE;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        for (int rep = 0; rep < 3 || System.nanoTime() < deadline; rep++) {
            long start = System.nanoTime();
            kernels.gemm(transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n, false);
            long time = System.nanoTime() - start;
            if (rep > 0) { // the first call compiles
                best = Math.min(best, time);
            }
        }
        Arrays.fill(c, 0f);
        return flops / best;
    }
}
