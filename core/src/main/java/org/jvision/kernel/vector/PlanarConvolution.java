package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.MicroKernel.LANES;
import static org.jvision.kernel.vector.MicroKernel.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import org.jvision.kernel.Kernels;
import org.jvision.kernel.ScalarKernels;

/**
 * {@link org.jvision.kernel.Kernels#planarConvolution} and
 * {@link org.jvision.kernel.Kernels#planarKernelGradient}: convolutions with few output channels
 * over an image stored one channel plane at a time, where the vector lanes run along an image
 * row. A row of output pixels is then a contiguous load per kernel position, and the weights are
 * broadcast: one broadcast feeds two multiply-adds (two vectors of a row), which keeps a core
 * that broadcasts once a cycle at its multiply-add peak, with every lane busy whatever the number
 * of channels.
 *
 * <p>Forward keeps 6 channels × 2 vectors of one output row in 12 registers over all kernel
 * positions, then writes them to the NHWC output through a small tile. The kernel gradient keeps
 * 4 positions × 3 channels (12 registers) over a whole image and adds their lane sums at the end.
 * (With 24 registers C1 ran out of virtual registers, gave up, and the method never reached C2.)
 *
 * <p>No load is masked: a masked load near an array's end is what made C2 box vectors (see
 * {@link MaskedAccess}; here 1.7 MB a training step of a 16×16×8 image, in some launches). The
 * loads read whole vectors instead, up to {@link Kernels#PLANAR_SLACK} floats past the last one
 * used: lanes past a row are dropped (forward) or zeroed by a blend (gradient). Arrays without
 * that slack go to the plain loops.
 */
final class PlanarConvolution {
    /** Output channels per register block. */
    static final int CHANNELS = 6;
    /** Kernel positions × output channels per register block of the gradient. */
    static final int POSITIONS = 4;
    static final int GRADIENT_CHANNELS = 3;
    private static final ScalarKernels SCALAR = new ScalarKernels();

    private PlanarConvolution() {
    }

    static void forward(int rows, int cols, int cout, int terms, float[] x, int xOffset, int xRowStep, int[] xTerms,
                        float[] w, float[] y, int yOffset) {
        if (!fits(x, xOffset + (rows - 1) * xRowStep + maxTerm(xTerms, terms), cols, 2 * LANES)) {
            SCALAR.planarConvolution(rows, cols, cout, terms, x, xOffset, xRowStep, xTerms, w, y, yOffset);
            return;
        }
        GemmScratch scratch = GemmScratch.forPlanar(terms * CHANNELS);
        float[] wp = scratch.packedB;
        float[] tile = scratch.tile;
        for (int co0 = 0; co0 < cout; co0 += CHANNELS) {
            int channels = Math.min(CHANNELS, cout - co0);
            // The block's weights, 6 per position, zero past the last channel.
            for (int t = 0; t < terms; t++) {
                for (int c = 0; c < CHANNELS; c++) {
                    wp[t * CHANNELS + c] = c < channels ? w[t * cout + co0 + c] : 0f;
                }
            }
            for (int i = 0; i < rows; i++) {
                for (int j0 = 0; j0 < cols; j0 += 2 * LANES) {
                    int width = Math.min(2 * LANES, cols - j0);
                    forwardBlock(terms, x, xOffset + i * xRowStep + j0, xTerms, wp, tile);
                    int out = yOffset + (i * cols + j0) * cout + co0;
                    for (int j = 0; j < width; j++) {
                        for (int c = 0; c < channels; c++) {
                            y[out + j * cout + c] += tile[c * 2 * LANES + j];
                        }
                    }
                }
            }
        }
    }

