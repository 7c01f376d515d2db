package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.MicroKernel.MR;
import static org.jvision.kernel.vector.MicroKernel.NR;

import java.util.Arrays;

/**
 * Packing buffers of one thread, kept between calls and grown only when a call needs more, so a
 * product allocates nothing once the largest block has been seen. Per thread (the pool's workers
 * live as long as the pool), because every thread packs its own blocks.
 */
final class GemmScratch {
    private static final ThreadLocal<GemmScratch> PER_THREAD = ThreadLocal.withInitial(GemmScratch::new);

    /**
     * The ragged last strip of a column-major A for the {@link NarrowKernel}; on AVX2, a block of a
     * transposed A copied into rows for {@link BlockedGemm}.
     */
    float[] packedA = new float[0];
    /** Panels of B. */
    float[] packedB = new float[0];
    /** Partial products of a depth split, one {@code m×n} block per thread, owned by the calling thread. */
    private float[] partials = new float[0];
    /** One register tile of any of the kernels (the largest: six or twelve rows), for edge tiles and transposed C. */
    final float[] tile = new float[Math.max(MR * NR, NarrowKernel.MR * MicroKernel.LANES)];
    /** The sum {@link CacheWarming} returns, kept here (a field of this thread's object) so C2 keeps its reads. */
    float warmed;

    /**
     * Floats past the size asked for in every buffer grown here. C2 merges the bounds checks of a
     * run of vector loads into one check of the farthest, including loads in a branch the
     * current call does not take (the {@link TenColumnKernel}'s second tail group, 80 floats past
     * the packed B of a depth like 84). On the main thread the buffers had grown large for other
     * products and the merged check held; a worker's buffers were sized exactly, its first call
     * failed the check, and C2 recompiled the kernel without merged checks: the 64×10×84 head ran
     * 1.5x slower from then on, split or whole (one thread 1.9 → 3.0 µs; two 1.5 → 2.0).
     */
    static final int SLACK = 256;

    private GemmScratch() {
    }

    private static float[] grown(int size) {
        return new float[size + SLACK];
    }

    /** This thread's buffers, with room for a {@code kc×nc} block of B. */
    static GemmScratch forPanels(int nc, int kc) {
        GemmScratch s = PER_THREAD.get();
        int bSize = ceilDiv(nc, NR) * NR * kc;
        if (s.packedB.length < bSize) {
            s.packedB = grown(bSize);
        }
        // A block of a transposed A, copied into rows for the RowMajorKernel (AVX2 only).
        if (RowMajorKernel.PREFERRED && s.packedA.length < BlockedGemm.MC * kc) {
            s.packedA = grown(BlockedGemm.MC * kc);
        }
        return s;
    }

    /** This thread's buffers for {@link NarrowGemm}: a B panel of {@code kc×LANES}, one A strip of {@code MR×kc}. */
    static GemmScratch forNarrow(int kc) {
        GemmScratch s = PER_THREAD.get();
        if (s.packedA.length < NarrowKernel.MR * kc) {
            s.packedA = grown(NarrowKernel.MR * kc);
        }
        if (s.packedB.length < MicroKernel.LANES * kc) {
            s.packedB = grown(MicroKernel.LANES * kc);
        }
        return s;
    }

    /**
     * The {@link TenColumnKernel}'s sums of a chunk of rows (eight lanes per output), or a tile of
     * the {@link TransposedTenColumnKernel}.
     */
    float[] sums = new float[0];
    /** Rows of A copied to whole vectors, zero-padded, for the {@link TenColumnKernel} and {@link TenDepthGemm}. */
    final float[] tail = new float[TenColumnKernel.ROWS * MicroKernel.LANES];

    /** This thread's buffers for {@link TenColumnGemm}: {@code bSize} floats of packed B, {@code sumsSize} of sums. */
    static GemmScratch forTenColumns(int bSize, int sumsSize) {
        GemmScratch s = PER_THREAD.get();
        if (s.packedB.length < bSize) {
            s.packedB = grown(bSize);
        }
        if (s.sums.length < sumsSize) {
            s.sums = grown(sumsSize);
        }
        return s;
    }

    /** This thread's buffers for {@link PlanarConvolution}: {@code size} floats of packed weights, and the tile. */
    static GemmScratch forPlanar(int size) {
        GemmScratch s = PER_THREAD.get();
        if (s.packedB.length < size) {
            s.packedB = grown(size);
        }
        return s;
    }

    /** Float accumulators of the {@link ChannelKernels}' sums. */
    private float[] channelSums = new float[0];

    /** This thread's {@code size} float accumulators for {@link ChannelKernels}, zeroed. */
    static float[] channelSums(int size) {
        GemmScratch s = PER_THREAD.get();
        if (s.channelSums.length < size) {
            s.channelSums = grown(size);
        }
        Arrays.fill(s.channelSums, 0, size, 0f);
        return s.channelSums;
    }

    /** This thread's buffer for {@code size} floats of partial products. */
    static float[] partials(int size) {
        GemmScratch s = PER_THREAD.get();
        if (s.partials.length < size) {
            s.partials = grown(size);
        }
        return s.partials;
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
