package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.GemmScratch.ceilDiv;
import static org.jvision.kernel.vector.MicroKernel.LANES;
import static org.jvision.kernel.vector.MicroKernel.SPECIES;
import static org.jvision.kernel.vector.TenColumnKernel.GROUP;
import static org.jvision.kernel.vector.TenColumnKernel.GROUP_SIZE;

import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Products over a depth of nine or ten with a transposed B, on 16-lane vectors: a 10-class head's
 * input gradient {@code dY·Wᵀ} (64×128×10 at batch 64), where C is as wide as the layer's input
 * and every element of it is a sum of only ten products.
 *
 * <p>{@code W} (B's transpose, the weights as stored) is packed by
 * {@link TenColumnGemm#packGroups}: for eight of C's columns, five vectors, lane {@code 8h + d} of
 * vector v holding {@code W[j0 + d][2v + h]}. A row of A (ten floats) is loaded once and turned
 * into five vectors, each two of its values repeated over eight lanes ({@link #PAIRS}). Sixteen
 * columns of C are then ten multiply-adds into two accumulators, whose halves, added
 * ({@link #HALVES}), are the sixteen sums in order: every lane busy, no broadcast, and no tile to
 * set up for ten steps of p.
 */
final class TenDepthGemm {
    /** Shuffles making lanes {@code 2v} and {@code 2v + 1} of a vector its low and high halves. */
    private static final VectorShuffle<Float> PAIR0 = pair(0);
    private static final VectorShuffle<Float> PAIR1 = pair(1);
    private static final VectorShuffle<Float> PAIR2 = pair(2);
    private static final VectorShuffle<Float> PAIR3 = pair(3);
    private static final VectorShuffle<Float> PAIR4 = pair(4);
    /**
     * Lanes 8-15 of the low group's sums, then lanes 0-7 of the high group's: added to a blend of
     * the two, the sixteen sums in order. One selection (int indices) instead of a blend and a
     * rearrangement; with each group's five products in one chain, 64×128×10 takes 1.77 µs instead
     * of 1.85 and 64×84×10 1.33 instead of 1.38 (one thread, alternating in one JVM;
     * twenty-third session, Zen 4).
     */
    private static final int[] CROSS = IntStream.range(0, LANES).map(l -> l + GROUP).toArray();
    private static final VectorSpecies<Integer> INDEX = SPECIES.withLanes(int.class);
    private static final VectorMask<Float> HALVES = MaskedAccess.first(GROUP).not();

    /** Rows of C computed together. */
    private static final int ROWS = 3;

    private TenDepthGemm() {
    }

    /**
     * Whether this path takes the product: 16 lanes, a depth of nine or ten, a row-major A and C,
     * a transposed B (W's rows contiguous) at least a vector wide, and C overwritten, as every
     * layer's input gradient is (reading C to add to it made {@link #run} too large to compile).
     */
    static boolean handles(GemmProblem g) {
        return LANES == 16 && (g.k() == 9 || g.k() == 10) && g.n() >= LANES && g.aColStride() == 1
                && g.bRowStride() == 1 && g.cColStride() == 1 && !g.accumulate();
    }

    /** Computes rows {@code [rowFrom, rowTo)} of C (all its columns). */
    static void run(GemmProblem g, int rowFrom, int rowTo) {
        int n = g.n();
        int k = g.k();
        int groups = ceilDiv(n, GROUP);
        GemmScratch scratch = GemmScratch.forTenColumns(groups * GROUP_SIZE, 0);
        float[] w = scratch.packedB;
        TenColumnGemm.packGroups(g.b(), g.bOffset(), n, k, g.bColStride(), 1, groups, w);
        float[] a = g.a();
        int lda = g.aRowStride();
        int ldc = g.cRowStride();
        int last = rowTo - 1;
        float[] c = g.c();
        int whole = n / LANES;
        int rest = n - whole * LANES;
        VectorMask<Float> ragged = MaskedAccess.first(rest);
        VectorMask<Float> past = MaskedAccess.first(k).not();
        // A row too near A's end for a whole vector (its last row, if fewer than 16 floats follow
        // its start) is read from a zero-padded copy made before the loop. Copied in the loop, the
        // branch and its loads, with three rows and C read to add to, made the kernel too large
        // for C1's profiling compilation, which gave up on it ("out of virtual registers"), and
        // then C2 never compiled it either: 140 µs a call (twenty-fifth session).
        int copied = rowTo;
        while (copied > rowFrom && g.aOffset() + (copied - 1) * lda + LANES > a.length) {
            copied--;
        }
        for (int row = copied; row < rowTo; row++) {
            copyRow(a, g.aOffset() + row * lda, k, scratch.tail, (row - copied) * LANES);
        }
        // Three rows at a time: they share each load of W. One row left the core waiting on each
        // multiply-add's latency (64×128×10, one thread, 3.25 µs); two rows made W's loads the
        // bound wherever a 512-bit load crossed a cache line, which is where the packed W happened
        // to land (64×84×10: 1.30-1.57 µs by placement, against 1.29-1.40 for three rows;
        // twenty-fifth session, Zen 4). Four rows spill.
        for (int i = rowFrom; i < rowTo; i += ROWS) {
            boolean second = i + 1 < rowTo;
            boolean third = i + 2 < rowTo;
            // Rows i to i + 2 of A (the last row again past rowTo), each read in place, or from
            // its copy if it is one of the last; lanes past k zero.
            int yRow = Math.min(i + 1, last);
            int zRow = Math.min(i + 2, last);
            float[] xs = i < copied ? a : scratch.tail;
            float[] ys = yRow < copied ? a : scratch.tail;
            float[] zs = zRow < copied ? a : scratch.tail;
            int xi = i < copied ? g.aOffset() + i * lda : (i - copied) * LANES;
            int yi = yRow < copied ? g.aOffset() + yRow * lda : (yRow - copied) * LANES;
            int zi = zRow < copied ? g.aOffset() + zRow * lda : (zRow - copied) * LANES;
            FloatVector x = FloatVector.fromArray(SPECIES, xs, xi).blend(0f, past);
            FloatVector y = FloatVector.fromArray(SPECIES, ys, yi).blend(0f, past);
            FloatVector z = FloatVector.fromArray(SPECIES, zs, zi).blend(0f, past);
            FloatVector x0 = x.rearrange(PAIR0), x1 = x.rearrange(PAIR1), x2 = x.rearrange(PAIR2);
            FloatVector x3 = x.rearrange(PAIR3), x4 = x.rearrange(PAIR4);
            FloatVector y0 = y.rearrange(PAIR0), y1 = y.rearrange(PAIR1), y2 = y.rearrange(PAIR2);
            FloatVector y3 = y.rearrange(PAIR3), y4 = y.rearrange(PAIR4);
            FloatVector z0 = z.rearrange(PAIR0), z1 = z.rearrange(PAIR1), z2 = z.rearrange(PAIR2);
            FloatVector z3 = z.rearrange(PAIR3), z4 = z.rearrange(PAIR4);
            int ci = g.cOffset() + i * ldc;
            // Each vector of W, once loaded, goes into all three rows' chains before the next. The
            // group sums are written out in full: as a helper returning a vector, C2 did not inline
            // them and boxed every result (89 KB a call).
            for (int q = 0; q < whole; q++) {
                int wi = 2 * q * GROUP_SIZE;
                FloatVector xLow, yLow, zLow, xHigh, yHigh, zHigh;
                FloatVector wv = FloatVector.fromArray(SPECIES, w, wi);
                xLow = x0.mul(wv); yLow = y0.mul(wv); zLow = z0.mul(wv);
                wv = FloatVector.fromArray(SPECIES, w, wi + LANES);
                xLow = x1.fma(wv, xLow); yLow = y1.fma(wv, yLow); zLow = z1.fma(wv, zLow);
                wv = FloatVector.fromArray(SPECIES, w, wi + 2 * LANES);
                xLow = x2.fma(wv, xLow); yLow = y2.fma(wv, yLow); zLow = z2.fma(wv, zLow);
                wv = FloatVector.fromArray(SPECIES, w, wi + 3 * LANES);
                xLow = x3.fma(wv, xLow); yLow = y3.fma(wv, yLow); zLow = z3.fma(wv, zLow);
                wv = FloatVector.fromArray(SPECIES, w, wi + 4 * LANES);
                xLow = x4.fma(wv, xLow); yLow = y4.fma(wv, yLow); zLow = z4.fma(wv, zLow);
                wv = FloatVector.fromArray(SPECIES, w, wi + GROUP_SIZE);
                xHigh = x0.mul(wv); yHigh = y0.mul(wv); zHigh = z0.mul(wv);
                wv = FloatVector.fromArray(SPECIES, w, wi + GROUP_SIZE + LANES);
                xHigh = x1.fma(wv, xHigh); yHigh = y1.fma(wv, yHigh); zHigh = z1.fma(wv, zHigh);
                wv = FloatVector.fromArray(SPECIES, w, wi + GROUP_SIZE + 2 * LANES);
                xHigh = x2.fma(wv, xHigh); yHigh = y2.fma(wv, yHigh); zHigh = z2.fma(wv, zHigh);
                wv = FloatVector.fromArray(SPECIES, w, wi + GROUP_SIZE + 3 * LANES);
                xHigh = x3.fma(wv, xHigh); yHigh = y3.fma(wv, yHigh); zHigh = z3.fma(wv, zHigh);
                wv = FloatVector.fromArray(SPECIES, w, wi + GROUP_SIZE + 4 * LANES);
                xHigh = x4.fma(wv, xHigh); yHigh = y4.fma(wv, yHigh); zHigh = z4.fma(wv, zHigh);
                IntVector cross = IntVector.fromArray(INDEX, CROSS, 0);
                FloatVector xSum = xLow.blend(xHigh, HALVES).add(
                        cross.selectFrom(xLow.reinterpretAsInts(), xHigh.reinterpretAsInts()).reinterpretAsFloats());
                FloatVector ySum = yLow.blend(yHigh, HALVES).add(
                        cross.selectFrom(yLow.reinterpretAsInts(), yHigh.reinterpretAsInts()).reinterpretAsFloats());
                FloatVector zSum = zLow.blend(zHigh, HALVES).add(
                        cross.selectFrom(zLow.reinterpretAsInts(), zHigh.reinterpretAsInts()).reinterpretAsFloats());
                int at = ci + q * LANES;
                xSum.intoArray(c, at);
                if (second) {
                    ySum.intoArray(c, at + ldc);
                }
                if (third) {
                    zSum.intoArray(c, at + 2 * ldc);
                }
            }
            if (rest > 0) {
                // The ragged last columns: one group or two, stored through a mask. Stored element
                // by element, 64×84×10 took 1.70 µs instead of 1.53 (one thread; twenty-third
                // session, Zen 4). In the loop over whole vectors, choosing the mask per vector:
                // 1.82 µs instead of 1.35; in a loop of their own, eight columns at a time, with a
                // mask each: 1.80 µs (twenty-fifth session).
                int wi = 2 * whole * GROUP_SIZE;
                FloatVector xLow, yLow, zLow;
                FloatVector wv = FloatVector.fromArray(SPECIES, w, wi);
                xLow = x0.mul(wv); yLow = y0.mul(wv); zLow = z0.mul(wv);
                wv = FloatVector.fromArray(SPECIES, w, wi + LANES);
                xLow = x1.fma(wv, xLow); yLow = y1.fma(wv, yLow); zLow = z1.fma(wv, zLow);
                wv = FloatVector.fromArray(SPECIES, w, wi + 2 * LANES);
                xLow = x2.fma(wv, xLow); yLow = y2.fma(wv, yLow); zLow = z2.fma(wv, zLow);
                wv = FloatVector.fromArray(SPECIES, w, wi + 3 * LANES);
                xLow = x3.fma(wv, xLow); yLow = y3.fma(wv, yLow); zLow = z3.fma(wv, zLow);
                wv = FloatVector.fromArray(SPECIES, w, wi + 4 * LANES);
                xLow = x4.fma(wv, xLow); yLow = y4.fma(wv, yLow); zLow = z4.fma(wv, zLow);
                FloatVector xHigh = xLow, yHigh = yLow, zHigh = zLow;
                if (rest > GROUP) {
                    wv = FloatVector.fromArray(SPECIES, w, wi + GROUP_SIZE);
                    xHigh = x0.mul(wv); yHigh = y0.mul(wv); zHigh = z0.mul(wv);
                    wv = FloatVector.fromArray(SPECIES, w, wi + GROUP_SIZE + LANES);
                    xHigh = x1.fma(wv, xHigh); yHigh = y1.fma(wv, yHigh); zHigh = z1.fma(wv, zHigh);
                    wv = FloatVector.fromArray(SPECIES, w, wi + GROUP_SIZE + 2 * LANES);
                    xHigh = x2.fma(wv, xHigh); yHigh = y2.fma(wv, yHigh); zHigh = z2.fma(wv, zHigh);
                    wv = FloatVector.fromArray(SPECIES, w, wi + GROUP_SIZE + 3 * LANES);
                    xHigh = x3.fma(wv, xHigh); yHigh = y3.fma(wv, yHigh); zHigh = z3.fma(wv, zHigh);
                    wv = FloatVector.fromArray(SPECIES, w, wi + GROUP_SIZE + 4 * LANES);
                    xHigh = x4.fma(wv, xHigh); yHigh = y4.fma(wv, yHigh); zHigh = z4.fma(wv, zHigh);
                }
                IntVector cross = IntVector.fromArray(INDEX, CROSS, 0);
                FloatVector xSum = xLow.blend(xHigh, HALVES).add(
                        cross.selectFrom(xLow.reinterpretAsInts(), xHigh.reinterpretAsInts()).reinterpretAsFloats());
                FloatVector ySum = yLow.blend(yHigh, HALVES).add(
                        cross.selectFrom(yLow.reinterpretAsInts(), yHigh.reinterpretAsInts()).reinterpretAsFloats());
                FloatVector zSum = zLow.blend(zHigh, HALVES).add(
                        cross.selectFrom(zLow.reinterpretAsInts(), zHigh.reinterpretAsInts()).reinterpretAsFloats());
                int at = ci + whole * LANES;
                xSum.intoArray(c, at, ragged);
                if (second) {
                    ySum.intoArray(c, at + ldc, ragged);
                }
                if (third) {
                    zSum.intoArray(c, at + 2 * ldc, ragged);
                }
            }
        }
    }

    /**
     * Runs every branch (widths of whole vectors, a ragged last vector of up to eight columns and
     * of more; a last group of one, two or three rows; A's last row in place and copied; depths 9
     * and 10) until C2 has compiled {@link #run} from a complete profile, as
     * {@link TenColumnGemm#warmUp} does for the forward product. Without it the profile was
     * whatever the model's first products made it.
     */
    static void warmUp() {
        int[] widths = {128, 84, 92};
        float[] a = new float[8 * 10];
        float[] b = new float[128 * 10];
        float[] c = new float[8 * 128];
        for (int i = 0; i < 4_000; i++) {
            int n = widths[i % widths.length];
            int k = (i & 4) == 0 ? 10 : 9;
            int m = 6 + (i / 8) % 3; // every last group of rows: three, one and two
            var g = GemmProblem.of(false, true, m, n, k, a, 0, k, b, 0, k, c, 0, n, false);
            run(g, 0, m);
        }
    }

    /** The k floats of a row of A from {@code from} into {@code spare} at {@code at}, zero-padded to a vector. */
    private static void copyRow(float[] a, int from, int k, float[] spare, int at) {
        for (int p = 0; p < LANES; p++) {
            spare[at + p] = p < k ? a[from + p] : 0f;
        }
    }

    /** Lanes 0..7 take lane {@code 2v}, lanes 8..15 lane {@code 2v + 1}. */
    private static VectorShuffle<Float> pair(int v) {
        return VectorShuffle.fromOp(SPECIES, i -> 2 * v + i / GROUP);
    }
}
