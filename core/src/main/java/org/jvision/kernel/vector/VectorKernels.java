package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.GemmScratch.ceilDiv;
import static org.jvision.kernel.vector.MicroKernel.MR;
import static org.jvision.kernel.vector.MicroKernel.NR;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.jvision.kernel.Kernels;
import org.jvision.kernel.Parallel;

/**
 * {@link Kernels} on the Vector API ({@code jdk.incubator.vector}): matrix products blocked and
 * packed in the BLIS way ({@link BlockedGemm}) around a register-tiled {@link MicroKernel} of
 * {@code MR×NR = 6×(2 vectors)}, or, for a C at most one vector wide, {@link NarrowGemm} around a
 * {@link NarrowKernel} of {@code 12×(1 vector)}; split over {@link Parallel}'s threads.
 *
 * <p>Which path a product takes depends only on its sizes and the thread count, so a given thread
 * count gives bit-identical results from call to call:
 * <ul>
 * <li>{@code m·n·k < 32768}: {@link SmallGemm}, one thread, no packing (or, on 16 lanes, the
 *     10-class heads' kernels below, on one thread);</li>
 * <li>on 16 lanes, a depth of nine or ten with a transposed B (a 10-class head's input gradient):
 *     {@link TenDepthGemm}, rows split between threads;</li>
 * <li>a short depth, C whole panels wide and overwritten (a 3×3 convolution of one or three
 *     channels; on AVX2 a 10-class head's input gradient): {@link ShortDepthGemm}, rows split
 *     between threads;</li>
 * <li>a C at most half a vector wide over a long sum is computed as {@code Cᵀ = Bᵀ·Aᵀ}
 *     ({@link #prefersTransposed});</li>
 * <li>a C small against a long sum has the sum split between threads, each into its own block,
 *     the blocks added in a fixed order ({@link #depthParts});</li>
 * <li>otherwise rows of C are split between threads in whole tiles, or columns when B is larger
 *     than A or there are too few rows to go round ({@link #splitsColumns}).</li>
 * </ul>
 */
public final class VectorKernels implements Kernels {
    /** Below this many multiply-adds, packing and threads cost more than they save. */
    static final long SMALL = 1 << 15;
    /** At least this many multiply-adds per thread, so a hand-off (microseconds) pays. */
    static final long MIN_WORK_PER_THREAD = 1 << 18;
    /**
     * The same for a split of C's rows, where each thread stores only into its own rows: a
     * quarter as much. Two threads on Zen 4 (tenth session), against one: the first convolution
     * of vgg-small, 784×32×9, 68–76 → 76–135 GFLOP/s; its 10-class head, 64×10×256, 41–42 → 60–73
     * (medians of three alternating launches each, change 23 of BENCHMARKS.md).
     * A split of C's columns, whose threads store into the same rows and lines of C, keeps
     * {@link #MIN_WORK_PER_THREAD}: 64×256×10 went 53–59 → 41–108, mostly slower.
     */
    static final long MIN_ROW_WORK_PER_THREAD = 1 << 16;
    /**
     * The same for a C at most one vector wide and for {@link TenDepthGemm}, whose kernels have
     * little to set up per row: a quarter again. Two threads against one on Zen 4 (thirteenth
     * session): the 10-class heads' forward products on the {@link TenColumnGemm}, 64×10×128 and
     * 64×10×84, 1.14x and 1.07x → 1.70x and 1.36x of OpenBLAS.
     */
    static final long MIN_NARROW_WORK_PER_THREAD = 1 << 14;

    /**
     * A depth split ({@link #depthParts}) gives each thread at least twice this many steps of p,
     * so that each part's packing pays (the block depth of the kernels before BlockedGemm's
     * {@code KC} grew to 512; the weight-gradient shapes it was tuned on kept their splits).
     */
    static final int MIN_DEPTH_PER_PART = 320;

    private VectorKernels() {
    }

    /** The kernels, or null when vectors hold fewer than 8 floats (no gain over scalar loops). */
    public static Kernels createIfUseful() {
        if (FloatVector.SPECIES_PREFERRED.length() < 8) {
            return null;
        }
        warmUp();
        return new VectorKernels();
    }

