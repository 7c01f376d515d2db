package org.jvision.kernel;

/**
 * Plain-loop kernels: the readable reference and the fallback when the Vector API is absent.
 * Loops are ordered so the innermost one walks memory contiguously (which the JIT vectorizes
 * where it can); rows of C are split over the thread pool.
 */
public final class ScalarKernels implements Kernels {
    /** Plain-loop kernels; {@link Engine#scalar()} is the usual way to get them. */
    public ScalarKernels() {
    }


    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb,
                     float[] c, int cOffset, int ldc,
                     boolean accumulate) {
        long work = (long) m * n * k;
        int minRows = work < 1 << 16 ? m : Math.max(1, (int) ((1 << 16) / Math.max(1L, (long) n * k)));
        Parallel.forRange(m, minRows, (from, to) ->
                gemmRows(transA, transB, from, to, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate));
    }

    /**
     * Depth block: a long sum is added up in blocks of this many terms, each block's partial sum
     * then added to the total. A single running float sum over k terms loses about k·eps; blocks
     * keep it near (BLOCK + k/BLOCK)·eps (1e-4 relative failed at k = 2000 without them).
     */
    private static final int BLOCK = 256;

    private static void gemmRows(boolean transA, boolean transB, int rowFrom, int rowTo, int n, int k,
                                 float[] a, int aOffset, int lda,
                                 float[] b, int bOffset, int ldb,
                                 float[] c, int cOffset, int ldc,
                                 boolean accumulate) {
        float[] partial = transB ? null : new float[n];
        for (int i = rowFrom; i < rowTo; i++) {
            int cRow = cOffset + i * ldc;
            if (!accumulate) {
                java.util.Arrays.fill(c, cRow, cRow + n, 0f);
            }
            if (!transB) {
                // C[i,:] += A[i,p] * B[p,:], B's rows are contiguous; one block of p at a time.
                for (int p0 = 0; p0 < k; p0 += BLOCK) {
                    java.util.Arrays.fill(partial, 0f);
                    for (int p = p0; p < Math.min(k, p0 + BLOCK); p++) {
                        float aip = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
                        int bRow = bOffset + p * ldb;
                        for (int j = 0; j < n; j++) {
                            partial[j] += aip * b[bRow + j];
                        }
                    }
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] += partial[j];
                    }
                }
            } else {
                // C[i,j] += dot(A[i,:], B^T[:,j]) where B^T[:,j] is row j of B, contiguous.
                for (int j = 0; j < n; j++) {
                    int bRow = bOffset + j * ldb;
                    float sum = 0f;
                    for (int p0 = 0; p0 < k; p0 += BLOCK) {
                        float block = 0f;
                        for (int p = p0; p < Math.min(k, p0 + BLOCK); p++) {
                            float aip = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
                            block += aip * b[bRow + p];
                        }
                        sum += block;
                    }
                    c[cRow + j] += sum;
                }
            }
        }
    }

    @Override
    public void planarConvolution(int rows, int cols, int cout, int terms, float[] x, int xOffset, int xRowStep,
                                  int[] xTerms, float[] w, float[] y, int yOffset) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int out = yOffset + (i * cols + j) * cout;
                for (int co = 0; co < cout; co++) {
                    float sum = y[out + co];
                    for (int t = 0; t < terms; t++) {
                        sum += x[xOffset + i * xRowStep + xTerms[t] + j] * w[t * cout + co];
                    }
                    y[out + co] = sum;
                }
            }
        }
    }

    @Override
    public void planarKernelGradient(int rows, int cols, int cout, int terms, float[] x, int xOffset, int xRowStep,
                                     int[] xTerms, float[] dy, int dyOffset, float[] dw, int dwOffset) {
        for (int t = 0; t < terms; t++) {
            for (int co = 0; co < cout; co++) {
                float sum = 0f;
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        sum += x[xOffset + i * xRowStep + xTerms[t] + j] * dy[dyOffset + (co * rows + i) * cols + j];
                    }
                }
                dw[dwOffset + t * cout + co] += sum;
            }
        }
    }

    @Override
    public void channelSums(float[] x, int offset, int rows, int channels, float[] center, boolean squared,
                            double[] out, int outOffset) {
        for (int r = 0; r < rows; r++) {
            int row = offset + r * channels;
            for (int j = 0; j < channels; j++) {
                double d = x[row + j] - center[j];
                out[outOffset + j] += squared ? d * d : d;
            }
        }
    }

    @Override
    public void channelGradientSums(float[] dy, float[] x, int offset, int rows, int channels, float[] center,
                                    double[] out, int outOffset, float[] gateScale, float[] gateShift) {
        for (int r = 0; r < rows; r++) {
            int row = offset + r * channels;
            for (int j = 0; j < channels; j++) {
                float g = gated(dy[row + j], x[row + j], center[j], gateScale, gateShift, j);
                out[outOffset + j] += g;
                out[outOffset + channels + j] += (double) g * (x[row + j] - center[j]);
            }
        }
    }

    /** {@code dy}, or 0 where a gate is given and the fused ReLU's input (as channelAffine computes it) is not above 0. */
    private static float gated(float dy, float x, float center, float[] gateScale, float[] gateShift, int j) {
        return gateScale == null || (x - center) * gateScale[j] + gateShift[j] > 0 ? dy : 0f;
    }

    @Override
    public void channelAffine(float[] x, float[] out, int offset, int rows, int channels, float[] center,
                              float[] scale, float[] shift, boolean rectify) {
        for (int r = 0; r < rows; r++) {
            int row = offset + r * channels;
            for (int j = 0; j < channels; j++) {
                float y = (x[row + j] - center[j]) * scale[j] + shift[j];
                out[row + j] = rectify ? Math.max(y, 0f) : y;
            }
        }
    }

    @Override
    public void channelNormalizationGradient(float[] dy, float[] x, float[] out, int offset, int rows, int channels,
                                             float[] center, float[] dyMean, float[] xScale, float[] scale,
                                             float[] gateScale, float[] gateShift) {
        for (int r = 0; r < rows; r++) {
            int row = offset + r * channels;
            for (int j = 0; j < channels; j++) {
                float g = gated(dy[row + j], x[row + j], center[j], gateScale, gateShift, j);
                out[row + j] = ((g - dyMean[j]) - (x[row + j] - center[j]) * xScale[j]) * scale[j];
            }
        }
    }

    @Override
    public void maxPool2x2(float[] x, int first, int inRow, float[] y, int o, int outCols, int channels) {
        for (int j = 0; j < outCols; j++) {
            int p = first + 2 * j * channels;
            for (int c = 0; c < channels; c++) {
                float top = Math.max(x[p + c], x[p + channels + c]);
                float bottom = Math.max(x[p + inRow + c], x[p + inRow + channels + c]);
                y[o + j * channels + c] = Math.max(top, bottom);
            }
        }
    }

    /**
     * The four pixels in row-major order, each taking what the earlier ones left. Comparisons by
     * {@link #equal} on the bits: C2 compiled {@code x == max ? -1 : 0} into branches that random
     * data mispredicts (measured 25% slower).
     */
    @Override
    public void maxPool2x2Gradient(float[] x, int first, int inRow, float[] y, float[] dy, int o, float[] dx,
                                   int outCols, int channels) {
        for (int j = 0; j < outCols; j++) {
            int p = first + 2 * j * channels;
            for (int c = 0; c < channels; c++) {
                int at = p + c;
                float max = y[o + j * channels + c];
                int m = Float.floatToRawIntBits(max);
                int left = Float.floatToRawIntBits(dy[o + j * channels + c]);
                int hit = equal(Float.floatToRawIntBits(x[at]), m) | (max != max ? -1 : 0);
                dx[at] = Float.intBitsToFloat(left & hit);
                left &= ~hit;
                hit = equal(Float.floatToRawIntBits(x[at + channels]), m);
                dx[at + channels] = Float.intBitsToFloat(left & hit);
                left &= ~hit;
                hit = equal(Float.floatToRawIntBits(x[at + inRow]), m);
                dx[at + inRow] = Float.intBitsToFloat(left & hit);
                left &= ~hit;
                dx[at + inRow + channels] = Float.intBitsToFloat(
                        left & equal(Float.floatToRawIntBits(x[at + inRow + channels]), m));
            }
        }
    }

    /**
     * -1 when the floats with bits {@code a} and {@code b} compare equal (same bits, or both zeros
     * of either sign), else 0; for numbers, not NaN. No branch.
     */
    private static int equal(int a, int b) {
        int d = a ^ b;
        int zeros = (a | b) << 1;
        return ~((d | -d) >> 31) | ~((zeros | -zeros) >> 31);
    }

    @Override
    public void addBlock(int rows, int cols, float[] src, int srcOffset, int srcStep, float[] dst, int dstOffset,
                         int dstStep, int dstEnd) {
        for (int r = 0; r < rows; r++) {
            int s = srcOffset + r * srcStep;
            int d = dstOffset + r * dstStep;
            for (int t = 0; t < cols; t++) {
                dst[d + t] += src[s + t];
            }
        }
    }

    /**
     * {@code x * 0} is 0 for a finite x and NaN otherwise, and a NaN survives the sum. Four
     * independent sums keep the additions from waiting on each other.
     */
    @Override
    public boolean allFinite(float[] x, int offset, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += x[offset + i] * 0f;
            s1 += x[offset + i + 1] * 0f;
            s2 += x[offset + i + 2] * 0f;
            s3 += x[offset + i + 3] * 0f;
        }
        for (; i < n; i++) {
            s0 += x[offset + i] * 0f;
        }
        return s0 + s1 + s2 + s3 == 0;
    }

    @Override
    public void softmaxRows(float[] x, float[] y, int offset, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int off = offset + r * n;
            float max = x[off];
            for (int i = 1; i < n; i++) {
                max = Math.max(max, x[off + i]);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                float e = (float) Math.exp(x[off + i] - max);
                y[off + i] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int i = 0; i < n; i++) {
                y[off + i] *= inv;
            }
        }
    }
}
