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
     */
    void planarConvolution(int rows, int cols, int cout, int terms, float[] x, int xOffset, int xRowStep,
                           int[] xTerms, float[] w, float[] y, int yOffset);

    /**
     * The kernel gradient of {@link #planarConvolution}, from an output gradient stored one channel
     * plane at a time ({@code dy[dyOffset + co*rows*cols + i*cols + j]}):
     * <pre>
     *   dw[dwOffset + t*cout + co] += Σ_{i < rows, j < cols} x[xOffset + i*xRowStep + xTerms[t] + j] · dy[dyOffset + (co*rows + i)*cols + j]
     * </pre>
     */
    void planarKernelGradient(int rows, int cols, int cout, int terms, float[] x, int xOffset, int xRowStep,
                              int[] xTerms, float[] dy, int dyOffset, float[] dw, int dwOffset);
}
