package org.jvision.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.jvision.testing.Numerics;

/**
 * Both kernels against {@link ReferenceGemm} at 1e-4 relative, over the four transpose
 * combinations, awkward sizes (ragged against every tile and vector width), offsets and leading
 * dimensions wider than the rows, accumulate or overwrite, and one or two threads. Every entry of
 * C's array outside the {@code m×n} window must come back untouched, so a tile written past an
 * edge fails the test.
 */
class GemmTest {
    private static final int[] AWKWARD = {1, 3, 7, 15, 16, 17, 31, 33, 100};
    private static final String[] KERNELS = {"scalar", "vector"};
    /** Widths of C around the narrow paths: half a vector, one vector, two vectors (of 16 or 8 lanes). */
    private static final int[] NARROW = {1, 5, 6, 7, 9, 10, 15, 16, 17, 25, 31, 33};

    static Kernels kernels(String which) {
        if (which.equals("scalar")) {
            return Engine.scalar();
        }
        Kernels vector = Engine.vectorOrNull();
        assumeThat(vector).as("Vector API kernels on this machine").isNotNull();
        return vector;
    }

    /**
     * One product. When {@code padded}, every operand starts at a nonzero offset and its leading
     * dimension exceeds its row length, with random values in the gaps.
     */
    record Case(boolean transA, boolean transB, int m, int n, int k, boolean accumulate, boolean padded) {
        int aRows() {
            return transA ? k : m;
        }

        int aCols() {
            return transA ? m : k;
        }

        int bRows() {
            return transB ? n : k;
        }

        int bCols() {
            return transB ? k : n;
        }

        int lda() {
            return aCols() + (padded ? 3 : 0);
        }

        int ldb() {
            return bCols() + (padded ? 5 : 0);
        }

        int ldc() {
            return n + (padded ? 2 : 0);
        }

        int aOffset() {
            return padded ? 7 : 0;
        }

        int bOffset() {
            return padded ? 1 : 0;
        }

        int cOffset() {
            return padded ? 4 : 0;
        }

        @Override
        public String toString() {
            return (transA ? "A^T" : "A") + "·" + (transB ? "B^T" : "B") + " " + m + "x" + n + "x" + k
                    + (accumulate ? " C+=" : " C=") + (padded ? " padded" : "");
        }
    }

    /** Operands of a case, filled from a seed, so a reference and several runs see the same inputs. */
    record Operands(float[] a, float[] b, float[] c) {
        static Operands random(Case t, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            // Tight A and B end at their last element, so a read past it throws; C always has a
            // trailing gap, so a write past its last row is seen.
            int gap = t.padded() ? 9 : 0;
            float[] a = Numerics.randomFloats(random, t.aOffset() + Math.max(0, t.aRows() - 1) * t.lda() + t.aCols() + gap);
            float[] b = Numerics.randomFloats(random, t.bOffset() + Math.max(0, t.bRows() - 1) * t.ldb() + t.bCols() + gap);
            float[] c = Numerics.randomFloats(random, t.cOffset() + Math.max(0, t.m() - 1) * t.ldc() + t.n() + 9);
            return new Operands(a, b, c);
        }
    }

    /** Runs the case on a copy of C and returns that copy. */
    static float[] run(Kernels kernels, Case t, Operands x) {
        float[] c = x.c().clone();
        kernels.gemm(t.transA(), t.transB(), t.m(), t.n(), t.k(),
                x.a(), t.aOffset(), t.lda(), x.b(), t.bOffset(), t.ldb(), c, t.cOffset(), t.ldc(), t.accumulate());
        return c;
    }

    /** Checks {@code actual} (a whole C array) against the reference inside the window and against {@code before} outside it. */
    static void check(Case t, Operands x, float[] actual) {
        double[] expected = ReferenceGemm.multiply(t.transA(), t.transB(), t.m(), t.n(), t.k(),
                x.a(), t.aOffset(), t.lda(), x.b(), t.bOffset(), t.ldb(), x.c(), t.cOffset(), t.ldc(), t.accumulate());
        float[] window = new float[t.m() * t.n()];
        float[] outside = actual.clone();
        for (int i = 0; i < t.m(); i++) {
            for (int j = 0; j < t.n(); j++) {
                int ci = t.cOffset() + i * t.ldc() + j;
                window[i * t.n() + j] = actual[ci];
                outside[ci] = x.c()[ci];
            }
        }
        Numerics.assertClose(t.toString(), window, expected, window.length, Numerics.RELATIVE);
        assertBitIdentical(t + ": C outside the m×n window", outside, x.c());
    }

