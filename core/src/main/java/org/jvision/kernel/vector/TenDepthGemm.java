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

    private TenDepthGemm() {
    }

    /**
     * Whether this path takes the product: 16 lanes, a depth of nine or ten, a row-major A and C,
     * and a transposed B (W's rows contiguous) at least a vector wide.
     */
    static boolean handles(GemmProblem g) {
        return LANES == 16 && (g.k() == 9 || g.k() == 10) && g.n() >= LANES && g.aColStride() == 1
                && g.bRowStride() == 1 && g.cColStride() == 1;
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
        float[] c = g.c();
        int lda = g.aRowStride();
        int ldc = g.cRowStride();
        VectorMask<Float> past = MaskedAccess.first(k).not();
        boolean add = g.accumulate();
        int whole = n / LANES;
        VectorMask<Float> ragged = MaskedAccess.first(n - whole * LANES);
        // Two rows at a time: they share the loads of W, and their four chains of five steps
        // overlap (one row's two chains left the core waiting on each multiply-add's latency:
        // 64×128×10, one thread, 3.25 µs). The group sums are written out in full: as a helper
        // returning a vector, C2 did not inline them and boxed every result (89 KB a call).
        for (int i = rowFrom; i < rowTo; i += 2) {
            boolean pair = i + 1 < rowTo;
            // Row i (and i + 1) of A, lanes past k zero: read in place where a whole vector fits,
            // else from a zero-padded copy. Written out here: as a helper returning the vector
            // (76 bytes of bytecode), C2 inlined it or not by the call counts of the profile, and
            // where not, boxed every row's vector and the mask (64×84×10: 3.95 µs and 24 KB a
            // call instead of 1.48 µs; twenty-fourth session).
            int xi = g.aOffset() + i * lda;
            int yi = pair ? xi + lda : xi;
            FloatVector x;
            FloatVector y;
            if (yi + LANES <= a.length && xi + LANES <= a.length) {
                x = FloatVector.fromArray(SPECIES, a, xi).blend(0f, past);
                y = FloatVector.fromArray(SPECIES, a, yi).blend(0f, past);
            } else {
                copyRow(a, xi, k, scratch.tail, 0);
                copyRow(a, yi, k, scratch.tail, LANES);
                x = FloatVector.fromArray(SPECIES, scratch.tail, 0);
                y = FloatVector.fromArray(SPECIES, scratch.tail, LANES);
            }
            FloatVector x0 = x.rearrange(PAIR0), x1 = x.rearrange(PAIR1), x2 = x.rearrange(PAIR2);
            FloatVector x3 = x.rearrange(PAIR3), x4 = x.rearrange(PAIR4);
            FloatVector y0 = y.rearrange(PAIR0), y1 = y.rearrange(PAIR1), y2 = y.rearrange(PAIR2);
            FloatVector y3 = y.rearrange(PAIR3), y4 = y.rearrange(PAIR4);
            int ci = g.cOffset() + i * ldc;
            for (int q = 0; q < whole; q++) {
                int wi = 2 * q * GROUP_SIZE;
                FloatVector w0 = FloatVector.fromArray(SPECIES, w, wi);
                FloatVector w1 = FloatVector.fromArray(SPECIES, w, wi + LANES);
                FloatVector w2 = FloatVector.fromArray(SPECIES, w, wi + 2 * LANES);
                FloatVector w3 = FloatVector.fromArray(SPECIES, w, wi + 3 * LANES);
                FloatVector w4 = FloatVector.fromArray(SPECIES, w, wi + 4 * LANES);
                FloatVector xLow = x4.fma(w4, x3.fma(w3, x2.fma(w2, x1.fma(w1, x0.mul(w0)))));
                FloatVector yLow = y4.fma(w4, y3.fma(w3, y2.fma(w2, y1.fma(w1, y0.mul(w0)))));
                wi += GROUP_SIZE;
                w0 = FloatVector.fromArray(SPECIES, w, wi);
                w1 = FloatVector.fromArray(SPECIES, w, wi + LANES);
                w2 = FloatVector.fromArray(SPECIES, w, wi + 2 * LANES);
                w3 = FloatVector.fromArray(SPECIES, w, wi + 3 * LANES);
                w4 = FloatVector.fromArray(SPECIES, w, wi + 4 * LANES);
                FloatVector xHigh = x4.fma(w4, x3.fma(w3, x2.fma(w2, x1.fma(w1, x0.mul(w0)))));
                FloatVector yHigh = y4.fma(w4, y3.fma(w3, y2.fma(w2, y1.fma(w1, y0.mul(w0)))));
                FloatVector xSum = xLow.blend(xHigh, HALVES).add(IntVector.fromArray(INDEX, CROSS, 0)
                        .selectFrom(xLow.reinterpretAsInts(), xHigh.reinterpretAsInts()).reinterpretAsFloats());
                FloatVector ySum = yLow.blend(yHigh, HALVES).add(IntVector.fromArray(INDEX, CROSS, 0)
                        .selectFrom(yLow.reinterpretAsInts(), yHigh.reinterpretAsInts()).reinterpretAsFloats());
                int at = ci + q * LANES;
                (add ? xSum.add(FloatVector.fromArray(SPECIES, c, at)) : xSum).intoArray(c, at);
                if (pair) {
                    (add ? ySum.add(FloatVector.fromArray(SPECIES, c, at + ldc)) : ySum).intoArray(c, at + ldc);
                }
            }
            int rest = n - whole * LANES;
            if (rest > 0) {
                // The ragged last columns: one group or two, stored through a mask. Stored element
                // by element, 64×84×10 took 1.70 µs instead of 1.53 (one thread; twenty-third
                // session, Zen 4).
                int wi = 2 * whole * GROUP_SIZE;
                FloatVector w0 = FloatVector.fromArray(SPECIES, w, wi);
                FloatVector w1 = FloatVector.fromArray(SPECIES, w, wi + LANES);
                FloatVector w2 = FloatVector.fromArray(SPECIES, w, wi + 2 * LANES);
                FloatVector w3 = FloatVector.fromArray(SPECIES, w, wi + 3 * LANES);
                FloatVector w4 = FloatVector.fromArray(SPECIES, w, wi + 4 * LANES);
                FloatVector xLow = x4.fma(w4, x3.fma(w3, x2.fma(w2, x1.fma(w1, x0.mul(w0)))));
                FloatVector yLow = y4.fma(w4, y3.fma(w3, y2.fma(w2, y1.fma(w1, y0.mul(w0)))));
                FloatVector xHigh = xLow;
                FloatVector yHigh = yLow;
                if (rest > GROUP) {
                    wi += GROUP_SIZE;
                    w0 = FloatVector.fromArray(SPECIES, w, wi);
                    w1 = FloatVector.fromArray(SPECIES, w, wi + LANES);
                    w2 = FloatVector.fromArray(SPECIES, w, wi + 2 * LANES);
                    w3 = FloatVector.fromArray(SPECIES, w, wi + 3 * LANES);
                    w4 = FloatVector.fromArray(SPECIES, w, wi + 4 * LANES);
                    xHigh = x4.fma(w4, x3.fma(w3, x2.fma(w2, x1.fma(w1, x0.mul(w0)))));
                    yHigh = y4.fma(w4, y3.fma(w3, y2.fma(w2, y1.fma(w1, y0.mul(w0)))));
                }
                FloatVector xSum = xLow.blend(xHigh, HALVES).add(IntVector.fromArray(INDEX, CROSS, 0)
                        .selectFrom(xLow.reinterpretAsInts(), xHigh.reinterpretAsInts()).reinterpretAsFloats());
                FloatVector ySum = yLow.blend(yHigh, HALVES).add(IntVector.fromArray(INDEX, CROSS, 0)
                        .selectFrom(yLow.reinterpretAsInts(), yHigh.reinterpretAsInts()).reinterpretAsFloats());
                int at = ci + whole * LANES;
                (add ? xSum.add(FloatVector.fromArray(SPECIES, c, at, ragged)) : xSum).intoArray(c, at, ragged);
                if (pair) {
                    (add ? ySum.add(FloatVector.fromArray(SPECIES, c, at + ldc, ragged)) : ySum).intoArray(c, at + ldc, ragged);
                }
            }
        }
    }

    /**
     * Runs every branch (widths of whole vectors, a ragged last vector of up to eight columns and
     * of more; an odd last row; A's last row in place and copied; depths 9 and 10; overwrite and
     * accumulate) until C2 has compiled {@link #run} from a complete profile, as
     * {@link TenColumnGemm#warmUp} does for the forward product. Without it the profile was
     * whatever the model's first products made it.
     */
    static void warmUp() {
        int[] widths = {128, 84, 92};
        float[] a = new float[7 * 10];
        float[] b = new float[128 * 10];
        float[] c = new float[7 * 128];
        for (int i = 0; i < 4_000; i++) {
            int n = widths[i % widths.length];
            int k = (i & 4) == 0 ? 10 : 9;
            int m = (i & 8) == 0 ? 7 : 6;
            var g = GemmProblem.of(false, true, m, n, k, a, 0, k, b, 0, k, c, 0, n, (i & 16) == 0);
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
