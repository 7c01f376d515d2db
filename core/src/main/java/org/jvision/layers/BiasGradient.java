package org.jvision.layers;

import java.util.Arrays;

/** The bias gradient of Dense and Conv2D: {@code db[c] += Σ_r dY[r, c]}, summed in double. */
final class BiasGradient {
    private BiasGradient() {
    }

    /**
     * Adds the column sums of {@code dy} ({@code rows × columns}, row-major) into {@code db}.
     * {@code sums} is scratch of {@code columns} doubles: a conv layer sums batch·oh·ow rows, where
     * float accumulation would lose digits.
     */
    static void accumulate(float[] dy, int rows, int columns, double[] sums, float[] db) {
        Arrays.fill(sums, 0, columns, 0);
        for (int r = 0; r < rows; r++) {
            int off = r * columns;
            for (int c = 0; c < columns; c++) {
                sums[c] += dy[off + c];
            }
        }
        for (int c = 0; c < columns; c++) {
            db[c] += (float) sums[c];
        }
    }
}
