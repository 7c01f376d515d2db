package org.jvision.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.jvision.kernel.ScalarKernels;

/**
 * 2x2 max pooling of tiled windows, one vector of channels at a time: a window's four pixels are
 * four vectors {@code channels} apart, so this pays when the channels fill whole vectors (every
 * pooling of vgg-small: 32 and 64). Other channel counts (LeNet's 6 and 16) go to the scalar loops,
 * whose lanes would otherwise be mostly masked off.
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
        if (channels % LANES != 0) {
            SCALAR.maxPool2x2(x, first, inRow, y, o, outCols, channels);
            return;
        }
        for (int j = 0; j < outCols; j++) {
            int p = first + 2 * j * channels;
            int q = o + j * channels;
            for (int c = 0; c < channels; c += LANES) {
                FloatVector top = FloatVector.fromArray(SPECIES, x, p + c)
                        .max(FloatVector.fromArray(SPECIES, x, p + channels + c));
                FloatVector bottom = FloatVector.fromArray(SPECIES, x, p + inRow + c)
                        .max(FloatVector.fromArray(SPECIES, x, p + inRow + channels + c));
                top.max(bottom).intoArray(y, q + c);
            }
        }
    }

    static void backward(float[] x, int first, int inRow, float[] y, float[] dy, int o, float[] dx, int outCols,
                         int channels) {
        if (channels % LANES != 0) {
            SCALAR.maxPool2x2Gradient(x, first, inRow, y, dy, o, dx, outCols, channels);
            return;
        }
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int j = 0; j < outCols; j++) {
            int p = first + 2 * j * channels;
            int q = o + j * channels;
            for (int c = 0; c < channels; c += LANES) {
                int at = p + c;
                FloatVector max = FloatVector.fromArray(SPECIES, y, q + c);
                FloatVector g = FloatVector.fromArray(SPECIES, dy, q + c);
                VectorMask<Float> taken = FloatVector.fromArray(SPECIES, x, at).eq(max)
                        .or(max.test(VectorOperators.IS_NAN));
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
    }
}
