package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.GemmScratch.ceilDiv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch normalization's per-channel passes over NHWC blocks ({@code rows × channels} floats, a row's
 * channels contiguous), one vector of channels at a time; the channels past the last whole vector
 * go one by one (no masked accesses: see {@link MaskedAccess}), in the same order, with the same
 * fused operations, so every channel gets the same bits either way.
 *
 * <p>Every pass takes {@link #ROWS} rows at a time (in L1) and walks each vector of channels down
 * them, its per-channel operands held in registers. Each such column is its own small method:
 * written inline, with masks throughout, the same loops ran three to six times slower (C2 gave up
 * on them). The sums keep one float accumulator per channel for the whole block and add its
 * totals to the double output once: callers keep blocks to a few thousand values, so float
 * partial sums lose nothing that matters.
 *
 * <p>A ReLU fused into batch normalization ({@code rectify}, and the gates of the backward passes)
 * has columns of its own too. The gates recompute the forward's value from x with the same
 * operations, so they open exactly where the forward's output was above zero, without reading it.
 */
final class ChannelKernels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Rows per sub-block: every vector of channels goes down these rows while they are in L1. */
    private static final int ROWS = 32;

    private ChannelKernels() {
    }

    static void sums(float[] x, int offset, int rows, int channels, float[] center, boolean squared, double[] out,
                     int outOffset) {
        int width = ceilDiv(channels, LANES) * LANES;
        float[] acc = GemmScratch.channelSums(width);
        for (int r0 = 0; r0 < rows; r0 += ROWS) {
            int r1 = Math.min(rows, r0 + ROWS);
            for (int j = 0; j < channels; j += LANES) {
                int at = offset + r0 * channels + j;
                if (j + LANES > channels) {
                    sumsTail(x, at, r1 - r0, channels, j, center, squared, acc);
                    continue;
                }
                FloatVector c = FloatVector.fromArray(SPECIES, center, j);
                FloatVector a = FloatVector.fromArray(SPECIES, acc, j);
                if (squared) {
                    a = squaresColumn(x, at, r1 - r0, channels, c, a);
                } else {
                    a = sumsColumn(x, at, r1 - r0, channels, c, a);
                }
                a.intoArray(acc, j);
            }
        }
        for (int j = 0; j < channels; j++) {
            out[outOffset + j] += acc[j];
        }
    }

    private static FloatVector sumsColumn(float[] x, int at, int rows, int channels, FloatVector c, FloatVector a) {
        for (int r = 0; r < rows; r++, at += channels) {
            a = a.add(FloatVector.fromArray(SPECIES, x, at).sub(c));
        }
        return a;
    }

    private static FloatVector squaresColumn(float[] x, int at, int rows, int channels, FloatVector c,
                                             FloatVector a) {
        for (int r = 0; r < rows; r++, at += channels) {
            FloatVector d = FloatVector.fromArray(SPECIES, x, at).sub(c);
            a = d.fma(d, a);
        }
        return a;
    }

    /** Channels {@code j …} (fewer than a vector) of {@code rows} rows from {@code at}, into {@code acc[j…]}. */
    private static void sumsTail(float[] x, int at, int rows, int channels, int j, float[] center, boolean squared,
                                 float[] acc) {
        for (int r = 0; r < rows; r++, at += channels) {
            for (int l = 0; j + l < channels; l++) {
                float d = x[at + l] - center[j + l];
                acc[j + l] = squared ? Math.fma(d, d, acc[j + l]) : acc[j + l] + d;
            }
        }
    }

    static void gradientSums(float[] dy, float[] x, int offset, int rows, int channels, float[] center,
                             double[] out, int outOffset, float[] gateScale, float[] gateShift) {
        int width = ceilDiv(channels, LANES) * LANES;
        float[] acc = GemmScratch.channelSums(2 * width);
        for (int r0 = 0; r0 < rows; r0 += ROWS) {
            int r1 = Math.min(rows, r0 + ROWS);
            for (int j = 0; j < channels; j += LANES) {
                if (j + LANES > channels) {
                    gradientSumsTail(dy, x, offset, r0, r1, channels, j, center, acc, width, gateScale, gateShift);
                } else if (gateScale == null) {
                    gradientSumsColumn(dy, x, offset, r0, r1, channels, j, center, acc, width);
                } else {
                    gatedGradientSumsColumn(dy, x, offset, r0, r1, channels, j, center, acc, width, gateScale,
                            gateShift);
                }
            }
        }
        for (int j = 0; j < channels; j++) {
            out[outOffset + j] += acc[j];
            out[outOffset + channels + j] += acc[width + j];
        }
    }

    /** Rows {@code [r0, r1)} of the whole vector of channels at {@code j}, into the accumulators. */
    private static void gradientSumsColumn(float[] dy, float[] x, int offset, int r0, int r1, int channels, int j,
                                           float[] center, float[] acc, int width) {
        FloatVector c = FloatVector.fromArray(SPECIES, center, j);
        FloatVector sum = FloatVector.fromArray(SPECIES, acc, j);
        FloatVector dot = FloatVector.fromArray(SPECIES, acc, width + j);
        for (int r = r0, at = offset + r0 * channels + j; r < r1; r++, at += channels) {
            FloatVector g = FloatVector.fromArray(SPECIES, dy, at);
            sum = sum.add(g);
            dot = g.fma(FloatVector.fromArray(SPECIES, x, at).sub(c), dot);
        }
        sum.intoArray(acc, j);
        dot.intoArray(acc, width + j);
    }

    /** {@link #gradientSumsColumn} with dy gated by a fused ReLU. */
    private static void gatedGradientSumsColumn(float[] dy, float[] x, int offset, int r0, int r1, int channels,
                                                int j, float[] center, float[] acc, int width, float[] gateScale,
                                                float[] gateShift) {
        FloatVector c = FloatVector.fromArray(SPECIES, center, j);
        FloatVector gk = FloatVector.fromArray(SPECIES, gateScale, j);
        FloatVector gs = FloatVector.fromArray(SPECIES, gateShift, j);
        FloatVector sum = FloatVector.fromArray(SPECIES, acc, j);
        FloatVector dot = FloatVector.fromArray(SPECIES, acc, width + j);
        for (int r = r0, at = offset + r0 * channels + j; r < r1; r++, at += channels) {
            FloatVector d = FloatVector.fromArray(SPECIES, x, at).sub(c);
            VectorMask<Float> shut = d.fma(gk, gs).compare(VectorOperators.GT, 0f).not();
            FloatVector g = FloatVector.fromArray(SPECIES, dy, at).blend(0f, shut);
            sum = sum.add(g);
            dot = g.fma(d, dot);
        }
        sum.intoArray(acc, j);
        dot.intoArray(acc, width + j);
    }

    /** {@link #gradientSumsColumn} for the channels past the last whole vector, one by one. */
    private static void gradientSumsTail(float[] dy, float[] x, int offset, int r0, int r1, int channels, int j,
                                         float[] center, float[] acc, int width, float[] gateScale,
                                         float[] gateShift) {
        for (int r = r0, at = offset + r0 * channels + j; r < r1; r++, at += channels) {
            for (int l = 0; j + l < channels; l++) {
                float g = gated(dy[at + l], x[at + l], center[j + l], gateScale, gateShift, j + l);
                acc[j + l] += g;
                acc[width + j + l] = Math.fma(g, x[at + l] - center[j + l], acc[width + j + l]);
            }
        }
    }

    static void affine(float[] x, float[] out, int offset, int rows, int channels, float[] center, float[] scale,
                       float[] shift, boolean rectify) {
        for (int r0 = 0; r0 < rows; r0 += ROWS) {
            int r1 = Math.min(rows, r0 + ROWS);
            for (int j = 0; j < channels; j += LANES) {
                int at = offset + r0 * channels + j;
                if (j + LANES > channels) {
                    affineTail(x, out, at, r1 - r0, channels, j, center, scale, shift, rectify);
                    continue;
                }
                FloatVector c = FloatVector.fromArray(SPECIES, center, j);
                FloatVector k = FloatVector.fromArray(SPECIES, scale, j);
                FloatVector s = FloatVector.fromArray(SPECIES, shift, j);
                if (rectify) {
                    rectifiedAffineColumn(x, out, at, r1 - r0, channels, c, k, s);
                } else {
                    affineColumn(x, out, at, r1 - r0, channels, c, k, s);
                }
            }
        }
    }

    private static void affineColumn(float[] x, float[] out, int at, int rows, int channels, FloatVector c,
                                     FloatVector k, FloatVector s) {
        for (int r = 0; r < rows; r++, at += channels) {
            FloatVector.fromArray(SPECIES, x, at).sub(c).fma(k, s).intoArray(out, at);
        }
    }

    private static void rectifiedAffineColumn(float[] x, float[] out, int at, int rows, int channels,
                                              FloatVector c, FloatVector k, FloatVector s) {
        for (int r = 0; r < rows; r++, at += channels) {
            FloatVector.fromArray(SPECIES, x, at).sub(c).fma(k, s).max(0f).intoArray(out, at);
        }
    }

    private static void affineTail(float[] x, float[] out, int at, int rows, int channels, int j, float[] center,
                                   float[] scale, float[] shift, boolean rectify) {
        for (int r = 0; r < rows; r++, at += channels) {
            for (int l = 0; j + l < channels; l++) {
                float y = Math.fma(x[at + l] - center[j + l], scale[j + l], shift[j + l]);
                out[at + l] = rectify ? Math.max(y, 0f) : y;
            }
        }
    }

    /** {@code dy}, or 0 where a gate is given and {@link #affineTail}'s value of x is not above 0. */
    private static float gated(float dy, float x, float center, float[] gateScale, float[] gateShift, int j) {
        return gateScale == null || Math.fma(x - center, gateScale[j], gateShift[j]) > 0 ? dy : 0f;
    }

    static void normalizationGradient(float[] dy, float[] x, float[] out, int offset, int rows, int channels,
                                      float[] center, float[] dyMean, float[] xScale, float[] scale,
                                      float[] gateScale, float[] gateShift) {
        for (int r0 = 0; r0 < rows; r0 += ROWS) {
            int r1 = Math.min(rows, r0 + ROWS);
            for (int j = 0; j < channels; j += LANES) {
                int at = offset + r0 * channels + j;
                if (j + LANES > channels) {
                    gradientTail(dy, x, out, at, r1 - r0, channels, j, center, dyMean, xScale, scale, gateScale,
                            gateShift);
                    continue;
                }
                FloatVector c = FloatVector.fromArray(SPECIES, center, j);
                FloatVector gm = FloatVector.fromArray(SPECIES, dyMean, j);
                FloatVector xs = FloatVector.fromArray(SPECIES, xScale, j).neg();
                FloatVector k = FloatVector.fromArray(SPECIES, scale, j);
                if (gateScale == null) {
                    gradientColumn(dy, x, out, at, r1 - r0, channels, c, gm, xs, k);
                } else {
                    gatedGradientColumn(dy, x, out, at, r1 - r0, channels, c, gm, xs, k,
                            FloatVector.fromArray(SPECIES, gateScale, j), FloatVector.fromArray(SPECIES, gateShift, j));
                }
            }
        }
    }

    private static void gradientColumn(float[] dy, float[] x, float[] out, int at, int rows, int channels,
                                       FloatVector c, FloatVector gm, FloatVector negXs, FloatVector k) {
        for (int r = 0; r < rows; r++, at += channels) {
            FloatVector d = FloatVector.fromArray(SPECIES, x, at).sub(c);
            FloatVector g = FloatVector.fromArray(SPECIES, dy, at).sub(gm);
            d.fma(negXs, g).mul(k).intoArray(out, at);
        }
    }

    private static void gatedGradientColumn(float[] dy, float[] x, float[] out, int at, int rows, int channels,
                                            FloatVector c, FloatVector gm, FloatVector negXs, FloatVector k,
                                            FloatVector gk, FloatVector gs) {
        for (int r = 0; r < rows; r++, at += channels) {
            FloatVector d = FloatVector.fromArray(SPECIES, x, at).sub(c);
            VectorMask<Float> shut = d.fma(gk, gs).compare(VectorOperators.GT, 0f).not();
            FloatVector g = FloatVector.fromArray(SPECIES, dy, at).blend(0f, shut);
            d.fma(negXs, g.sub(gm)).mul(k).intoArray(out, at);
        }
    }

    private static void gradientTail(float[] dy, float[] x, float[] out, int at, int rows, int channels, int j,
                                     float[] center, float[] dyMean, float[] xScale, float[] scale,
                                     float[] gateScale, float[] gateShift) {
        for (int r = 0; r < rows; r++, at += channels) {
            for (int l = 0; j + l < channels; l++) {
                float d = x[at + l] - center[j + l];
                float g = gated(dy[at + l], x[at + l], center[j + l], gateScale, gateShift, j + l) - dyMean[j + l];
                out[at + l] = Math.fma(d, -xScale[j + l], g) * scale[j + l];
            }
        }
    }

}
