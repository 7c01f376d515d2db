package org.jvision.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.jvision.kernel.ScalarKernels;

/**
 * 2x2 max pooling of tiled windows, one vector of channels at a time: a window's four pixels are
 * four vectors {@code channels} apart.
 *
 * <ul>
 *   <li>Channels that fill whole vectors (vgg-small's 32 and 64, LeNet's 16) take one vector per
 *       pixel and lane group.
 *   <li>Fewer channels than a vector's lanes (LeNet's 6) take one vector per pixel too, whose
 *       lanes past the channels spill into the next pixels: their loads read neighbours and their
 *       stores write garbage there, which the next window (in increasing order) overwrites. The
 *       last windows of the row, whose spill would leave it, go to the scalar loops. No masked
 *       access: see {@link MaskedAccess}.
 *   <li>Other channel counts (17, 40, …) go to the scalar loops.
 * </ul>
 *
 * <p>{@link FloatVector#max} follows {@link Math#max} (a NaN wins, {@code +0 > -0}), and the
 * gradient's comparisons are IEEE equality ({@code -0 == +0}), as the scalar kernel's are.
 */
final class TiledPooling {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ScalarKernels SCALAR = new ScalarKernels();

    private TiledPooling() {
    }

    static void forward(float[] x, int first, int inRow, float[] y, int o, int outCols, int channels) {
        if (channels % LANES == 0) {
            for (int j = 0; j < outCols; j++) {
                for (int c = 0; c < channels; c += LANES) {
                    window(x, first + 2 * j * channels + c, inRow, channels, y, o + j * channels + c);
                }
            }
            return;
        }
        int spilling = spillingWindows(outCols, channels);
        for (int j = 0; j < spilling; j++) {
            window(x, first + 2 * j * channels, inRow, channels, y, o + j * channels);
        }
        SCALAR.maxPool2x2(x, first + 2 * spilling * channels, inRow, y, o + spilling * channels, outCols - spilling,
                channels);
    }

    static void backward(float[] x, int first, int inRow, float[] y, float[] dy, int o, float[] dx, int outCols,
                         int channels) {
        if (channels % LANES == 0) {
            for (int j = 0; j < outCols; j++) {
                for (int c = 0; c < channels; c += LANES) {
                    gradientWindow(x, first + 2 * j * channels + c, inRow, channels, y, dy, o + j * channels + c, dx);
                }
            }
            return;
        }
        int spilling = spillingWindows(outCols, channels);
        for (int j = 0; j < spilling; j++) {
            gradientWindow(x, first + 2 * j * channels, inRow, channels, y, dy, o + j * channels, dx);
        }
        SCALAR.maxPool2x2Gradient(x, first + 2 * spilling * channels, inRow, y, dy, o + spilling * channels, dx,
                outCols - spilling, channels);
    }

    /**
     * How many windows from the row's start take the spilling vector path: those whose output
     * vector ({@code LANES} floats from {@code j * channels}) stays inside the row's outputs, which
     * also keeps their inputs and input gradients inside the row's covered pixels. None unless
     * the channels are fewer than a vector's lanes.
     */
    private static int spillingWindows(int outCols, int channels) {
        if (channels > LANES) {
            return 0;
        }
        return Math.max(0, outCols - (LANES + channels - 1) / channels + 1);
    }

    /** One vector of a window's maximum: pixels at {@code p}, {@code p + channels} and a row below. */
    private static void window(float[] x, int p, int inRow, int channels, float[] y, int q) {
        FloatVector top = FloatVector.fromArray(SPECIES, x, p).max(FloatVector.fromArray(SPECIES, x, p + channels));
        FloatVector bottom = FloatVector.fromArray(SPECIES, x, p + inRow)
                .max(FloatVector.fromArray(SPECIES, x, p + inRow + channels));
        top.max(bottom).intoArray(y, q);
    }

    /**
     * One vector of a window's input gradient: the pixels in row-major order, each taking the
     * gradient where it equals the maximum and no earlier pixel did (the first pixel also where
     * the maximum is NaN), and zero elsewhere. Stored in that order, so a spilling vector's
     * garbage lands only on pixels stored after it.
     */
    private static void gradientWindow(float[] x, int at, int inRow, int channels, float[] y, float[] dy, int q,
                                       float[] dx) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector max = FloatVector.fromArray(SPECIES, y, q);
        FloatVector g = FloatVector.fromArray(SPECIES, dy, q);
        VectorMask<Float> taken = FloatVector.fromArray(SPECIES, x, at).eq(max).or(max.test(VectorOperators.IS_NAN));
        zero.blend(g, taken).intoArray(dx, at);
        VectorMask<Float> hit = FloatVector.fromArray(SPECIES, x, at + channels).eq(max).andNot(taken);
        zero.blend(g, hit).intoArray(dx, at + channels);
        taken = taken.or(hit);
        hit = FloatVector.fromArray(SPECIES, x, at + inRow).eq(max).andNot(taken);
        zero.blend(g, hit).intoArray(dx, at + inRow);
        taken = taken.or(hit);
        hit = FloatVector.fromArray(SPECIES, x, at + inRow + channels).eq(max).andNot(taken);
        zero.blend(g, hit).intoArray(dx, at + inRow + channels);
    }
}
