package org.jvision.kernel.vector;

/**
 * One matrix product {@code C = (accumulate ? C : 0) + A·B} described by strides, so that the
 * four transpose combinations and C's transpose are all the same problem to the blocked code.
 *
 * <p>{@code A} is {@code m×k} with element {@code (i, p)} at {@code a[aOffset + i*aRowStride +
 * p*aColStride]}; {@code B} is {@code k×n} with {@code (p, j)} at {@code b[bOffset + p*bRowStride +
 * j*bColStride]}; {@code C} is {@code m×n} with {@code (i, j)} at {@code c[cOffset + i*cRowStride +
 * j*cColStride]}. A row-major operand has column stride 1, a transposed one row stride 1.
 */
record GemmProblem(int m, int n, int k,
                   float[] a, int aOffset, int aRowStride, int aColStride,
                   float[] b, int bOffset, int bRowStride, int bColStride,
                   float[] c, int cOffset, int cRowStride, int cColStride,
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
                c, cOffset, ldc, 1,
                accumulate);
    }

    /**
     * The same product computed as {@code C^T = B^T · A^T}: the roles of A and B swap and C is
     * written through its transpose. Worth it when n is much smaller than a register tile is wide
     * (e.g. 6 output channels against 32 lanes), since the tile's long side then runs along m.
     */
    GemmProblem transposed() {
        return new GemmProblem(n, m, k,
                b, bOffset, bColStride, bRowStride,
                a, aOffset, aColStride, aRowStride,
                c, cOffset, cColStride, cRowStride,
                accumulate);
    }
}
