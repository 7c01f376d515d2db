package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.GemmScratch.ceilDiv;
import static org.jvision.kernel.vector.MicroKernel.LANES;
import static org.jvision.kernel.vector.MicroKernel.SPECIES;
import static org.jvision.kernel.vector.TenColumnKernel.GROUP;
import static org.jvision.kernel.vector.TenColumnKernel.GROUP_SIZE;
import static org.jvision.kernel.vector.TenColumnKernel.PAIRS;
import static org.jvision.kernel.vector.TenColumnKernel.ROWS;
import static org.jvision.kernel.vector.TenColumnKernel.ROW_SIZE;

import java.util.Arrays;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Products with a C of nine or ten columns, on 16-lane vectors: a 10-class head's forward product
 * (a row-major A, on the {@link TenColumnKernel}; 64×10×84 to 64×10×256 at batch 64) and its
 * weight gradient (a transposed A, on the {@link TransposedTenColumnKernel}; see
 * {@link #runTransposedA}). The forward product:
 *
 * <pre>
 * pack B (k×n) into groups of eight depths, five column pairs each
 * for chunks of up to CHUNK_ROWS rows of C
 *   for strips of three rows: the tile's sums, eight lanes per output, into scratch
 *   add up each output's eight lanes, sixteen outputs at a time, into C
 * </pre>
 *
 * <p>The whole depth is one pass: a k×10 B packs into {@code 20·k} floats, which stay in L1 or L2
 * for the heads this is for. Each output is summed in an order fixed by k alone, so results do not
 * depend on how rows are split between threads.
 *
 * <p>One thread, 64×10×128 (probes of the kernel with this scheme; Zen 4): the tile and the sums
 * 1.77 µs, packing B by gathers 0.68 µs more and by two-vector selections ({@link #packB}) 0.33,
 * against 3.92 µs on the {@link NarrowKernel} and about 2.7 for OpenBLAS.
 */
final class TenColumnGemm {
    /**
     * Rows of C per round of tiles and sums (their sums take 15 KiB): a multiple of the tile's
     * three rows, and of eight, so that a chunk's outputs fill whole vectors of sixteen.
     */
    static final int CHUNK_ROWS = 48;

    /**
     * Lane indices for the two-vector selections, as ints over the floats' bits. With float indices
     * each selection also converted its index vector: storing a 128×10×64 weight gradient's C took
     * 0.42 µs instead of 0.29, and a 64×10×128 forward product 2.4 µs instead of 2.1 (one thread,
     * twenty-third session, Zen 4).
     */
    private static final VectorSpecies<Integer> INDEX = SPECIES.withLanes(int.class);
    /** For each column pair, the four index vectors that pick its lanes out of a group's five source vectors. */
    private static final int[] SELECT = selectIndices();
    /** The reduction's lane masks and swaps, level by level: lanes 4 apart, then 2, then 1. */
    private static final VectorMask<Float> BY4 = lanesWithBit(4);
    private static final VectorMask<Float> BY2 = lanesWithBit(2);
    private static final VectorMask<Float> BY1 = lanesWithBit(1);
    private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromOp(SPECIES, i -> i ^ 4);
    private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(SPECIES, i -> i ^ 2);
    private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(SPECIES, i -> i ^ 1);
    /** Puts the reduction's sixteen outputs back in order. */
    private static final VectorShuffle<Float> ORDER = VectorShuffle.fromArray(SPECIES, outputLanes(), 0);
    /** For each of eight rows' five output vectors, the four index vectors that gather it from the column pairs. */
    private static final int[] UNPAIR = unpairIndices();
    /**
     * Index vectors pairing two vectors' halves: the first takes both low halves (lanes 0-7 of the
     * first vector, then of the second), the second both high halves.
     */
    private static final int[] PAIR_HALVES = pairHalves();

    private TenColumnGemm() {
    }

    /**
     * Whether this path takes the product: 16 lanes, nine or ten columns, and either a row-major A
     * over 16 depths or more, or a transposed A with a row-major B.
     */
    static boolean handles(GemmProblem g) {
        if (LANES != 16 || g.cColStride() != 1 || (g.n() != 9 && g.n() != 10)) {
            return false;
        }
        return g.aColStride() == 1 ? g.k() >= LANES : g.aRowStride() == 1 && g.bColStride() == 1;
    }

    /** Computes rows {@code [rowFrom, rowTo)} of C (all its columns). */
    static void run(GemmProblem g, int rowFrom, int rowTo) {
        if (g.aColStride() != 1) {
            runTransposedA(g, rowFrom, rowTo);
            return;
        }
        int k = g.k();
        int groups = ceilDiv(k, GROUP);
        // Sums: the last strip may run two rows past the chunk, and the last sixteen outputs' eight
        // vectors past the rows written; what they read there is summed only into dropped outputs.
        GemmScratch scratch = GemmScratch.forTenColumns(groups * GROUP_SIZE, (CHUNK_ROWS + ROWS) * ROW_SIZE + 8 * LANES);
        float[] b = scratch.packedB;
        packB(g, groups, b);
        float[] a = g.a();
        int lda = g.aRowStride();
        for (int r0 = rowFrom; r0 < rowTo; r0 += CHUNK_ROWS) {
            int rows = Math.min(CHUNK_ROWS, rowTo - r0);
            for (int i = 0; i < rows; i += ROWS) {
                TenColumnKernel.multiply(k, a, g.aOffset() + (r0 + i) * lda, lda, Math.min(ROWS, rows - i), b,
                        scratch.sums, i * ROW_SIZE, scratch.tail);
            }
            store(scratch.sums, rows, g, r0, scratch.tile);
        }
    }

    /**
     * A transposed A ({@code A[r][p]} at {@code aOffset + p·lda + r}) on the
     * {@link TransposedTenColumnKernel}, 32 rows of C at a time. Where the last tile of the range
     * would read past A's last column, it moves back to end there, recomputing rows that an earlier
     * tile (or another thread) has stored, and stores only its own: each element is summed in the
     * same order in either tile. Only an A of fewer than 32 columns is copied.
     */
    private static void runTransposedA(GemmProblem g, int rowFrom, int rowTo) {
        int k = g.k();
        int n = g.n();
        int ldc = g.cRowStride();
        float[] a = g.a();
        float[] c = g.c();
        int lda = g.aColStride();
        int rowsOfA = g.m();
        int tileRows = TransposedTenColumnKernel.ROWS;
        GemmScratch scratch = GemmScratch.forTenColumns(rowsOfA < tileRows ? k * tileRows : 0, 2 * PAIRS * tileRows);
        float[] out = scratch.sums;
        boolean add = g.accumulate();
        for (int r0 = rowFrom; r0 < rowTo; r0 += tileRows) {
            int start = Math.max(0, Math.min(r0, rowsOfA - tileRows));
            if (rowsOfA >= tileRows) {
                TransposedTenColumnKernel.multiply(k, a, g.aOffset() + start, lda, g.b(), g.bOffset(), g.bRowStride(),
                        n, out);
            } else {
                float[] strip = scratch.packedB;
                for (int p = 0; p < k; p++) {
                    for (int r = 0; r < tileRows; r++) {
                        strip[p * tileRows + r] = r < rowsOfA ? a[g.aOffset() + p * lda + r] : 0f;
                    }
                }
                TransposedTenColumnKernel.multiply(k, strip, 0, tileRows, g.b(), g.bOffset(), g.bRowStride(), n, out);
            }
            int end = Math.min(rowTo, r0 + tileRows);
            if (n == 2 * PAIRS && ldc == n) {
                storeTransposedTile(out, r0 - start, end - start, c, g.cOffset() + start * ldc, add, scratch.tail);
                continue;
            }
            for (int row = r0; row < end; row++) {
                int ci = g.cOffset() + row * ldc;
                int o = row - start;
                for (int j = 0; j < n; j++) {
                    float v = out[j * tileRows + o];
                    c[ci + j] = add ? c[ci + j] + v : v;
                }
            }
        }
    }

    /**
     * Rows {@code [from, to)} of a {@link TransposedTenColumnKernel} tile ({@code out[j·32 + r]})
     * into ten-column rows of C that lie end to end from {@code cTile} (the tile's row 0), eight
     * rows (80 floats, five vectors) at a time: each column pair's eight rows become one vector (a
     * selection from two loads), and the five pair vectors become C's five by four two-vector
     * selections each, the inverse of {@link #packGroups}. A vector at an edge of the range is
     * stored element by element. The element-by-element copy this replaces took a third of a
     * 128×10×64 product on one thread: 0.8 of 2.47 µs, then 0.5 of 2.18 (seventeenth session, Zen
     * 4), now 0.3 of 2.0 with int indices (twenty-third). Gathers from the tile were no faster than
     * that copy (6.5 ns per vector of sixteen).
     */
    private static void storeTransposedTile(float[] out, int from, int to, float[] c, int cTile, boolean add,
            float[] spare) {
        int rows = TransposedTenColumnKernel.ROWS;
        int lo = from * 2 * PAIRS;
        int hi = to * 2 * PAIRS;
        for (int r = from / GROUP * GROUP; r < to; r += GROUP) {
            // Lanes 0-7: rows r..r+7 of column 2v; lanes 8-15: the same rows of column 2v+1.
            FloatVector p0 = pairOfColumns(out, 0, r, rows);
            FloatVector p1 = pairOfColumns(out, 1, r, rows);
            FloatVector p2 = pairOfColumns(out, 2, r, rows);
            FloatVector p3 = pairOfColumns(out, 3, r, rows);
            FloatVector p4 = pairOfColumns(out, 4, r, rows);
            for (int i = 0; i < PAIRS; i++) {
                // The chain packGroups uses, written out again: as a shared helper taking five
                // vectors it boxed them, and the product took 3.63 µs instead of 2.18.
                int x = i * 4 * LANES;
                FloatVector t = select(UNPAIR, x, p0, p1);
                t = select(UNPAIR, x + LANES, t, p2);
                t = select(UNPAIR, x + 2 * LANES, t, p3);
                t = select(UNPAIR, x + 3 * LANES, t, p4);
                int f = r * 2 * PAIRS + i * LANES;
                if (f >= lo && f + LANES <= hi) {
                    (add ? t.add(FloatVector.fromArray(SPECIES, c, cTile + f)) : t).intoArray(c, cTile + f);
                } else if (f + LANES > lo && f < hi) {
                    // An edge of the range, element by element from a spare vector. Stored through
                    // a mask from indexInRange, it allocated 64 bytes a call once other products
                    // had fed that method's profile (the mask boxed; WarmKernelAllocationTest).
                    t.intoArray(spare, 0);
                    for (int l = Math.max(lo - f, 0); l < Math.min(hi - f, LANES); l++) {
                        c[cTile + f + l] = add ? c[cTile + f + l] + spare[l] : spare[l];
                    }
                }
            }
        }
    }

    /**
     * Rows {@code [r, r + 8)} of columns 2v and 2v + 1 of a transposed tile, in one vector's low and
     * high halves: one selection from the two vectors the kernel stored, read back where they were
     * stored.
     */
    private static FloatVector pairOfColumns(float[] out, int v, int r, int rows) {
        int vector = r & -LANES;
        FloatVector even = FloatVector.fromArray(SPECIES, out, 2 * v * rows + vector);
        FloatVector odd = FloatVector.fromArray(SPECIES, out, (2 * v + 1) * rows + vector);
        return select(PAIR_HALVES, 2 * (r - vector), even, odd);
    }

    /** Lane l of the result: lane {@code indices[at + l]} of x, or of y less 16 where that is 16 or more. */
    private static FloatVector select(int[] indices, int at, FloatVector x, FloatVector y) {
        return IntVector.fromArray(INDEX, indices, at).selectFrom(x.reinterpretAsInts(), y.reinterpretAsInts())
                .reinterpretAsFloats();
    }

    private static int[] pairHalves() {
        int[] indices = new int[2 * LANES];
        for (int half = 0; half < 2; half++) {
            for (int l = 0; l < LANES; l++) {
                indices[half * LANES + l] = half * GROUP + (l < GROUP ? l : LANES + l - GROUP);
            }
        }
        return indices;
    }

    /**
     * Index vectors for {@link #storeTransposedTile}'s selections: output lane l of vector i is
     * C's float {@code f = 16i + l} of the eight rows, row {@code f / 10} of column {@code f mod 10},
     * so lane {@code 8·(j mod 2) + row} of pair vector {@code j / 2}. Chained as in
     * {@link #selectIndices}: the first selection takes pairs 0 and 1, each later one keeps the
     * lanes found so far (index l) or takes its new pair's (16 + lane).
     */
    private static int[] unpairIndices() {
        int[] indices = new int[PAIRS * 4 * LANES];
        for (int i = 0; i < PAIRS; i++) {
            for (int l = 0; l < LANES; l++) {
                int f = i * LANES + l;
                int column = f % (2 * PAIRS);
                int pair = column / 2;
                int lane = (column % 2) * GROUP + f / (2 * PAIRS);
                indices[(i * 4) * LANES + l] = pair == 0 ? lane : pair == 1 ? LANES + lane : 0;
                for (int step = 1; step < 4; step++) {
                    indices[(i * 4 + step) * LANES + l] = pair == step + 1 ? LANES + lane : l;
                }
            }
        }
        return indices;
    }

    /**
     * Runs every branch (depth tails of none, up to eight and more than eight; A's tail in place
     * and copied; ragged strips; nine and ten columns; dense and element-wise stores; overwrite and
     * accumulate; B packed by selections and element by element) until C2 has compiled it from a
     * complete profile, as {@link VectorKernels} does for the other kernels. The depths are those
     * of real heads: warmed on depths of 16 to 29, whose loop ran once or twice a call, C2
     * compiled a kernel that took 2.8 µs instead of 1.9 on 64×10×84 (thirteenth session).
     */
    static void warmUp() {
        int[] depths = {128, 84, 109};
        float[] a = new float[7 * 128];
        float[] b = new float[128 * 11];
        float[] c = new float[40 * 11];
        for (int i = 0; i < 4_000; i++) {
            int k = depths[i % depths.length];
            int m = (i & 4) == 0 ? 7 : 6;
            int n = (i & 8) == 0 ? 10 : 9;
            int ldb = (i & 16) == 0 ? n : 11;
            int ldc = (i & 32) == 0 ? n : 11;
            var g = GemmProblem.of(false, false, m, n, k, a, 0, k, b, 0, ldb, c, 0, ldc, (i & 64) == 0);
            run(g, 0, m);
            // A transposed: 40 rows (a whole tile and one moved back) or 6 (a copied strip).
            int rows = (i & 128) == 0 ? 40 : 6;
            var t = GemmProblem.of(true, false, rows, n, 16, a, 0, rows, b, 0, ldb, c, 0, ldc, (i & 64) == 0);
            run(t, 0, rows);
        }
    }

    /**
     * Adds up the eight lanes of each output, sixteen outputs (eight vectors of sums) at a time, and
     * writes them to rows {@code [r0, r0 + rows)} of C. Outputs run row by row, ten to a row: with
     * ten columns and rows ten floats apart that is C's own order, stored a vector at a time.
     */
    private static void store(float[] sums, int rows, GemmProblem g, int r0, float[] tile) {
        float[] c = g.c();
        int n = g.n();
        int ldc = g.cRowStride();
        int outputs = rows * 2 * PAIRS;
        boolean add = g.accumulate();
        boolean dense = n == 2 * PAIRS && ldc == n;
        int cBase = g.cOffset() + r0 * ldc;
        for (int o = 0; o < outputs; o += LANES) {
            int s = o * GROUP;
            FloatVector low = merge(merge(FloatVector.fromArray(SPECIES, sums, s),
                            FloatVector.fromArray(SPECIES, sums, s + LANES), BY4, SWAP4),
                    merge(FloatVector.fromArray(SPECIES, sums, s + 2 * LANES),
                            FloatVector.fromArray(SPECIES, sums, s + 3 * LANES), BY4, SWAP4), BY2, SWAP2);
            FloatVector high = merge(merge(FloatVector.fromArray(SPECIES, sums, s + 4 * LANES),
                            FloatVector.fromArray(SPECIES, sums, s + 5 * LANES), BY4, SWAP4),
                    merge(FloatVector.fromArray(SPECIES, sums, s + 6 * LANES),
                            FloatVector.fromArray(SPECIES, sums, s + 7 * LANES), BY4, SWAP4), BY2, SWAP2);
            FloatVector sum = merge(low, high, BY1, SWAP1).rearrange(ORDER);
            int count = Math.min(LANES, outputs - o);
            int ci = cBase + o;
            if (dense && count == LANES && ci + LANES <= c.length) {
                (add ? sum.add(FloatVector.fromArray(SPECIES, c, ci)) : sum).intoArray(c, ci);
                continue;
            }
            // A ragged end, nine columns or padded rows: element by element.
            sum.intoArray(tile, 0);
            for (int q = 0; q < count; q++) {
                int row = (o + q) / (2 * PAIRS);
                int col = (o + q) % (2 * PAIRS);
                if (col < n) {
                    int at = cBase + row * ldc + col;
                    c[at] = add ? c[at] + tile[q] : tile[q];
                }
            }
        }
    }

    /**
     * Two vectors of partial sums into one: lanes where {@code mask} is set come from y, the others
     * from x, each plus its partner {@code swap} lanes away in the other. Applied with 4, 2 and 1,
     * eight vectors of two outputs over eight lanes become one of sixteen outputs.
     */
    private static FloatVector merge(FloatVector x, FloatVector y, VectorMask<Float> mask, VectorShuffle<Float> swap) {
        return x.blend(y, mask).add(y.blend(x, mask).rearrange(swap));
    }

    /**
     * B's depths in groups of eight, each group five vectors (column pairs), lane {@code 8h + d} of
     * vector v holding {@code B[8g + d][2v + h]}, zero past column n and past depth k. Through
     * {@link #packGroups}, which {@link TenDepthGemm} shares.
     */
    static void packB(GemmProblem g, int groups, float[] dst) {
        packGroups(g.b(), g.bOffset(), g.k(), g.n(), g.bRowStride(), g.bColStride(), groups, dst);
    }

    /**
     * A matrix of at most ten columns ({@code M[r][j]} at {@code offset + r·rowStride + j·colStride})
     * in groups of eight rows, each group five vectors, lane {@code 8h + d} of vector v holding
     * {@code M[8g + d][2v + h]}, zero past column {@code cols} and past row {@code rows}. Ten
     * contiguous columns (a dense layer's weights) pack their whole groups (80 contiguous floats,
     * five vectors) by four two-vector selections per output vector; the rest goes element by
     * element. A last group of fewer than eight such rows is copied first where its packing goes,
     * zero-padded, and packed there in place: element by element it took a 64×10×84 product's
     * packing from 0.08 to 0.19 µs (LeNet's 84 rows; one thread, Zen 4). The copy is made before
     * the loop: inside it, the calls kept C2 from hoisting the index vectors' loads (80 rows 0.08
     * → 0.17 µs).
     */
    static void packGroups(float[] b, int offset, int rows, int cols, int rowStride, int colStride, int groups,
                           float[] dst) {
        int whole = 0;
        if (cols == 2 * PAIRS && colStride == 1 && rowStride == cols) {
            whole = rows / GROUP;
            int copied = whole < groups && whole * GROUP < rows ? whole : -1;
            if (copied >= 0) {
                int count = (rows - whole * GROUP) * cols;
                System.arraycopy(b, offset + whole * GROUP * cols, dst, whole * GROUP_SIZE, count);
                Arrays.fill(dst, whole * GROUP_SIZE + count, (whole + 1) * GROUP_SIZE, 0f);
                whole++;
            }
            for (int gi = 0; gi < whole; gi++) {
                float[] src = gi == copied ? dst : b;
                int from = gi == copied ? gi * GROUP_SIZE : offset + gi * GROUP * cols;
                FloatVector s0 = FloatVector.fromArray(SPECIES, src, from);
                FloatVector s1 = FloatVector.fromArray(SPECIES, src, from + LANES);
                FloatVector s2 = FloatVector.fromArray(SPECIES, src, from + 2 * LANES);
                FloatVector s3 = FloatVector.fromArray(SPECIES, src, from + 3 * LANES);
                FloatVector s4 = FloatVector.fromArray(SPECIES, src, from + 4 * LANES);
                for (int v = 0; v < PAIRS; v++) {
                    int x = v * 4 * LANES;
                    FloatVector t = select(SELECT, x, s0, s1);
                    t = select(SELECT, x + LANES, t, s2);
                    t = select(SELECT, x + 2 * LANES, t, s3);
                    t = select(SELECT, x + 3 * LANES, t, s4);
                    t.intoArray(dst, gi * GROUP_SIZE + v * LANES);
                }
            }
        }
        for (int gi = whole; gi < groups; gi++) {
            for (int lane = 0; lane < GROUP_SIZE; lane++) {
                int r = gi * GROUP + lane % GROUP;
                int j = lane / GROUP;
                dst[gi * GROUP_SIZE + lane] = r < rows && j < cols ? b[offset + r * rowStride + j * colStride] : 0f;
            }
        }
    }

    /**
     * Index vectors for {@link #packGroups}' selections. Output lane l of pair v wants flat element
     * {@code (l mod 8)·10 + 2v + l/8} of the group's 80 floats, that is lane {@code f mod 16} of
     * source {@code f / 16}: the first selection takes sources 0 and 1, each later one keeps the
     * lanes found so far (index l) or takes its new source's (16 + lane).
     */
    private static int[] selectIndices() {
        int[] indices = new int[PAIRS * 4 * LANES];
        for (int v = 0; v < PAIRS; v++) {
            for (int l = 0; l < LANES; l++) {
                int f = (l % GROUP) * 2 * PAIRS + 2 * v + l / GROUP;
                int source = f / LANES;
                int lane = f % LANES;
                indices[(v * 4) * LANES + l] = source <= 1 ? f : 0;
                for (int step = 1; step < 4; step++) {
                    indices[(v * 4 + step) * LANES + l] = source == step + 1 ? LANES + lane : l;
                }
            }
        }
        return indices;
    }

    private static VectorMask<Float> lanesWithBit(int bit) {
        boolean[] set = new boolean[LANES];
        for (int l = 0; l < LANES; l++) {
            set[l] = (l & bit) != 0;
        }
        return VectorMask.fromArray(SPECIES, set, 0);
    }

    /**
     * Where the reduction leaves each output: follows {@link #store}'s three levels of
     * {@link #merge} on labels (vector i holds outputs 2i and 2i + 1 in its low and high halves)
     * and returns, for each output, its lane.
     *
     * <p>On other than 16 lanes {@link #handles} turns every product away, but the class is still
     * loaded to ask it, so the table must load too: there it is the identity. (The sixteen labels
     * overran eight lanes, and every product of nine or ten columns, or of up to eight on the
     * narrow path, then failed on AVX2 machines.)
     */
    private static int[] outputLanes() {
        if (LANES != 16) {
            return IntStream.range(0, LANES).toArray();
        }
        int[][] labels = new int[8][LANES];
        for (int i = 0; i < 8; i++) {
            for (int l = 0; l < LANES; l++) {
                labels[i][l] = 2 * i + l / GROUP;
            }
        }
        // Pairs (0,1), (2,3), ... by 4; then (01, 23), (45, 67) by 2; then the two by 1.
        for (int bit = 4; bit >= 1; bit /= 2) {
            int[][] next = new int[labels.length / 2][LANES];
            for (int q = 0; q < next.length; q++) {
                for (int l = 0; l < LANES; l++) {
                    next[q][l] = (l & bit) != 0 ? labels[2 * q + 1][l] : labels[2 * q][l];
                }
            }
            labels = next;
        }
        int[] lanes = new int[LANES];
        for (int l = 0; l < LANES; l++) {
            lanes[labels[0][l]] = l;
        }
        return lanes;
    }
}
