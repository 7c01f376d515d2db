package org.jvision.kernel.vector;

/**
 * One matrix product {@code C = (accumulate ? C : 0) + A·B} with A and B described by strides,
 * so that the four transpose combinations are one problem to the blocked code.
 *
 * <p>{@code A} is {@code m×k} with element {@code (i, p)} at {@code a[aOffset + i*aRowStride +
 * p*aColStride]}; {@code B} is {@code k×n} with {@code (p, j)} at {@code b[bOffset + p*bRowStride +
 * j*bColStride]}; {@code C} is {@code m×n}, row-major, with {@code (i, j)} at
 * {@code c[cOffset + i*ldc + j]}. A row-major operand has column stride 1, a transposed one row
 * stride 1.
 */
record GemmProblem(int m, int n, int k,
                   float[] a, int aOffset, int aRowStride, int aColStride,
                   float[] b, int bOffset, int bRowStride, int bColStride,
                   float[] c, int cOffset, int ldc,
                   boolean accumulate) {

    /** The product as {@link org.jvision.kernel.Kernels#gemm} documents it. */
    static GemmProblem of(boolean transA, boolean transB, int m, int n, int k,
                          float[] a, int aOffset, int lda,
                          float[] b, int bOffset, int ldb,
                          float[] c, int cOffset, int ldc,
                          boolean accumulate) {
        return new GemmProblem(m, n, k,
                a, aOffset, transA ? 1 : lda, transA ? lda : 1,
                b, bOffset, transB ? 1 : ldb, transB ? ldb : 1,
                c, cOffset, ldc,
                accumulate);
    }
}