    /** Equal bit for bit (NaN equals NaN); reports the first difference (AssertJ's diff is quadratic). */
    static void assertBitIdentical(String what, float[] actual, float[] expected) {
        int at = Arrays.mismatch(actual, expected);
        assertThat(at).as("%s: first differing element %d, %s instead of %s", what, at,
                at >= 0 && at < actual.length ? actual[at] : "-", at >= 0 && at < expected.length ? expected[at] : "-")
                .isEqualTo(-1);
    }

    @Test
    void referenceMatchesAProductWorkedByHand() {
        // [1 2 3; 4 5 6] · [1 0; 0 1; 2 -1] = [7 -1; 16 -1], plus C = [1 1; 1 1] when accumulating.
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] b = {1, 0, 0, 1, 2, -1};
        float[] c = {1, 1, 1, 1};
        assertThat(ReferenceGemm.multiply(false, false, 2, 2, 3, a, 0, 3, b, 0, 2, c, 0, 2, false))
                .containsExactly(7, -1, 16, -1);
        assertThat(ReferenceGemm.multiply(false, false, 2, 2, 3, a, 0, 3, b, 0, 2, c, 0, 2, true))
                .containsExactly(8, 0, 17, 0);
        // The same A stored transposed (3x2, lda 2) and B transposed (2x3, ldb 3).
        float[] at = {1, 4, 2, 5, 3, 6};
        float[] bt = {1, 0, 2, 0, 1, -1};
        assertThat(ReferenceGemm.multiply(true, true, 2, 2, 3, at, 0, 2, bt, 0, 3, c, 0, 2, false))
                .containsExactly(7, -1, 16, -1);
    }

    static Stream<Arguments> awkwardSweep() {
        List<Arguments> list = new ArrayList<>();
        for (String kernels : KERNELS) {
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    for (int m : AWKWARD) {
                        list.add(Arguments.of(kernels, transA, transB, m));
                    }
                }
            }
        }
        return list.stream();
    }

    /** Every n and k of the awkward sizes for one m, accumulating or not, tight and padded in turn. */
    @ParameterizedTest(name = "{0} transA={1} transB={2} m={3}")
    @MethodSource("awkwardSweep")
    void awkwardSizes(String which, boolean transA, boolean transB, int m) {
        Kernels kernels = kernels(which);
        int seed = 0;
        for (int n : AWKWARD) {
            for (int k : AWKWARD) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    Case t = new Case(transA, transB, m, n, k, accumulate, (m + n + k + seed) % 2 == 0);
                    Operands x = Operands.random(t, seed++);
                    check(t, x, run(kernels, t, x));
                }
            }
        }
    }

    static Stream<Arguments> largerShapes() {
        List<Case> cases = new ArrayList<>();
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                // Ragged against every block size, k over two blocks.
                cases.add(new Case(transA, transB, 300, 257, 513, transA == transB, true));
            }
        }
        cases.add(new Case(false, false, 3136, 288, 64, false, false)); // tall-skinny, conv im2col-like
        cases.add(new Case(false, false, 3136, 64, 288, true, true));   // conv forward, 32 channels in, 64 out
        cases.add(new Case(true, false, 288, 64, 3136, true, false));   // conv dW = patches^T · dY
        cases.add(new Case(false, true, 3136, 288, 64, false, true));   // conv dX = dY · W^T
        cases.add(new Case(false, false, 2200, 2100, 40, false, true)); // rows shared out, B wider than one block
        cases.add(new Case(false, false, 50, 1000, 3, true, true));
        cases.add(new Case(false, false, 10, 5000, 64, false, true));   // few rows, many columns
        cases.add(new Case(false, false, 20000, 6, 25, true, true));    // LeNet conv1-like, very narrow C
        cases.add(new Case(false, true, 64, 784, 256, false, true));    // dense dX = dY·Wᵀ, computed as (W·dYᵀ)ᵀ
        cases.add(new Case(false, true, 64, 3136, 256, true, false));
        cases.add(new Case(true, true, 40, 1000, 300, false, true));    // the same with A transposed too
        cases.add(new Case(false, true, 5000, 16, 150, false, false));  // LeNet conv2-like, transposed B
        // LeNet-5 at batch 64, exactly as Conv2D calls them: forward Y += P·W (onto the bias),
        // dW += Pᵀ·dY, dP = dY·Wᵀ; conv1 (5×5×1 → 6 channels, 28×28 out), conv2 (5×5×6 → 16, 10×10 out).
        cases.add(new Case(false, false, 50176, 6, 25, true, false));
        cases.add(new Case(true, false, 25, 6, 50176, true, false));
        cases.add(new Case(false, true, 50176, 25, 6, false, false));
        cases.add(new Case(false, false, 6400, 16, 150, true, false));
        cases.add(new Case(true, false, 150, 16, 6400, true, false));
        cases.add(new Case(false, true, 6400, 150, 16, false, false));
        // vgg-small's first convolution (3×3×1 → 32 channels): dW = Pᵀ·dY, nine rows, one strip of six
        // and one of three; B (dY) 32 wide with rows 32 apart, read in place as a packed panel on
        // AVX-512 (16 wide on AVX2); and the forward product, depth 9.
        cases.add(new Case(true, false, 9, 32, 784, false, false));
        cases.add(new Case(true, false, 9, 32, 784, true, false));
        cases.add(new Case(true, false, 9, 16, 784, true, false));
        cases.add(new Case(false, false, 784, 32, 9, false, false));
        // Short depths (ShortDepthGemm): ragged strips, two panels, depths 1, 9, 27
        // and 32; and the shapes it leaves to the blocked path (onto C, 48 columns on 16 lanes, depth 33).
        cases.add(new Case(false, false, 785, 64, 9, false, true));
        cases.add(new Case(false, false, 786, 32, 27, false, false));
        cases.add(new Case(false, false, 103, 32, 1, false, true));
        cases.add(new Case(false, false, 97, 64, 32, false, true));
        cases.add(new Case(false, false, 785, 64, 9, true, false));
        cases.add(new Case(false, false, 301, 48, 9, false, true));
        cases.add(new Case(false, false, 97, 64, 33, false, true));
        cases.add(new Case(false, true, 67, 128, 10, false, true));    // transposed B, packed first
        cases.add(new Case(true, true, 67, 128, 10, false, true));     // A transposed: the blocked path
        cases.add(new Case(false, false, 25, 32, 1000, true, false));  // 5×5: a strip of one row at the end
        cases.add(new Case(true, false, 40, 3, 800, true, false));     // computed as Cᵀ: a three-row strip, C transposed
        // A 10-class head at batch 64 (LeNet-5's, 84 inputs; the mlp's, 128): forward X·W onto the
        // bias, dW += Xᵀ·dY, dX = dY·Wᵀ; padded, so that a kernel reading past a row shows.
        for (int inputs : new int[] {84, 128}) {
            cases.add(new Case(false, false, 64, 10, inputs, true, true));
            cases.add(new Case(true, false, inputs, 10, 64, true, true));
            cases.add(new Case(false, true, 64, inputs, 10, false, true));
        }
        // Dense layers whose depth splits to follow the optimizer's rows of W (mlp's first layer at
        // batch 64, onto the bias; a ragged width whose block sums end in a partial vector) and whose
        // weight gradients split C's rows for the same reason.
        cases.add(new Case(false, false, 64, 256, 784, true, true));
        cases.add(new Case(false, false, 61, 150, 700, false, false));
        cases.add(new Case(true, false, 784, 256, 64, false, true));
        cases.add(new Case(true, false, 401, 120, 64, true, false));
        // LeNet-5's head at batch 32: products under the small-product threshold.
        cases.add(new Case(false, false, 32, 10, 84, true, true));
        cases.add(new Case(true, false, 84, 10, 32, true, true));
        cases.add(new Case(false, true, 32, 84, 10, false, true));
        List<Arguments> list = new ArrayList<>();
        for (String kernels : KERNELS) {
            for (int threads : new int[] {1, 2}) {
                for (Case t : cases) {
                    list.add(Arguments.of(kernels, threads, t));
                }
            }
        }
        return list.stream();
    }

    /** Larger products: close to the reference, and bit-identical over two calls on the same thread count. */
    @ParameterizedTest(name = "{0} threads={1} {2}")
    @MethodSource("largerShapes")
    void largerShapesAreRightAndRepeatable(String which, int threads, Case t) {
        Kernels kernels = kernels(which);
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            Operands x = Operands.random(t, 42);
            float[] first = run(kernels, t, x);
            float[] second = run(kernels, t, x);
            assertBitIdentical(t + ": second call on " + threads + " threads", second, first);
            check(t, x, first);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    static Stream<Arguments> narrowSweep() {
        List<Arguments> list = new ArrayList<>();
        for (String kernels : KERNELS) {
            for (int threads : new int[] {1, 2}) {
                for (int n : NARROW) {
                    list.add(Arguments.of(kernels, threads, n));
                }
            }
        }
        return list.stream();
    }

    /**
     * Narrow C (the one-vector kernel, masked edges, the transposed product for n up to half a
     * vector, the sum split between threads) over the four transpose combinations, accumulating
     * or not, tight and padded: a tall C over a short sum (a convolution's forward and input
     * gradient; 901 rows are ragged against every tile height) and a short C over a long sum (its
     * weight gradient). Close to the reference, bit-identical over two calls, nothing outside the
     * window touched.
     */
    @ParameterizedTest(name = "{0} threads={1} n={2}")
    @MethodSource("narrowSweep")
    void narrowProductsAreRightAndRepeatable(String which, int threads, int n) {
        Kernels kernels = kernels(which);
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            int seed = 0;
            for (int[] mk : new int[][] {{901, 50}, {50, 2000}}) {
                for (boolean transA : new boolean[] {false, true}) {
                    for (boolean transB : new boolean[] {false, true}) {
                        for (boolean accumulate : new boolean[] {false, true}) {
                            Case t = new Case(transA, transB, mk[0], n, mk[1], accumulate, seed % 3 == 0);
                            Operands x = Operands.random(t, 100 + seed++);
                            float[] first = run(kernels, t, x);
                            assertBitIdentical(t + ": second call on " + threads + " threads", run(kernels, t, x), first);
                            check(t, x, first);
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * The products whose row split follows timings ({@link Parallel#forRangeTimed}) must give the
     * same bits split between two threads as run whole on one, or results would depend on the
     * host's timing: the 10-class heads (forward, weight and input gradients), narrow C over a
     * short sum, and rows of the blocked product, every layout, on shapes that split at two threads.
     */
    @Test
    void timedRowSplitsGiveTheSameBitsSplitOrWhole() {
        Kernels kernels = Engine.vectorOrNull();
        assumeThat(kernels).as("Vector API kernels on this machine").isNotNull();
        List<Case> cases = new ArrayList<>();
        for (int inputs : new int[] {84, 128}) {
            cases.add(new Case(false, false, 64, 10, inputs, true, true));
            cases.add(new Case(true, false, inputs, 10, 64, true, true));
            cases.add(new Case(false, true, 64, inputs, 10, false, true));
            cases.add(new Case(false, true, 64, inputs, 10, true, false));
        }
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                cases.add(new Case(transA, transB, 301, 7, 50, transA, transB));
                cases.add(new Case(transA, transB, 301, 16, 37, !transA, true));
                cases.add(new Case(transA, transB, 203, 40, 90, transB, !transB));
                cases.add(new Case(transA, transB, 64, 120, 84, true, true));
            }
        }
        cases.add(new Case(false, false, 785, 32, 9, false, true));  // ShortDepthGemm
        cases.add(new Case(false, false, 783, 64, 27, false, false));
        cases.add(new Case(false, true, 301, 64, 16, false, true));
        int saved = Parallel.threads();
        Parallel.TimedSplits savedMode = Parallel.timedSplits();
        try {
            Parallel.setThreads(2);
            int seed = 0;
            for (Case t : cases) {
                Operands x = Operands.random(t, 500 + seed++);
                Parallel.setTimedSplits(Parallel.TimedSplits.ALWAYS);
                float[] split = run(kernels, t, x);
                Parallel.setTimedSplits(Parallel.TimedSplits.NEVER);
                float[] whole = run(kernels, t, x);
                assertBitIdentical(t + ": split against whole", split, whole);
                check(t, x, split);
            }
        } finally {
            Parallel.setThreads(saved);
            Parallel.setTimedSplits(savedMode);
        }
    }

    /** An empty sum: C is kept when accumulating, zeroed otherwise; nothing outside the window moves. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"scalar", "vector"})
    void depthZeroKeepsOrZeroesC(String which) {
        Kernels kernels = kernels(which);
        for (boolean accumulate : new boolean[] {false, true}) {
            for (int[] size : new int[][] {{3, 5}, {100, 33}, {1000, 200}}) {
                Case t = new Case(false, false, size[0], size[1], 0, accumulate, true);
                Operands x = Operands.random(t, 7);
                check(t, x, run(kernels, t, x));
            }
        }
    }

    /** Without accumulate the old contents of C must not leak in, not even NaN (0·NaN is NaN). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"scalar", "vector"})
    void overwriteIgnoresTheOldContentsOfC(String which) {
        Kernels kernels = kernels(which);
        // A small product, a blocked one with A packed, a narrow one with A read in place.
        for (int[] size : new int[][] {{5, 7, 9}, {100, 200, 300}, {2000, 6, 25}}) {
            for (boolean transB : new boolean[] {false, true}) {
                Case t = new Case(false, transB, size[0], size[1], size[2], false, true);
                Operands x = Operands.random(t, 11);
                for (int i = 0; i < t.m(); i++) {
                    Arrays.fill(x.c(), t.cOffset() + i * t.ldc(), t.cOffset() + i * t.ldc() + t.n(), Float.NaN);
                }
                check(t, x, run(kernels, t, x));
            }
        }
    }

    @Test
    void vectorKernelsNameTheirWidth() {
        Kernels vector = kernels("vector");
        assertThat(vector.name()).matches("vector-(256|512|1024|2048)");
    }
}