    /**
     * Runs the register kernels through every branch (full and edge tiles, masked columns, a
     * transposed C, overwrite and accumulate), and the vectorized packing of B with whole and
     * ragged panels, until C2 has compiled them with a complete profile. Left to chance, C2
     * sometimes compiled the micro-kernel in the middle of training from a partial profile and the
     * run stayed on a slow, non-intrinsified version for good (measured: LeNet-5 epochs of 25 s
     * instead of 7 s).
     */
    private static void warmUp() {
        int kc = 16;
        int lanes = MicroKernel.LANES;
        float[] a = new float[NarrowKernel.MR * kc];
        float[] b = new float[kc * 2 * NR];
        float[] c = new float[NarrowKernel.MR * NR];
        float[] tile = new float[Math.max(MR * NR, NarrowKernel.MR * lanes)];
        for (int i = 0; i < 30_000; i++) {
            // Full tiles, the hot case, in half of the calls; each kind of edge in one eighth.
            boolean overwrite = (i / 8) % 2 == 0;
            int edge = (i & 1) == 0 ? 0 : 1 + (i >> 1) % 4;
            switch (edge) {
                case 0 -> MicroKernel.multiply(kc, a, 0, MR, 1, b, 0, c, 0, NR, 1, MR, NR, overwrite, tile);
                case 1 -> MicroKernel.multiply(kc, a, 0, MR, 1, b, 0, c, 0, NR, 1, MR - 1, NR - 3, overwrite, tile);
                case 2 -> MicroKernel.multiply(kc, a, 0, MR, 1, b, 0, c, 0, NR, 1, MR, lanes - 1, overwrite, tile);
                default -> MicroKernel.multiply(kc, a, 0, MR, 1, b, 0, c, 0, 1, MR, MR, NR - 5, overwrite, tile);
            }
            // The row-major kernel likewise, with and without a transposed C, in one iteration of four.
            if ((i & 3) == 3) {
                switch ((i >> 2) % 4) {
                    case 0, 1 -> RowMajorKernel.multiply(kc, a, 0, kc, b, 0, c, 0, NR, 1, MR, NR, overwrite, tile);
                    case 2 -> RowMajorKernel.multiply(kc, a, 0, kc, b, 0, c, 0, NR, 1, MR - 2, lanes + 1, overwrite, tile);
                    default -> RowMajorKernel.multiply(kc, a, 0, kc, b, 0, c, 0, 1, MR, MR, NR - 5, overwrite, tile);
                }
            }
            // The three-row kernel, on a ragged strip's edges, in one iteration of four.
            if ((i & 3) == 1) {
                switch ((i >> 2) % 4) {
                    case 0 -> ThreeRowKernel.multiply(kc, a, 0, MR, 1, b, 0, c, 0, NR, 1, 3, NR, overwrite, tile);
                    case 1 -> ThreeRowKernel.multiply(kc, a, 0, MR, 1, b, 0, c, 0, NR, 1, 2, NR - 3, overwrite, tile);
                    case 2 -> ThreeRowKernel.multiply(kc, a, 0, MR, 1, b, 0, c, 0, NR, 1, 1, lanes - 1, overwrite, tile);
                    default -> ThreeRowKernel.multiply(kc, a, 0, MR, 1, b, 0, c, 0, 1, MR, 3, NR - 5, overwrite, tile);
                }
            }
            // The narrow kernels have no branches of their own (edges are their store's business):
            // each runs in one iteration of eight, over every edge and both ways of storing.
            if ((i & 3) == 0) {
                int rows = (i & 8) == 0 ? NarrowKernel.MR : NarrowKernel.MR - 5;
                int cols = (i & 16) == 0 ? lanes : 6;
                boolean add = (i & 32) == 0;
                if ((i & 4) == 0) {
                    NarrowKernel.rowMajorA(kc, a, 0, kc, b, 0, c, 0, lanes, rows, cols, add, tile);
                } else {
                    NarrowKernel.columnMajorA(kc, a, 0, NarrowKernel.MR, b, 0, c, 0, lanes, rows, cols, add, tile);
                }
            }
        }
        warmPlanar();
        warmShortDepth();
        if (lanes == 16) {
            TenColumnGemm.warmUp();
            TenDepthGemm.warmUp();
            TransposedTileKernel.warmUp();
        }
        // B of kc×(NR + 5), row-major: one whole panel and one ragged; then 6 and 16 columns.
        var wide = GemmProblem.of(false, false, 1, NR + 5, kc, a, 0, kc, b, 0, NR + 5, c, 0, NR + 5, false);
        var narrow = GemmProblem.of(false, false, 1, 6, kc, a, 0, kc, b, 0, 6, c, 0, 6, false);
        var full = GemmProblem.of(false, false, 1, lanes, kc, a, 0, kc, b, 0, lanes, c, 0, lanes, false);
        var wideTransposed = GemmProblem.of(false, true, 1, NR + 5, kc, a, 0, kc, b, 0, kc, c, 0, NR + 5, false);
        float[] packed = new float[2 * NR * kc];
        for (int i = 0; i < 5_000; i++) {
            GemmPacking.packB((i & 1) == 0 ? wide : wideTransposed, 0, kc, 0, NR + 5, packed);
            NarrowGemm.packB((i & 1) == 0 ? narrow : full, 0, kc, packed);
        }
    }

