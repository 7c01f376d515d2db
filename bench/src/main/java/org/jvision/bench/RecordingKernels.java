package org.jvision.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jvision.kernel.Kernels;

/**
 * Kernels that pass every call on to real ones and note the shape of each GEMM, under the label
 * last set with {@link #label}: how {@link LayerShapes} learns what a training step really asks of
 * the kernels. Layers may call from worker threads: the list is synchronized.
 */
public final class RecordingKernels implements Kernels {
    private final Kernels delegate;
    private final List<GemmShape> calls = Collections.synchronizedList(new ArrayList<>());
    private volatile String label = "";

    public RecordingKernels(Kernels delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return "recording " + delegate.name();
    }

    /** Names the calls that follow, e.g. {@code "lenet5/conv2d_1.forward"}. */
    public void label(String newLabel) {
        label = newLabel;
    }

    /** The calls so far, in order. */
    public List<GemmShape> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public void clear() {
        calls.clear();
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb,
                     float[] c, int cOffset, int ldc,
                     boolean accumulate) {
        calls.add(new GemmShape(label, transA, transB, m, n, k, accumulate));
        delegate.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
    }

    /** Not a matrix product: passed through unrecorded. */
    @Override
    public void planarConvolution(int rows, int cols, int cout, int terms, float[] x, int xOffset, int xRowStep,
                                  int[] xTerms, float[] w, float[] y, int yOffset) {
        delegate.planarConvolution(rows, cols, cout, terms, x, xOffset, xRowStep, xTerms, w, y, yOffset);
    }

    /** Not a matrix product: passed through unrecorded. */
    @Override
    public void planarKernelGradient(int rows, int cols, int cout, int terms, float[] x, int xOffset, int xRowStep,
                                     int[] xTerms, float[] dy, int dyOffset, float[] dw, int dwOffset) {
        delegate.planarKernelGradient(rows, cols, cout, terms, x, xOffset, xRowStep, xTerms, dy, dyOffset, dw, dwOffset);
    }

    @Override
    public void channelSums(float[] x, int offset, int rows, int channels, float[] center, boolean squared,
                            double[] out, int outOffset) {
        delegate.channelSums(x, offset, rows, channels, center, squared, out, outOffset);
    }

    @Override
    public void channelGradientSums(float[] dy, float[] x, int offset, int rows, int channels, float[] center,
                                    double[] out, int outOffset, float[] gateScale, float[] gateShift) {
        delegate.channelGradientSums(dy, x, offset, rows, channels, center, out, outOffset, gateScale, gateShift);
    }

    @Override
    public void channelAffine(float[] x, float[] out, int offset, int rows, int channels, float[] center,
                              float[] scale, float[] shift, boolean rectify) {
        delegate.channelAffine(x, out, offset, rows, channels, center, scale, shift, rectify);
    }

    @Override
    public void channelNormalizationGradient(float[] dy, float[] x, float[] out, int offset, int rows, int channels,
                                             float[] center, float[] dyMean, float[] xScale, float[] scale,
                                             float[] gateScale, float[] gateShift) {
        delegate.channelNormalizationGradient(dy, x, out, offset, rows, channels, center, dyMean, xScale, scale,
                gateScale, gateShift);
    }

    @Override
    public void maxPool2x2(float[] x, int first, int inRow, float[] y, int o, int outCols, int channels) {
        delegate.maxPool2x2(x, first, inRow, y, o, outCols, channels);
    }

    @Override
    public void maxPool2x2Gradient(float[] x, int first, int inRow, float[] y, float[] dy, int o, float[] dx,
                                   int outCols, int channels) {
        delegate.maxPool2x2Gradient(x, first, inRow, y, dy, o, dx, outCols, channels);
    }

    @Override
    public void addBlock(int rows, int cols, float[] src, int srcOffset, int srcStep, float[] dst, int dstOffset,
                         int dstStep, int dstEnd) {
        delegate.addBlock(rows, cols, src, srcOffset, srcStep, dst, dstOffset, dstStep, dstEnd);
    }

    @Override
    public boolean allFinite(float[] x, int offset, int n) {
        return delegate.allFinite(x, offset, n);
    }

    @Override
    public void softmaxRows(float[] x, float[] y, int offset, int rows, int n) {
        delegate.softmaxRows(x, y, offset, rows, n);
    }
}
