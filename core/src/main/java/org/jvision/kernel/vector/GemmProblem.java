package org.jvision.kernel.vector;

/**
 * One matrix product {@code C = (accumulate ? C : 0) + A·B} with every operand described by
 * strides, so that the four transpose combinations, and the transposed product
 * {@code Cᵀ = Bᵀ·Aᵀ}, are one problem to the blocked code.
 *
 * <p>{@code A} is {@code m×k} with element {@code (i, p)} at {@code a[aOffset + i*aRowStride +
 * p*aColStride]}; {@code B} is {@code k×n} with {@code (p, j)} at {@code b[bOffset + p*bRowStride +
 * j*bColStride]}; {@code C} is {@code m×n} with {@code (i, j)} at
 * {@code c[cOffset + i*cRowStride + j*cColStride]}. A row-major operand has column stride 1, a
 * transposed one row stride 1. C is row-major ({@code cColStride = 1}) except in a transposed
 * product.
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

    /** The same product read as {@code Cᵀ = Bᵀ·Aᵀ}: an {@code n×m} result over the same arrays. */
    GemmProblem transposed() {
        return new GemmProblem(n, m, k,
                b, bOffset, bColStride, bRowStride,
                a, aOffset, aColStride, aRowStride,
                c, cOffset, cColStride, cRowStride,
                accumulate);
    }

    /**
     * Depths {@code [p0, p1)} of the product written, not added, to a dense row-major {@code m×n}
     * block of {@code partial} at {@code offset}: one term of a sum split over threads.
     */
    GemmProblem depthSlice(int p0, int p1, float[] partial, int offset) {
        return new GemmProblem(m, n, p1 - p0,
                a, aOffset + p0 * aColStride, aRowStride, aColStride,
                b, bOffset + p0 * bRowStride, bRowStride, bColStride,
                partial, offset, n, 1,
                false);
    }
}