    /**
     * One output row stretch of 2*LANES pixels × 6 channels into {@code tile[c][j]}; where the row
     * ends sooner, the lanes past it hold sums of whatever lies beyond, and are not used.
     */
    private static void forwardBlock(int terms, float[] x, int xi, int[] xTerms, float[] wp, float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero;
        FloatVector b0 = zero, b1 = zero, b2 = zero, b3 = zero, b4 = zero, b5 = zero;
        for (int t = 0; t < terms; t++) {
            int at = xi + xTerms[t];
            FloatVector u = FloatVector.fromArray(SPECIES, x, at);
            FloatVector v = FloatVector.fromArray(SPECIES, x, at + LANES);
            int wi = t * CHANNELS;
            FloatVector w0 = FloatVector.broadcast(SPECIES, wp[wi]);
            a0 = u.fma(w0, a0);
            b0 = v.fma(w0, b0);
            FloatVector w1 = FloatVector.broadcast(SPECIES, wp[wi + 1]);
            a1 = u.fma(w1, a1);
            b1 = v.fma(w1, b1);
            FloatVector w2 = FloatVector.broadcast(SPECIES, wp[wi + 2]);
            a2 = u.fma(w2, a2);
            b2 = v.fma(w2, b2);
            FloatVector w3 = FloatVector.broadcast(SPECIES, wp[wi + 3]);
            a3 = u.fma(w3, a3);
            b3 = v.fma(w3, b3);
            FloatVector w4 = FloatVector.broadcast(SPECIES, wp[wi + 4]);
            a4 = u.fma(w4, a4);
            b4 = v.fma(w4, b4);
            FloatVector w5 = FloatVector.broadcast(SPECIES, wp[wi + 5]);
            a5 = u.fma(w5, a5);
            b5 = v.fma(w5, b5);
        }
        int row = 2 * LANES;
        a0.intoArray(tile, 0);
        b0.intoArray(tile, LANES);
        a1.intoArray(tile, row);
        b1.intoArray(tile, row + LANES);
        a2.intoArray(tile, 2 * row);
        b2.intoArray(tile, 2 * row + LANES);
        a3.intoArray(tile, 3 * row);
        b3.intoArray(tile, 3 * row + LANES);
        a4.intoArray(tile, 4 * row);
        b4.intoArray(tile, 4 * row + LANES);
        a5.intoArray(tile, 5 * row);
        b5.intoArray(tile, 5 * row + LANES);
    }

    static void kernelGradient(int rows, int cols, int cout, int terms, float[] x, int xOffset, int xRowStep,
                               int[] xTerms, float[] dy, int dyOffset, float[] dw, int dwOffset) {
        if (!fits(x, xOffset + (rows - 1) * xRowStep + maxTerm(xTerms, terms), cols, LANES)
                || !fits(dy, dyOffset + (cout * rows - 1) * cols, cols, LANES)) {
            SCALAR.planarKernelGradient(rows, cols, cout, terms, x, xOffset, xRowStep, xTerms, dy, dyOffset, dw,
                    dwOffset);
            return;
        }
        GemmScratch scratch = GemmScratch.forPlanar(12 * LANES);
        float[] sums = scratch.tile;
        float[] lanes = scratch.packedB;
        int plane = rows * cols;
        for (int co0 = 0; co0 < cout; co0 += GRADIENT_CHANNELS) {
            int channels = Math.min(GRADIENT_CHANNELS, cout - co0);
            for (int t0 = 0; t0 < terms; t0 += POSITIONS) {
                int positions = Math.min(POSITIONS, terms - t0);
                // Missing positions and channels repeat the last real one; their sums are dropped.
                int o0 = xOffset + xTerms[t0];
                int o1 = xOffset + xTerms[t0 + Math.min(1, positions - 1)];
                int o2 = xOffset + xTerms[t0 + Math.min(2, positions - 1)];
                int o3 = xOffset + xTerms[t0 + Math.min(3, positions - 1)];
                int d0 = dyOffset + co0 * plane;
                int d1 = dyOffset + (co0 + Math.min(1, channels - 1)) * plane;
                int d2 = dyOffset + (co0 + Math.min(2, channels - 1)) * plane;
                gradientBlock(rows, cols, x, xRowStep, o0, o1, o2, o3, dy, d0, d1, d2, sums, lanes);
                for (int p = 0; p < positions; p++) {
                    for (int c = 0; c < channels; c++) {
                        dw[dwOffset + (t0 + p) * cout + co0 + c] += sums[p * GRADIENT_CHANNELS + c];
                    }
                }
            }
        }
    }

