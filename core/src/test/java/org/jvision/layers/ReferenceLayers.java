package org.jvision.layers;

/**
 * Plain-loop reference implementations of the activation, dropout and batch-norm layers, in double
 * precision, for the tests: finite differences check them, and they check the float32 layers.
 * Where there is a choice, they follow the textbook derivation rather than the layers' shortcuts
 * (the full softmax Jacobian; batch norm's chain rule step by step as in Ioffe &amp; Szegedy), so the
 * two are not the same formula written twice.
 */
final class ReferenceLayers {
    private ReferenceLayers() {
    }

    static double[] step(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] > 0 ? 1 : 0;
        }
        return y;
    }

    static double[] stepBackward(double[] x, double[] dy) {
        return new double[x.length];
    }

    static double[] sigmoid(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 1 / (1 + Math.exp(-x[i]));
        }
        return y;
    }

    static double[] sigmoidBackward(double[] x, double[] dy) {
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double e = Math.exp(-x[i]);
            dx[i] = dy[i] * e / ((1 + e) * (1 + e));
        }
        return dx;
    }

    static double[] tanh(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double a = Math.exp(x[i]);
            double b = Math.exp(-x[i]);
            y[i] = (a - b) / (a + b);
        }
        return y;
    }

    static double[] tanhBackward(double[] x, double[] dy) {
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double cosh = Math.cosh(x[i]);
            dx[i] = dy[i] / (cosh * cosh);
        }
        return dx;
    }

    static double[] relu(double[] x) {
        return leakyRelu(x, 0);
    }

    static double[] reluBackward(double[] x, double[] dy) {
        return leakyReluBackward(x, dy, 0);
    }

    static double[] leakyRelu(double[] x, double alpha) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] > 0 ? x[i] : alpha * x[i];
        }
        return y;
    }

    static double[] leakyReluBackward(double[] x, double[] dy, double alpha) {
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            dx[i] = x[i] > 0 ? dy[i] : alpha * dy[i];
        }
        return dx;
    }

    /** Softmax over consecutive rows of {@code n} values, straight from the definition. */
    static double[] softmax(double[] x, int n) {
        double[] y = new double[x.length];
        for (int off = 0; off < x.length; off += n) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, x[off + i]);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.exp(x[off + i] - max);
            }
            for (int i = 0; i < n; i++) {
                y[off + i] = Math.exp(x[off + i] - max) / sum;
            }
        }
        return y;
    }

    /** dx_i = sum_j dy_j * dy_j/dx_i with the full Jacobian {@code y_j (delta_ij - y_i)}. */
    static double[] softmaxBackward(double[] x, double[] dy, int n) {
        double[] y = softmax(x, n);
        double[] dx = new double[x.length];
        for (int off = 0; off < x.length; off += n) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    double jacobian = y[off + j] * ((i == j ? 1 : 0) - y[off + i]);
                    s += dy[off + j] * jacobian;
                }
                dx[off + i] = s;
            }
        }
        return dx;
    }

    static double[] dropout(double[] x, boolean[] kept, double keep) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = kept[i] ? x[i] / keep : 0;
        }
        return y;
    }

    static double[] dropoutBackward(double[] dy, boolean[] kept, double keep) {
        return dropout(dy, kept, keep);
    }

    /** Batch statistics per channel (the last axis of {@code c} values): mean and biased variance. */
    static double[][] moments(double[] x, int c) {
        int m = x.length / c;
        double[] mean = new double[c];
        double[] var = new double[c];
        for (int j = 0; j < c; j++) {
            double s = 0;
            for (int r = 0; r < m; r++) {
                s += x[r * c + j];
            }
            mean[j] = s / m;
            double q = 0;
            for (int r = 0; r < m; r++) {
                double d = x[r * c + j] - mean[j];
                q += d * d;
            }
            var[j] = q / m;
        }
        return new double[][] {mean, var};
    }

    /** Batch norm in training: normalize with the batch's own statistics. */
    static double[] batchNormTraining(double[] x, int c, double[] gamma, double[] beta, double eps) {
        double[][] mv = moments(x, c);
        return batchNormInference(x, c, gamma, beta, mv[0], mv[1], eps);
    }

    /** Batch norm with given statistics (inference uses the moving ones). */
    static double[] batchNormInference(double[] x, int c, double[] gamma, double[] beta, double[] mean,
            double[] var, double eps) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int j = i % c;
            y[i] = gamma[j] * (x[i] - mean[j]) / Math.sqrt(var[j] + eps) + beta[j];
        }
        return y;
    }

    record Gradients(double[] dx, double[] dgamma, double[] dbeta) {
    }

    /**
     * Batch norm's backward in training by the chain rule through x_hat, var and mu, as in
     * Ioffe &amp; Szegedy (2015), Algorithm 1's derivation.
     */
    static Gradients batchNormTrainingBackward(double[] x, int c, double[] gamma, double eps, double[] dy) {
        int m = x.length / c;
        double[][] mv = moments(x, c);
        double[] mean = mv[0];
        double[] var = mv[1];
        double[] dx = new double[x.length];
        double[] dgamma = new double[c];
        double[] dbeta = new double[c];
        for (int j = 0; j < c; j++) {
            double std = Math.sqrt(var[j] + eps);
            double dvar = 0;
            double dmean = 0;
            double sumDeviation = 0;
            for (int r = 0; r < m; r++) {
                int i = r * c + j;
                double xhat = (x[i] - mean[j]) / std;
                double dxhat = dy[i] * gamma[j];
                dgamma[j] += dy[i] * xhat;
                dbeta[j] += dy[i];
                dvar += dxhat * (x[i] - mean[j]) * -0.5 * Math.pow(var[j] + eps, -1.5);
                dmean += -dxhat / std;
                sumDeviation += -2 * (x[i] - mean[j]);
            }
            dmean += dvar * sumDeviation / m;
            for (int r = 0; r < m; r++) {
                int i = r * c + j;
                dx[i] = dy[i] * gamma[j] / std + dvar * 2 * (x[i] - mean[j]) / m + dmean / m;
            }
        }
        return new Gradients(dx, dgamma, dbeta);
    }

    /** Batch norm's backward with fixed (moving) statistics. */
    static Gradients batchNormInferenceBackward(double[] x, int c, double[] gamma, double[] mean, double[] var,
            double eps, double[] dy) {
        double[] dx = new double[x.length];
        double[] dgamma = new double[c];
        double[] dbeta = new double[c];
        for (int i = 0; i < x.length; i++) {
            int j = i % c;
            double std = Math.sqrt(var[j] + eps);
            dx[i] = dy[i] * gamma[j] / std;
            dgamma[j] += dy[i] * (x[i] - mean[j]) / std;
            dbeta[j] += dy[i];
        }
        return new Gradients(dx, dgamma, dbeta);
    }
}