    /** {@link ShortDepthGemm} over whole and ragged strips, depths 9 and 27. */
    private static void warmShortDepth() {
        int rows = 7;
        int k = 27;
        float[] a = new float[rows * k];
        float[] b = new float[k * 2 * NR];
        float[] c = new float[rows * 2 * NR];
        var nine = GemmProblem.of(false, false, rows, 2 * NR, 9, a, 0, k, b, 0, 2 * NR, c, 0, 2 * NR, false);
        var deeper = GemmProblem.of(false, false, rows, 2 * NR, k, a, 0, k, b, 0, 2 * NR, c, 0, 2 * NR, false);
        for (int i = 0; i < 10_000; i++) {
            ShortDepthGemm.run((i & 1) == 0 ? nine : deeper, 0, (i & 2) == 0 ? rows : rows - 2);
        }
    }

    /**
     * The planar convolution over three rows of 28, 16 and 44 columns (LeNet's first layer, and
     * rows of exactly one vector and of two and a bit), 6 and 7 channels, 25 positions: every
     * branch of its blocks, so that C2 compiles them from a complete profile.
     */
    private static void warmPlanar() {
        int rows = 3;
        int[] widths = {28, 16, 44};
        float[][] images = new float[widths.length][];
        float[][] outputs = new float[widths.length][];
        int[][] terms = new int[widths.length][25];
        for (int k = 0; k < widths.length; k++) {
            int step = widths[k] + 4;
            images[k] = new float[(rows + 4) * step + Kernels.PLANAR_SLACK];
            outputs[k] = new float[rows * widths[k] * 7 + Kernels.PLANAR_SLACK];
            for (int t = 0; t < 25; t++) {
                terms[k][t] = (t / 5) * step + t % 5;
            }
        }
        float[] weights = new float[25 * 7];
        for (int i = 0; i < 3_000; i++) {
            int k = i % widths.length;
            int cout = (i & 3) == 0 ? 7 : 6;
            int cols = widths[k];
            PlanarConvolution.forward(rows, cols, cout, 25, images[k], 0, cols + 4, terms[k], weights, outputs[k], 0);
            PlanarConvolution.kernelGradient(rows, cols, cout, 25, images[k], 0, cols + 4, terms[k], outputs[k], 0,
                    weights, 0);
        }
    }