    /**
     * {@code sums[p*3 + c] = Σ_{i,j} x[o_p + i*xRowStep + j] · dy[d_c + i*cols + j]}, the lanes
     * added in order through {@code lanes} (12 vectors of scratch): {@code reduceLanes} adds them
     * in another order when compiled than when interpreted, and results must not depend on the JIT.
     */
    private static void gradientBlock(int rows, int cols, float[] x, int xRowStep, int o0, int o1, int o2, int o3,
                                      float[] dy, int d0, int d1, int d2, float[] sums, float[] lanes) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector s00 = zero, s01 = zero, s02 = zero, s10 = zero, s11 = zero, s12 = zero;
        FloatVector s20 = zero, s21 = zero, s22 = zero, s30 = zero, s31 = zero, s32 = zero;
        int whole = cols - cols % LANES;
        for (int i = 0; i < rows; i++) {
            int xr = i * xRowStep;
            int dr = i * cols;
            for (int j = 0; j < whole; j += LANES) {
                FloatVector x0 = FloatVector.fromArray(SPECIES, x, o0 + xr + j);
                FloatVector x1 = FloatVector.fromArray(SPECIES, x, o1 + xr + j);
                FloatVector x2 = FloatVector.fromArray(SPECIES, x, o2 + xr + j);
                FloatVector x3 = FloatVector.fromArray(SPECIES, x, o3 + xr + j);
                FloatVector g = FloatVector.fromArray(SPECIES, dy, d0 + dr + j);
                s00 = x0.fma(g, s00);
                s10 = x1.fma(g, s10);
                s20 = x2.fma(g, s20);
                s30 = x3.fma(g, s30);
                g = FloatVector.fromArray(SPECIES, dy, d1 + dr + j);
                s01 = x0.fma(g, s01);
                s11 = x1.fma(g, s11);
                s21 = x2.fma(g, s21);
                s31 = x3.fma(g, s31);
                g = FloatVector.fromArray(SPECIES, dy, d2 + dr + j);
                s02 = x0.fma(g, s02);
                s12 = x1.fma(g, s12);
                s22 = x2.fma(g, s22);
                s32 = x3.fma(g, s32);
            }
        }
        // The last part-vector of every row, its lanes past the row zeroed in both operands (one
        // would leave 0 · ∞ = NaN where the other holds an infinity).
        VectorMask<Float> m = MaskedAccess.first(cols - whole);
        for (int i = 0; i < rows && whole < cols; i++) {
            int xr = i * xRowStep + whole;
            int dr = i * cols + whole;
            FloatVector x0 = zero.blend(FloatVector.fromArray(SPECIES, x, o0 + xr), m);
            FloatVector x1 = zero.blend(FloatVector.fromArray(SPECIES, x, o1 + xr), m);
            FloatVector x2 = zero.blend(FloatVector.fromArray(SPECIES, x, o2 + xr), m);
            FloatVector x3 = zero.blend(FloatVector.fromArray(SPECIES, x, o3 + xr), m);
            FloatVector g = zero.blend(FloatVector.fromArray(SPECIES, dy, d0 + dr), m);
            s00 = x0.fma(g, s00);
            s10 = x1.fma(g, s10);
            s20 = x2.fma(g, s20);
            s30 = x3.fma(g, s30);
            g = zero.blend(FloatVector.fromArray(SPECIES, dy, d1 + dr), m);
            s01 = x0.fma(g, s01);
            s11 = x1.fma(g, s11);
            s21 = x2.fma(g, s21);
            s31 = x3.fma(g, s31);
            g = zero.blend(FloatVector.fromArray(SPECIES, dy, d2 + dr), m);
            s02 = x0.fma(g, s02);
            s12 = x1.fma(g, s12);
            s22 = x2.fma(g, s22);
            s32 = x3.fma(g, s32);
        }
        s00.intoArray(lanes, 0 * LANES);
        s01.intoArray(lanes, 1 * LANES);
        s02.intoArray(lanes, 2 * LANES);
        s10.intoArray(lanes, 3 * LANES);
        s11.intoArray(lanes, 4 * LANES);
        s12.intoArray(lanes, 5 * LANES);
        s20.intoArray(lanes, 6 * LANES);
        s21.intoArray(lanes, 7 * LANES);
        s22.intoArray(lanes, 8 * LANES);
        s30.intoArray(lanes, 9 * LANES);
        s31.intoArray(lanes, 10 * LANES);
        s32.intoArray(lanes, 11 * LANES);
        for (int k = 0; k < 12; k++) {
            float sum = 0f;
            for (int l = 0; l < LANES; l++) {
                sum += lanes[k * LANES + l];
            }
            sums[k] = sum;
        }
    }

    /**
     * Whether reading rows of {@code cols} floats from {@code lastRow} on in whole vectors of
     * {@code block} floats stays inside {@code a}: at most {@link Kernels#PLANAR_SLACK} past the row.
     */
    private static boolean fits(float[] a, int lastRow, int cols, int block) {
        return (long) lastRow + (cols + block - 1) / block * block <= a.length;
    }

    private static int maxTerm(int[] xTerms, int terms) {
        int max = 0;
        for (int t = 0; t < terms; t++) {
            max = Math.max(max, xTerms[t]);
        }
        return max;
    }
}
