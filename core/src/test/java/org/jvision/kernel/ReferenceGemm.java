package org.jvision.kernel;

/**
 * The matrix product of {@link Kernels#gemm} as plain loops in double precision: the reference
 * that the float32 kernels are tested against. Deliberately the most literal reading of the
 * formula {@code C[i][j] = (accumulate ? C[i][j] : 0) + sum_p op(A)[i][p] · op(B)[p][j]}.
 */
final class ReferenceGemm {
    private ReferenceGemm() {
    }

    /** The {@code m×n} result, row-major and dense (row i at {@code i*n}); C itself is not changed. */
    static double[] multiply(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOffset, int lda,
                             float[] b, int bOffset, int ldb,
                             float[] c, int cOffset, int ldc,
                             boolean accumulate) {
        double[] result = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = accumulate ? c[cOffset + i * ldc + j] : 0;
                for (int p = 0; p < k; p++) {
                    double aip = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
                    double bpj = transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j];
                    sum += aip * bpj;
                }
                result[i * n + j] = sum;
            }
        }
        return result;
    }
}
