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

    private static void gemmRows(boolean transA, boolean transB, int rowFrom, int rowTo, int n, int k,
                                 float[] a, int aOffset, int lda,
                                 float[] b, int bOffset, int ldb,
                                 float[] c, int cOffset, int ldc,
                                 boolean accumulate) {
        for (int i = rowFrom; i < rowTo; i++) {
            int cRow = cOffset + i * ldc;
            if (!accumulate) {
                java.util.Arrays.fill(c, cRow, cRow + n, 0f);
            }
            if (!transB) {
                // C[i,:] += A[i,p] * B[p,:], B's rows are contiguous.
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
                    if (aip == 0f) {
                        continue;
                    }
                    int bRow = bOffset + p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] += aip * b[bRow + j];
                    }
                }
            } else {
                // C[i,j] += dot(A[i,:], B^T[:,j]) where B^T[:,j] is row j of B, contiguous.
                for (int j = 0; j < n; j++) {
                    int bRow = bOffset + j * ldb;
                    float sum = 0f;
                    if (!transA) {
                        int aRow = aOffset + i * lda;
                        for (int p = 0; p < k; p++) {
                            sum += a[aRow + p] * b[bRow + p];
                        }
                    } else {
                        for (int p = 0; p < k; p++) {
                            sum += a[aOffset + p * lda + i] * b[bRow + p];
                        }
                    }
                    c[cRow + j] += sum;
                }
            }
        }
    }
}
