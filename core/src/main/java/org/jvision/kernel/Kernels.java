package org.jvision.kernel;

/**
 * The compute kernels that the layers' hot loops run on. Two implementations: {@link ScalarKernels}
 * (plain loops: the readable reference and the fallback) and the Vector API one in
 * {@code org.jvision.kernel.vector}. {@link Engine} picks one at start-up.
 *
 * <p>Kernels trust their callers: they check nothing and allocate nothing per call beyond
 * reusable scratch; the layers validate shapes.
 */
public interface Kernels {
    /**
     * Floats past the last one a planar convolution reads ({@link #planarConvolution}'s {@code x},
     * {@link #planarKernelGradient}'s {@code x} and {@code dy}) that the vector kernels may load too,
     * and never use: they run whole vectors along the rows. Give arrays this slack; without it those
     * calls fall back to plain loops.
     */
    int PLANAR_SLACK = 32;

    /** A short name for logs and benchmarks, e.g. "vector-512" or "scalar". */
    String name();

    /**
     * Matrix product on row-major arrays: {@code C = (accumulate ? C : 0) + op(A) · op(B)} where
     * {@code op(A)} is {@code m×k} and {@code op(B)} is {@code k×n}.
     *
     * <p>Element {@code (i, p)} of {@code op(A)} is {@code a[aOffset + i*lda + p]}, or
     * {@code a[aOffset + p*lda + i]} when {@code transA}; likewise for B. C's element {@code (i, j)}
     * is {@code c[cOffset + i*ldc + j]}.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOffset, int lda,
              float[] b, int bOffset, int ldb,
              float[] c, int cOffset, int ldc,
              boolean accumulate);

    /**
     * Convolution of an image stored one channel plane at a time, for few output channels, added to
     * an NHWC output: for output rows {@code i < rows}, columns {@code j < cols} and channels
     * {@code co < cout},
     * <pre>
     *   y[yOffset + (i*cols + j)*cout + co] += Σ_{t < terms} x[xOffset + i*xRowStep + xTerms[t] + j] · w[t*cout + co]
     * </pre>
     * the terms taken in order. {@code xTerms[t]} is where kernel position {@code t} reads the
     * (padded) image, {@code w} the kernel as {@code [terms, cout]}; the column stride is 1.
     * {@code x} should extend {@link #PLANAR_SLACK} floats past the last one read.
     */
    void planarConvolution(int rows, int cols, int cout, int terms, float[] x, int xOffset, int xRowStep,
                           int[] xTerms, float[] w, float[] y, int yOffset);

    /**
     * The kernel gradient of {@link #planarConvolution}, from an output gradient stored one channel
     * plane at a time ({@code dy[dyOffset + co*rows*cols + i*cols + j]}):
     * <pre>
     *   dw[dwOffset + t*cout + co] += Σ_{i < rows, j < cols} x[xOffset + i*xRowStep + xTerms[t] + j] · dy[dyOffset + (co*rows + i)*cols + j]
     * </pre>
     * {@code x} and {@code dy} should extend {@link #PLANAR_SLACK} floats past the last ones read.
     */
    void planarKernelGradient(int rows, int cols, int cout, int terms, float[] x, int xOffset, int xRowStep,
                              int[] xTerms, float[] dy, int dyOffset, float[] dw, int dwOffset);

    /**
     * Per-channel sums over {@code rows} rows of {@code channels} floats (an NHWC block: element
     * {@code (r, j)} at {@code x[offset + r*channels + j]}), each taken about {@code center[j]}:
     * <pre>
     *   out[outOffset + j] += Σ_r (x[r, j] - center[j])        or, when squared,
     *   out[outOffset + j] += Σ_r (x[r, j] - center[j])²
     * </pre>
     * Batch normalization's mean and variance. Callers keep blocks small (a few thousand values):
     * a kernel may sum a block in float before adding it to {@code out}.
     */
    void channelSums(float[] x, int offset, int rows, int channels, float[] center, boolean squared,
                     double[] out, int outOffset);

