package org.jvision.testing;

import static org.assertj.core.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Shared numerical test helpers: random data, closeness within a relative tolerance with an
 * absolute floor, and central finite differences (eps 1e-6) on double-precision references.
 */
public final class Numerics {
    /** Relative tolerance for float32 fast code against a double reference. */
    public static final double RELATIVE = 1e-4;

    private Numerics() {
    }

    public static float[] randomFloats(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return a;
    }

    public static double[] toDouble(float[] a, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /**
     * Asserts |actual - expected| <= tolerance * max(|expected|, floor) element-wise, where
     * {@code floor} is the largest |expected| value times 1e-2 (so tiny entries of a large
     * result are judged against the result's scale), and at least 1e-6.
     */
    public static void assertClose(String what, float[] actual, double[] expected, int n, double tolerance) {
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        double floor = Math.max(scale * 1e-2, 1e-6);
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(actual[i])) {
                fail(what + ": element " + i + " is " + actual[i]);
            }
            double err = Math.abs(actual[i] - expected[i]);
            if (err > tolerance * Math.max(Math.abs(expected[i]), floor)) {
                fail(what + ": element " + i + " of " + n + " is " + actual[i] + ", expected " + expected[i]
                        + " (relative error " + err / Math.max(Math.abs(expected[i]), floor) + ")");
            }
        }
    }

    public static void assertClose(String what, double[] actual, double[] expected, double tolerance) {
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double floor = Math.max(scale * 1e-2, 1e-8);
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= tolerance * Math.max(Math.abs(expected[i]), floor))) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    /**
     * Central finite differences of {@code f} with respect to every element of {@code x}
     * (eps 1e-6), restoring {@code x} afterwards.
     */
    public static double[] numericalGradient(double[] x, ToDoubleFunction<double[]> f) {
        double eps = 1e-6;
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double saved = x[i];
            x[i] = saved + eps;
            double plus = f.applyAsDouble(x);
            x[i] = saved - eps;
            double minus = f.applyAsDouble(x);
            x[i] = saved;
            g[i] = (plus - minus) / (2 * eps);
        }
        return g;
    }

    /** The weighted sum {@code sum(w_i * y_i)}: a scalar "loss" whose gradient w.r.t. y is w. */
    public static double weightedSum(double[] y, double[] w) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += y[i] * w[i];
        }
        return s;
    }
}
