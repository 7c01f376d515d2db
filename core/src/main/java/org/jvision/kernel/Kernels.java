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
     * Element-wise multiply-add: {@code y[yOffset + i] += a[aOffset + i] * b[bOffset + i]} for
     * {@code i < n} (the inner loop of {@code org.jvision.layers.DirectConvolution}).
     */
    void multiplyAdd(float[] y, int yOffset, float[] a, int aOffset, float[] b, int bOffset, int n);
}