    /**
     * The two per-channel sums of batch normalization's backward pass over a block as in
     * {@link #channelSums}:
     * <pre>
     *   out[outOffset + j]            += Σ_r g[r, j]
     *   out[outOffset + channels + j] += Σ_r g[r, j] · (x[r, j] - center[j])
     * </pre>
     * where {@code g = dy}, or, with a gate ({@code gateScale} and {@code gateShift} not null: a ReLU
     * fused into the forward), {@code g[r, j] = dy[r, j]} where
     * {@link #channelAffine}{@code (x, center, gateScale, gateShift)} is above zero and 0 elsewhere,
     * that affine value computed exactly as {@link #channelAffine} computes it.
     */
    void channelGradientSums(float[] dy, float[] x, int offset, int rows, int channels, float[] center,
                             double[] out, int outOffset, float[] gateScale, float[] gateShift);

    /**
     * A per-channel affine map of a block as in {@link #channelSums}, batch normalization's forward:
     * <pre>
     *   out[r, j] = (x[r, j] - center[j]) · scale[j] + shift[j]        or, rectified,
     *   out[r, j] = max((x[r, j] - center[j]) · scale[j] + shift[j], 0)   (a ReLU fused in)
     * </pre>
     * with both arrays indexed {@code offset + r*channels + j}; {@code out} may be {@code x}.
     */
    void channelAffine(float[] x, float[] out, int offset, int rows, int channels, float[] center, float[] scale,
                       float[] shift, boolean rectify);

    /**
     * Batch normalization's input gradient over a block as in {@link #channelSums}, from the
     * per-channel mean of dy, the centre of x and two scales:
     * <pre>
     *   out[r, j] = ((dy[r, j] - dyMean[j]) - (x[r, j] - center[j]) · xScale[j]) · scale[j]
     * </pre>
     * The differences come first, so a batch of one gives exact zeros. With a gate, {@code dy} is
     * {@code g} of {@link #channelGradientSums}.
     */
    void channelNormalizationGradient(float[] dy, float[] x, float[] out, int offset, int rows, int channels,
                                      float[] center, float[] dyMean, float[] xScale, float[] scale,
                                      float[] gateScale, float[] gateShift);

    /**
     * One row of 2x2 max-pooling windows that tile an NHWC image: for {@code j < outCols} and
     * {@code c < channels}, with {@code p = first + 2*j*channels + c},
     * <pre>
     *   y[o + j*channels + c] = max(x[p], x[p + channels], x[p + inRow], x[p + inRow + channels])
     * </pre>
     * as {@link Math#max} takes it (a NaN wins).
     */
    void maxPool2x2(float[] x, int first, int inRow, float[] y, int o, int outCols, int channels);

    /**
     * The input gradient of {@link #maxPool2x2} for one row of windows: each window's
     * {@code dy[o + j*channels + c]} goes to the first of its four pixels (row-major order) equal
     * to its maximum {@code y[o + j*channels + c]} ({@code -0} and {@code +0} counting as equal), or
     * to its first pixel when the maximum is NaN; the window's other pixels of {@code dx} get zero.
     */
    void maxPool2x2Gradient(float[] x, int first, int inRow, float[] y, float[] dy, int o, float[] dx, int outCols,
                            int channels);

    /**
     * Adds a block of {@code rows × cols} floats onto another, their rows {@code srcStep} and
     * {@code dstStep} apart (col2im's fold of one window's patch gradient back onto its image):
     * <pre>
     *   dst[dstOffset + r*dstStep + t] += src[srcOffset + r*srcStep + t]    for r < rows, t < cols
     * </pre>
     * A kernel may read, and store back unchanged, floats of {@code dst} past a row's end up to
     * {@code dstEnd} (exclusive): no other thread may write there meanwhile.
     */
    void addBlock(int rows, int cols, float[] src, int srcOffset, int srcStep, float[] dst, int dstOffset, int dstStep,
                  int dstEnd);

    /** Whether {@code x[offset .. offset+n)} holds no NaN and no infinity. */
    boolean allFinite(float[] x, int offset, int n);

    /**
     * Softmax of each of {@code rows} rows of {@code n} floats starting at {@code offset}, with the
     * row's maximum subtracted before exponentiating (so large logits do not overflow):
     * <pre>
     *   y[i] = exp(x[i] - max_row x) / Σ_row exp(x[j] - max_row x)
     * </pre>
     * {@code y} may be {@code x}.
     */
    void softmaxRows(float[] x, float[] y, int offset, int rows, int n);
}
