package org.jvision.layers;

/**
 * Where a sliding window (a convolution kernel or a pooling window) lands on an image, shared by
 * {@link Conv2D} and the pooling layers. Per axis,
 * <pre>
 *   out = floor((in + padBefore + padAfter - k) / stride) + 1
 * </pre>
 * and output position {@code o} reads input positions {@code o*stride - padBefore + [0, k)}, those
 * outside {@code [0, in)} being padding. When {@code stride > k}, or the stride does not divide
 * {@code in + pad - k}, the last rows/columns are never read (a ragged edge); they get a zero
 * gradient.
 *
 * @param inRows     image rows
 * @param inCols     image columns
 * @param kernelRows window rows (kh)
 * @param kernelCols window columns (kw)
 * @param strideRows step between windows down the rows (sh)
 * @param strideCols step across the columns (sw)
 * @param padTop     zero rows above
 * @param padBottom  zero rows below
 * @param padLeft    zero columns to the left
 * @param padRight   zero columns to the right
 * @param outRows    output rows
 * @param outCols    output columns
 */
public record WindowGeometry(int inRows, int inCols, int kernelRows, int kernelCols, int strideRows, int strideCols,
                             int padTop, int padBottom, int padLeft, int padRight, int outRows, int outCols) {

    /**
     * Resolves the padding and computes the output size.
     *
     * @param owner  who is asking, for messages (e.g. {@code "Conv2D 'c1'"})
     * @param window what the window is called in messages ("kernel", "pool window")
     * @throws IllegalArgumentException when the window is larger than the padded image
     */
    public static WindowGeometry of(String owner, String window, int inRows, int inCols, int kernelRows,
                                    int kernelCols, int strideRows, int strideCols, Padding padding) {
        int[] rows = padding.resolve(inRows, kernelRows, strideRows, true);
        int[] cols = padding.resolve(inCols, kernelCols, strideCols, false);
        int paddedRows = inRows + rows[0] + rows[1];
        int paddedCols = inCols + cols[0] + cols[1];
        if (kernelRows > paddedRows || kernelCols > paddedCols) {
            throw new IllegalArgumentException(owner + ": " + window + " " + kernelRows + "x" + kernelCols
                    + " is larger than the padded input " + paddedRows + "x" + paddedCols + " (input " + inRows + "x"
                    + inCols + ", padding " + padding + ")");
        }
        return new WindowGeometry(inRows, inCols, kernelRows, kernelCols, strideRows, strideCols,
                rows[0], rows[1], cols[0], cols[1],
                outSize(paddedRows, kernelRows, strideRows), outSize(paddedCols, kernelCols, strideCols));
    }

    /** {@code floor((padded - k) / stride) + 1}, for {@code padded >= k}. */
    public static int outSize(int padded, int kernel, int stride) {
        return (padded - kernel) / stride + 1;
    }

    /** Whether every window is one pixel and they tile the image: a 1x1, stride-1, unpadded window. */
    public boolean isPointwise() {
        return kernelRows == 1 && kernelCols == 1 && strideRows == 1 && strideCols == 1
                && padTop == 0 && padBottom == 0 && padLeft == 0 && padRight == 0;
    }

    /** First input row of output row {@code outRow} (negative inside the top padding). */
    public int rowStart(int outRow) {
        return outRow * strideRows - padTop;
    }

    /** First input column of output column {@code outCol}. */
    public int colStart(int outCol) {
        return outCol * strideCols - padLeft;
    }

    /**
     * How many examples one chunk of {@code Parallel.forChunks} should take at least, so that a
     * hand-off to another thread (microseconds) is paid by about 32k operations of work.
     */
    static int minExamplesPerTask(long workPerExample) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (1L << 15) / Math.max(1, workPerExample)));
    }
}