    @Override
    public String name() {
        return "vector-" + MicroKernel.SPECIES.vectorBitSize();
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb,
                     float[] c, int cOffset, int ldc,
                     boolean accumulate) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOffset + i * ldc, cOffset + i * ldc + n, 0f);
                }
            }
            return;
        }
        var g = GemmProblem.of(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
        if ((long) m * n * k < SMALL) {
            // The 10-class heads' kernels set nothing up that a small product would not pay back:
            // LeNet-5's head at batch 32 (32×10×84, 84×10×32 and 32×84×10) would otherwise run
            // SmallGemm's plain loops, ten columns being less than a vector.
            if (TenColumnGemm.handles(g)) {
                TenColumnGemm.run(g, 0, m);
            } else if (TenDepthGemm.handles(g)) {
                TenDepthGemm.run(g, 0, m);
            } else {
                SmallGemm.run(g);
            }
            return;
        }
        if (TenDepthGemm.handles(g)) {
            var ten = g;
            long workPerRow = (long) n * k;
            splitRows(g, 1, m, minTiles(workPerRow, MIN_NARROW_WORK_PER_THREAD), (from, to) ->
                    TenDepthGemm.run(ten, from, to));
            return;
        }
        if (ShortDepthGemm.handles(g)) {
            var shallow = g;
            long workPerRow = (long) n * k;
            splitRows(g, 4, m, minTiles(workPerRow, MIN_ROW_WORK_PER_THREAD), (from, to) ->
                    ShortDepthGemm.run(shallow, from, to));
            return;
        }
        if (prefersTransposed(g)) {
            g = g.transposed();
        }
        int parts = depthParts(g, Parallel.threads());
        if (parts > 1) {
            runDepthSplit(g, parts);
        } else {
            runParallel(g);
        }
    }

    /**
     * Whether to compute {@code Cᵀ = Bᵀ·Aᵀ} instead. The transposed C is stored element by
     * element, so this pays in two cases:
     * <ul>
     * <li>C at most half a vector wide, taller than it is wide, over a long sum. That is the weight
     *     gradient of a convolution with few output channels ({@code Pᵀ·dY}, 25×6 over 50,176 rows
     *     for LeNet-5's first layer): as it stands it needs the {@link NarrowKernel} with 6 of 16
     *     lanes busy, one broadcast per multiply-add; transposed it is one 6×32 {@link MicroKernel}
     *     tile with 25 of 32 columns busy and half the broadcasts. Measured twice as fast; with 16
     *     columns the narrow kernel wins.
     * <li>A transposed B ({@code k×n}, its columns contiguous) that is much larger than A: a dense
     *     layer's input gradient {@code dY·Wᵀ}, 64×784×256 at batch 64. B packs by 8×8 squares
     *     transposed in registers ({@link TransposedPacking}), a cost per element of B that a
     *     short A does not pay back (direct, 0.97x of OpenBLAS against 0.99x transposed, nineteenth
     *     session); transposed, B becomes an A read in place and only A ({@code k×m}) is packed.
     *     Taken when packing A and storing C element by element touch fewer than half as many
     *     values as packing B: 64×784×256 and 64×3136×256 one thread 130 → 180 and 136 → 189
     *     GFLOP/s, two threads 267 → 362 and 280 → 369 (sixth session).
     * </ul>
     */
    static boolean prefersTransposed(GemmProblem g) {
        long m = g.m();
        long n = g.n();
        long k = g.k();
        boolean narrowC = 2 * n <= MicroKernel.LANES && m > n && k >= 16 * (m + n);
        boolean largeTransposedB = g.bRowStride() == 1 && g.bColStride() != 1 && g.cColStride() == 1
                && k * m + m * n < k * n / 2;
        return narrowC || largeTransposedB;
    }

    /**
     * Into how many ranges of p to split the sum between threads, each summed into a private
     * {@code m×n} block (1: split C instead). Pays when C is small against the sum (weight
     * gradients: 150×16 or 288×32 over thousands of rows): every thread then reads its own part
     * of A and B once, instead of all of B, and the work is even however few tiles C has.
     * Measured on two threads: 25×6×50,176 twice as fast, 150×16×6,400 a third faster.
     */
    static int depthParts(GemmProblem g, int threads) {
        long m = g.m();
        long n = g.n();
        long k = g.k();
        if (threads < 2 || m * n * threads > 1 << 22) {
            return 1;
        }
        boolean smallC = k >= 2L * threads * MIN_DEPTH_PER_PART && m * n <= 4 * k;
        if (!smallC && !splitsWeightRows(g, threads)) {
            return 1;
        }
        return (int) Math.min(threads, m * n * k / MIN_WORK_PER_THREAD);
    }

    /**
     * Whether a product is a dense layer's forward pass, {@code X·W} with the weights ({@code k×n},
     * stored row by row) much deeper than the batch ({@code m}), that splits its depth so that each
     * thread reads the rows of W its optimizer updates ({@code Optimizer.step} splits a parameter's
     * elements in order, and the weight gradient's rows go the same way, {@link #splitsGradientRows}).
     * Split by columns, each thread read half of every row of W after the other core had written
     * it, and the update then wrote half of what the other core held. mlp on two threads
     * (twenty-second session, per phase, µs a step): in the host's slow cross-core state Adam's
     * step 368 → 116 and the whole step 1,278 → 1,008; in the fast state the forward product
     * 143 → 190 with the block sums on one thread.
     */
    static boolean splitsWeightRows(GemmProblem g, int threads) {
        return g.bColStride() == 1 && g.k() >= DEEP_WEIGHTS * g.m() && g.k() >= (long) threads * MIN_DEPTH_PER_PART;
    }

    /** Depth over height from which a product counts as a layer's weights applied to a batch. */
    static final int DEEP_WEIGHTS = 4;

    /**
     * Whether a product is a dense layer's weight gradient, {@code Xᵀ·dY} ({@code A} transposed,
     * the batch as its depth), at least {@link #DEEP_WEIGHTS} times as tall as deep: it splits
     * C's rows, each thread writing the rows of the gradient that its optimizer update reads
     * ({@link #splitsWeightRows}). Each thread then packs all of dY, a batch of rows.
     */
    static boolean splitsGradientRows(GemmProblem g) {
        return g.aColStride() != 1 && g.m() >= DEEP_WEIGHTS * g.k() && g.m() >= g.n();
    }

    private static boolean isNarrow(GemmProblem g) {
        return g.n() <= MicroKernel.LANES && g.cColStride() == 1;
    }

    /** The whole product on this thread. */
    private static void runAll(GemmProblem g) {
        if (isNarrow(g)) {
            NarrowGemm.run(g, 0, g.m());
        } else {
            BlockedGemm.run(g, 0, g.m(), 0, g.n(), false);
        }
    }

    /**
     * Each of {@code parts} threads sums one contiguous range of p into its own {@code m×n}
     * block; then C = (C or 0) + block 0 + block 1 + ..., in that order, whatever thread
     * finished first.
     */
    private static void runDepthSplit(GemmProblem g, int parts) {
        int m = g.m();
        int n = g.n();
        int size = m * n;
        float[] partial = GemmScratch.partials(parts * size);
        Parallel.forRange(parts, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                int p0 = Parallel.chunkStart(g.k(), parts, t);
                int p1 = Parallel.chunkStart(g.k(), parts, t + 1);
                runAll(g.depthSlice(p0, p1, partial, t * size));
            }
        });
        Parallel.forRange(m, Math.max(1, MIN_SUMS_PER_THREAD / n), (from, to) ->
                PartialSums.addRows(g, partial, parts, from, to));
    }

    /**
     * Elements of C per thread from which the blocks of a depth split are summed on every thread,
     * each its own rows of C: a few microseconds of additions.
     */
    static final int MIN_SUMS_PER_THREAD = 8_192;

    private static void runParallel(GemmProblem g) {
        int m = g.m();
        int n = g.n();
        if (isNarrow(g)) {
            int rows = NarrowKernel.MR;
            long workPerTile = (long) rows * n * g.k();
            splitRows(g, 2, ceilDiv(m, rows), minTiles(workPerTile, MIN_NARROW_WORK_PER_THREAD),
                    (from, to) -> NarrowGemm.run(g, from * rows, Math.min(m, to * rows)));
            return;
        }
        int rowTiles = ceilDiv(m, MR);
        int colTiles = ceilDiv(n, NR);
        int threads = Parallel.threads();
        if (!splitsColumns(m, n, rowTiles, colTiles, threads) || splitsGradientRows(g)) {
            long workPerTile = (long) MR * n * g.k();
            splitRows(g, 3, rowTiles, minTiles(workPerTile, MIN_ROW_WORK_PER_THREAD),
                    (from, to) -> BlockedGemm.run(g, from * MR, Math.min(m, to * MR), 0, n, false));
        } else {
            long workPerTile = (long) NR * m * g.k();
            Parallel.forRange(colTiles, minTiles(workPerTile, MIN_WORK_PER_THREAD), (from, to) ->
                    BlockedGemm.run(g, 0, m, from * NR, Math.min(n, to * NR),
                            Parallel.threadNumber() % 2 == 1));
        }
    }

    /** Panels of B per thread up to which a product splits C's columns between threads. */
    static final int FEW_PANELS = 4;
    /**
     * Panels per thread from which an uneven number of them still splits well. Below it, three
     * panels on two threads give one thread twice the other's work, and rows go instead (each
     * thread then packs all of B). Two threads (thirteenth session): lenet5's 64×84×120, 120–122
     * → 127–147 GFLOP/s (1.07x–1.09x → 1.15x–1.31x of OpenBLAS).
     */
    static final int UNEVEN_PANELS_ENOUGH = 4;

    /**
     * Height over width from which C splits rows (see {@link #splitsColumns}). vgg-small's
     * {@code dense_1} weight gradient, 3136×256×64 on two threads, in the rounds where OpenBLAS ran
     * at full speed: 0.96x–0.99x of OpenBLAS with columns, 0.98x–1.03x with rows and
     * {@link CacheWarming}; its 392×64 and 576×64 convolution products read the same either way
     * (fourteenth session).
     */
    static final int TALL = 4;

    /**
     * Whether threads take ranges of C's columns rather than of its rows. A thread that takes rows
     * packs all of B ({@code k×n}); one that takes columns packs only its part of B but reads all of
     * A. So columns go when there is a panel for every thread and either B is the larger of the two
     * (a dense layer at batch 64: 64 rows against 256 columns measured a fifth faster) or each
     * thread gets at most {@link #FEW_PANELS} panels (256×256×784 on two threads: 0.86x → 1.02x of
     * OpenBLAS), and the panels share out evenly ({@link #UNEVEN_PANELS_ENOUGH}); or when there
     * are too few row tiles to go round. Squares split rows: 2048³ on two threads read 249 GFLOP/s
     * with columns split against 400 with rows (sixth session). A C at least {@link #TALL} times
     * taller than wide splits rows whatever its panels: B ({@code k×n}) is then the small operand,
     * and each thread's rows of C are whole, contiguous rows for {@link CacheWarming}.
     */
    static boolean splitsColumns(int m, int n, int rowTiles, int colTiles, int threads) {
        if (m >= TALL * n) {
            return false;
        }
        boolean fewPanelsEach = ceilDiv(colTiles, threads) <= FEW_PANELS;
        boolean evenPanels = colTiles % threads == 0 || colTiles >= UNEVEN_PANELS_ENOUGH * threads;
        if (colTiles >= threads && (n > m || fewPanelsEach) && (evenPanels || rowTiles < 2 * threads)) {
            return true;
        }
        return rowTiles < colTiles && rowTiles < 4 * threads;
    }

    /** Whole vectors with one fused multiply-add each, then the tail masked. */
    @Override
    public void planarConvolution(int rows, int cols, int cout, int terms, float[] x, int xOffset, int xRowStep,
                                  int[] xTerms, float[] w, float[] y, int yOffset) {
        PlanarConvolution.forward(rows, cols, cout, terms, x, xOffset, xRowStep, xTerms, w, y, yOffset);
    }

    @Override
    public void planarKernelGradient(int rows, int cols, int cout, int terms, float[] x, int xOffset, int xRowStep,
                                     int[] xTerms, float[] dy, int dyOffset, float[] dw, int dwOffset) {
        PlanarConvolution.kernelGradient(rows, cols, cout, terms, x, xOffset, xRowStep, xTerms, dy, dyOffset, dw,
                dwOffset);
    }

    @Override
    public void channelSums(float[] x, int offset, int rows, int channels, float[] center, boolean squared,
                            double[] out, int outOffset) {
        ChannelKernels.sums(x, offset, rows, channels, center, squared, out, outOffset);
    }

    @Override
    public void channelGradientSums(float[] dy, float[] x, int offset, int rows, int channels, float[] center,
                                    double[] out, int outOffset, float[] gateScale, float[] gateShift) {
        ChannelKernels.gradientSums(dy, x, offset, rows, channels, center, out, outOffset, gateScale, gateShift);
    }

    @Override
    public void channelAffine(float[] x, float[] out, int offset, int rows, int channels, float[] center,
                              float[] scale, float[] shift, boolean rectify) {
        ChannelKernels.affine(x, out, offset, rows, channels, center, scale, shift, rectify);
    }

    @Override
    public void channelNormalizationGradient(float[] dy, float[] x, float[] out, int offset, int rows, int channels,
                                             float[] center, float[] dyMean, float[] xScale, float[] scale,
                                             float[] gateScale, float[] gateShift) {
        ChannelKernels.normalizationGradient(dy, x, out, offset, rows, channels, center, dyMean, xScale, scale,
                gateScale, gateShift);
    }

    @Override
    public void maxPool2x2(float[] x, int first, int inRow, float[] y, int o, int outCols, int channels) {
        TiledPooling.forward(x, first, inRow, y, o, outCols, channels);
    }

    @Override
    public void maxPool2x2Gradient(float[] x, int first, int inRow, float[] y, float[] dy, int o, float[] dx,
                                   int outCols, int channels) {
        TiledPooling.backward(x, first, inRow, y, dy, o, dx, outCols, channels);
    }

    @Override
    public void addBlock(int rows, int cols, float[] src, int srcOffset, int srcStep, float[] dst, int dstOffset,
                         int dstStep, int dstEnd) {
        BlockAddition.add(rows, cols, src, srcOffset, srcStep, dst, dstOffset, dstStep, dstEnd);
    }

    /** As the scalar twin: {@code acc + x*0} in every lane stays 0 unless some x is NaN or infinite. */
    @Override
    public boolean allFinite(float[] x, int offset, int n) {
        var species = FloatVector.SPECIES_PREFERRED;
        FloatVector zero = FloatVector.zero(species);
        FloatVector acc = zero;
        int i = 0;
        for (int bound = species.loopBound(n); i < bound; i += species.length()) {
            acc = FloatVector.fromArray(species, x, offset + i).fma(zero, acc);
        }
        float tail = 0;
        for (; i < n; i++) {
            tail += x[offset + i] * 0f;
        }
        return acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD) + tail == 0;
    }

    /**
     * Products up to this many multiply-adds let {@link Parallel#forRangeTimed} decide from timings
     * whether their rows split between threads: a few microseconds per thread, where a hand-off's
     * cost (0.2 to over 2 µs on this project's VMs, changing with the host) decides it. Larger ones
     * always split.
     */
    static final long TIMED_WORK = 1 << 21;

    /**
     * {@code body} over {@code [0, items)} (tiles or rows of C) as {@link Parallel#forRange}, or,
     * for a product up to {@link #TIMED_WORK}, split or whole as timings say. Only for splits
     * whose rows come out the same bits on any thread ({@code path}: which one).
     */
    private static void splitRows(GemmProblem g, int path, int items, int minItems, Parallel.RangeBody body) {
        if ((long) g.m() * g.n() * g.k() <= TIMED_WORK) {
            Parallel.forRangeTimed(shapeKey(g, path), items, minItems, body);
        } else {
            Parallel.forRange(items, minItems, body);
        }
    }

    /**
     * Tells apart, for {@link Parallel#forRangeTimed}, products of different sizes, layouts or
     * paths ({@code path}: which split of {@link #gemm} times it). Two products that share a key
     * share their timings, which can only cost speed.
     */
    private static long shapeKey(GemmProblem g, int path) {
        long key = ((long) g.m() << 42) ^ ((long) g.n() << 21) ^ g.k();
        int layout = (g.aColStride() == 1 ? 1 : 0) | (g.bColStride() == 1 ? 2 : 0) | (g.cColStride() == 1 ? 4 : 0)
                | (g.accumulate() ? 8 : 0);
        return key * 64 + layout * 4 + path;
    }

    private static int minTiles(long workPerTile, long minWork) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, minWork / workPerTile));
    }

    @Override
    public void softmaxRows(float[] x, float[] y, int offset, int rows, int n) {
        RowSoftmax.rows(x, y, offset, rows, n);
    }
}
