package org.jvision.losses;

/**
 * Plain-loop reference losses in double precision, for the tests. They use the textbook forms
 * (log of the softmax and of the sigmoid, gradients by the chain rule through the probabilities),
 * not the fused shortcuts of the float32 code, so the two are not the same formula written twice.
 * Fine for the moderate logits the tests give them.
 */
final class ReferenceLosses {
    private ReferenceLosses() {
    }

    static double meanSquaredError(double[] p, double[] t) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += (p[i] - t[i]) * (p[i] - t[i]);
        }
        return s / p.length;
    }

    static double[] meanSquaredErrorGradient(double[] p, double[] t) {
        double[] g = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            g[i] = 2 * (p[i] - t[i]) / p.length;
        }
        return g;
    }

    static double[] softmax(double[] z, int n) {
        double[] p = new double[z.length];
        for (int off = 0; off < z.length; off += n) {
            double sum = 0;
            for (int k = 0; k < n; k++) {
                sum += Math.exp(z[off + k]);
            }
            for (int k = 0; k < n; k++) {
                p[off + k] = Math.exp(z[off + k]) / sum;
            }
        }
        return p;
    }

    /** Mean over rows of {@code -sum_k t_k log softmax(z)_k}. */
    static double crossEntropy(double[] z, double[] t, int n) {
        double[] p = softmax(z, n);
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            s -= t[i] * Math.log(p[i]);
        }
        return s / (z.length / n);
    }

    /** dL/dz_k = sum_j dL/dp_j * dp_j/dz_k, with dL/dp_j = -t_j / (rows p_j), dp_j/dz_k = p_j (delta_jk - p_k). */
    static double[] crossEntropyGradient(double[] z, double[] t, int n) {
        double[] p = softmax(z, n);
        int rows = z.length / n;
        double[] g = new double[z.length];
        for (int off = 0; off < z.length; off += n) {
            for (int k = 0; k < n; k++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    double dLdp = -t[off + j] / (rows * p[off + j]);
                    s += dLdp * p[off + j] * ((j == k ? 1 : 0) - p[off + k]);
                }
                g[off + k] = s;
            }
        }
        return g;
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** Mean of {@code -[t log sigma(z) + (1 - t) log(1 - sigma(z))]}. */
    static double binaryCrossEntropy(double[] z, double[] t) {
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            double p = sigmoid(z[i]);
            s -= t[i] * Math.log(p) + (1 - t[i]) * Math.log(1 - p);
        }
        return s / z.length;
    }

    /** dL/dz = dL/dp * dp/dz, with dL/dp = (-t/p + (1 - t)/(1 - p)) / count and dp/dz = p (1 - p). */
    static double[] binaryCrossEntropyGradient(double[] z, double[] t) {
        double[] g = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            double p = sigmoid(z[i]);
            g[i] = (-t[i] / p + (1 - t[i]) / (1 - p)) / z.length * p * (1 - p);
        }
        return g;
    }
}
