package org.jvision.layers;

/**
 * Plain-loop reference implementations in double precision, written straight from the formulas
 * (no im2col, no matrix products, no buffers), for the float layers to be compared against. Layouts
 * are the layers': images {@code [n, h, w, c]}, kernels {@code [kh, kw, cin, cout]}, dense kernels
 * {@code [in, units]}. Padding is given explicitly; {@link #samePadding} recomputes TensorFlow's
 * "same" rule independently of {@link Padding}.
 */
final class Reference {
    private Reference() {
    }

    /** A window over a batch of images, with explicit padding. */
    record Window(int n, int h, int w, int c, int kh, int kw, int sh, int sw, int top, int bottom, int left,
                  int right) {
        int outRows() {
            return (h + top + bottom - kh) / sh + 1;
        }

        int outCols() {
            return (w + left + right - kw) / sw + 1;
        }

        int inputSize() {
            return n * h * w * c;
        }

        int x(int b, int row, int col, int channel) {
            return ((b * h + row) * w + col) * c + channel;
        }

        boolean inside(int row, int col) {
            return row >= 0 && row < h && col >= 0 && col < w;
        }
    }

    /** TensorFlow's "same": {@code {before, after}} for one axis. */
    static int[] samePadding(int in, int k, int s) {
        int out = (int) Math.ceil(in / (double) s);
        int total = Math.max((out - 1) * s + k - in, 0);
        return new int[] {total / 2, total - total / 2};
    }

    static Window window(int n, int h, int w, int c, int kh, int kw, int sh, int sw, boolean same) {
        int[] rows = same ? samePadding(h, kh, sh) : new int[2];
        int[] cols = same ? samePadding(w, kw, sw) : new int[2];
        return new Window(n, h, w, c, kh, kw, sh, sw, rows[0], rows[1], cols[0], cols[1]);
    }

    // ---------------------------------------------------------------- convolution

    static int kernelIndex(Window g, int ky, int kx, int ci, int co, int cout) {
        return ((ky * g.kw() + kx) * g.c() + ci) * cout + co;
    }

