package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.MicroKernel.LANES;
import static org.jvision.kernel.vector.MicroKernel.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * {@code dst += src} over a block of rows, for col2im: a row is a window's width of pixels
 * ({@code kw * cin} floats, 30 for LeNet's second convolution), so the tail past the last whole
 * vector matters. It takes one whole vector too, whose lanes past the row keep dst's own bits
 * (a blend, not an add: {@code -0 + 0} would give {@code +0}), where the caller allows reading
 * that far ({@code dstEnd}) and src has the floats; otherwise it goes element by element. No
 * masked access: see {@link MaskedAccess}.
 */
final class BlockAddition {
    private BlockAddition() {
    }

    static void add(int rows, int cols, float[] src, int srcOffset, int srcStep, float[] dst, int dstOffset,
                    int dstStep, int dstEnd) {
        int whole = cols - cols % LANES;
        VectorMask<Float> tail = MaskedAccess.first(cols - whole);
        for (int r = 0; r < rows; r++) {
            int s = srcOffset + r * srcStep;
            int d = dstOffset + r * dstStep;
            for (int t = 0; t < whole; t += LANES) {
                FloatVector.fromArray(SPECIES, dst, d + t).add(FloatVector.fromArray(SPECIES, src, s + t))
                        .intoArray(dst, d + t);
            }
            if (whole == cols) {
                continue;
            }
            if (d + whole + LANES <= dstEnd && s + whole + LANES <= src.length) {
                FloatVector old = FloatVector.fromArray(SPECIES, dst, d + whole);
                old.blend(old.add(FloatVector.fromArray(SPECIES, src, s + whole)), tail).intoArray(dst, d + whole);
            } else {
                for (int t = whole; t < cols; t++) {
                    dst[d + t] += src[s + t];
                }
            }
        }
    }
}