    /** {@code y[b,i,j,co] = bias[co] + Σ x[b, i*sh-top+ky, j*sw-left+kx, ci] · k[ky,kx,ci,co]}. */
    static double[] convForward(double[] x, double[] k, double[] bias, Window g, int cout) {
        int oh = g.outRows();
        int ow = g.outCols();
        double[] y = new double[g.n() * oh * ow * cout];
        for (int b = 0; b < g.n(); b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int co = 0; co < cout; co++) {
                        double s = bias == null ? 0 : bias[co];
                        for (int ky = 0; ky < g.kh(); ky++) {
                            for (int kx = 0; kx < g.kw(); kx++) {
                                int row = i * g.sh() - g.top() + ky;
                                int col = j * g.sw() - g.left() + kx;
                                if (!g.inside(row, col)) {
                                    continue;
                                }
                                for (int ci = 0; ci < g.c(); ci++) {
                                    s += x[g.x(b, row, col, ci)] * k[kernelIndex(g, ky, kx, ci, co, cout)];
                                }
                            }
                        }
                        y[((b * oh + i) * ow + j) * cout + co] = s;
                    }
                }
            }
        }
        return y;
    }

    /** Gradients of {@code Σ dy·y} with respect to the input, the kernel and the bias. */
    record Gradients(double[] input, double[] kernel, double[] bias) {
    }

    static Gradients convBackward(double[] x, double[] k, double[] dy, Window g, int cout) {
        int oh = g.outRows();
        int ow = g.outCols();
        double[] dx = new double[x.length];
        double[] dk = new double[k.length];
        double[] db = new double[cout];
        for (int b = 0; b < g.n(); b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int co = 0; co < cout; co++) {
                        double d = dy[((b * oh + i) * ow + j) * cout + co];
                        db[co] += d;
                        for (int ky = 0; ky < g.kh(); ky++) {
                            for (int kx = 0; kx < g.kw(); kx++) {
                                int row = i * g.sh() - g.top() + ky;
                                int col = j * g.sw() - g.left() + kx;
                                if (!g.inside(row, col)) {
                                    continue;
                                }
                                for (int ci = 0; ci < g.c(); ci++) {
                                    int xi = g.x(b, row, col, ci);
                                    int ki = kernelIndex(g, ky, kx, ci, co, cout);
                                    dx[xi] += d * k[ki];
                                    dk[ki] += d * x[xi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Gradients(dx, dk, db);
    }

    // ---------------------------------------------------------------- pooling

    /** Max over the real pixels of each window; {@code argmax} (if not null) gets the first maximum's index. */
    static double[] maxPoolForward(double[] x, Window g, int[] argmax) {
        int oh = g.outRows();
        int ow = g.outCols();
        double[] y = new double[g.n() * oh * ow * g.c()];
        for (int b = 0; b < g.n(); b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int ch = 0; ch < g.c(); ch++) {
                        double best = Double.NEGATIVE_INFINITY;
                        int bestAt = -1;
                        for (int ky = 0; ky < g.kh(); ky++) {
                            for (int kx = 0; kx < g.kw(); kx++) {
                                int row = i * g.sh() - g.top() + ky;
                                int col = j * g.sw() - g.left() + kx;
                                if (g.inside(row, col) && (bestAt < 0 || x[g.x(b, row, col, ch)] > best)) {
                                    best = x[g.x(b, row, col, ch)];
                                    bestAt = g.x(b, row, col, ch);
                                }
                            }
                        }
                        int o = ((b * oh + i) * ow + j) * g.c() + ch;
                        y[o] = best;
                        if (argmax != null) {
                            argmax[o] = bestAt;
                        }
                    }
                }
            }
        }
        return y;
    }

    static double[] maxPoolBackward(double[] x, double[] dy, Window g) {
        int[] argmax = new int[dy.length];
        maxPoolForward(x, g, argmax);
        double[] dx = new double[x.length];
        for (int o = 0; o < dy.length; o++) {
            dx[argmax[o]] += dy[o];
        }
        return dx;
    }

    /** Mean over the real pixels of each window (padding not counted). */
    static double[] averagePoolForward(double[] x, Window g) {
        int oh = g.outRows();
        int ow = g.outCols();
        double[] y = new double[g.n() * oh * ow * g.c()];
        for (int b = 0; b < g.n(); b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int ch = 0; ch < g.c(); ch++) {
                        double s = 0;
                        int count = 0;
                        for (int ky = 0; ky < g.kh(); ky++) {
                            for (int kx = 0; kx < g.kw(); kx++) {
                                int row = i * g.sh() - g.top() + ky;
                                int col = j * g.sw() - g.left() + kx;
                                if (g.inside(row, col)) {
                                    s += x[g.x(b, row, col, ch)];
                                    count++;
                                }
                            }
                        }
                        y[((b * oh + i) * ow + j) * g.c() + ch] = s / count;
                    }
                }
            }
        }
        return y;
    }

    static double[] averagePoolBackward(double[] dy, Window g) {
        int oh = g.outRows();
        int ow = g.outCols();
        double[] dx = new double[g.inputSize()];
        for (int b = 0; b < g.n(); b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int ch = 0; ch < g.c(); ch++) {
                        int count = 0;
                        for (int pass = 0; pass < 2; pass++) {
                            for (int ky = 0; ky < g.kh(); ky++) {
                                for (int kx = 0; kx < g.kw(); kx++) {
                                    int row = i * g.sh() - g.top() + ky;
                                    int col = j * g.sw() - g.left() + kx;
                                    if (!g.inside(row, col)) {
                                        continue;
                                    }
                                    if (pass == 0) {
                                        count++;
                                    } else {
                                        dx[g.x(b, row, col, ch)] += dy[((b * oh + i) * ow + j) * g.c() + ch] / count;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    /** Global average pooling: {@code [n, h, w, c] -> [n, c]}. */
    static double[] globalAverageForward(double[] x, int n, int h, int w, int c) {
        double[] y = new double[n * c];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < h * w; p++) {
                for (int ch = 0; ch < c; ch++) {
                    y[b * c + ch] += x[(b * h * w + p) * c + ch] / (h * w);
                }
            }
        }
        return y;
    }

    static double[] globalAverageBackward(double[] dy, int n, int h, int w, int c) {
        double[] dx = new double[n * h * w * c];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < h * w; p++) {
                for (int ch = 0; ch < c; ch++) {
                    dx[(b * h * w + p) * c + ch] = dy[b * c + ch] / (h * w);
                }
            }
        }
        return dx;
    }

    // ---------------------------------------------------------------- dense

    /** {@code y[b,u] = bias[u] + Σ_i x[b,i] · w[i,u]}. */
    static double[] denseForward(double[] x, double[] w, double[] bias, int n, int in, int units) {
        double[] y = new double[n * units];
        for (int b = 0; b < n; b++) {
            for (int u = 0; u < units; u++) {
                double s = bias == null ? 0 : bias[u];
                for (int i = 0; i < in; i++) {
                    s += x[b * in + i] * w[i * units + u];
                }
                y[b * units + u] = s;
            }
        }
        return y;
    }

    static Gradients denseBackward(double[] x, double[] w, double[] dy, int n, int in, int units) {
        double[] dx = new double[n * in];
        double[] dw = new double[in * units];
        double[] db = new double[units];
        for (int b = 0; b < n; b++) {
            for (int u = 0; u < units; u++) {
                double d = dy[b * units + u];
                db[u] += d;
                for (int i = 0; i < in; i++) {
                    dx[b * in + i] += d * w[i * units + u];
                    dw[i * units + u] += d * x[b * in + i];
                }
            }
        }
        return new Gradients(dx, dw, db);
    }
}
