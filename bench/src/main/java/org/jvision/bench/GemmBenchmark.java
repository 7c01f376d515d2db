package org.jvision.bench;

import java.util.SplittableRandom;
import org.jvision.kernel.Engine;
import org.jvision.kernel.Kernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * {@code Engine.kernels().gemm} on square matrices and on every call shape that training and
 * inference of the zoo models make (see {@link LayerShapes}, which records them and prints this
 * list; {@code LayerShapesTest} keeps the two equal). Throughput is in calls per second: GFLOP/s is
 * {@code ops/s · 2·m·n·k / 1e9}, which {@code tools/gemm-compare.sh} computes and sets beside
 * OpenBLAS's.
 *
 * <p>Any other shape can be given on the command line, e.g. {@code -p shape=640x100x300:NT}.
 */
public class GemmBenchmark extends BenchmarkDefaults {
    @Param({
        // Printed by LayerShapes --java (see its comment for how to run it); LayerShapesTest checks it.
        "256x256x256:NN",
        "512x512x512:NN",
        "1024x1024x1024:NN",
        "2048x2048x2048:NN",
        "mlp/dense_1.forward:64x256x784:NN:acc",
        "mlp/dense_2.forward:64x128x256:NN:acc",
        "mlp/dense_3.forward:64x10x128:NN:acc",
        "mlp/dense_3.dW:128x10x64:TN",
        "mlp/dense_3.dX:64x128x10:NT",
        "mlp/dense_2.dW:256x128x64:TN",
        "mlp/dense_2.dX:64x256x128:NT",
        "mlp/dense_1.dW:784x256x64:TN",
        "mlp/dense_1.dX:64x784x256:NT",
        "lenet5/conv2d_2.forward:500x16x150:NN:acc",
        "lenet5/conv2d_2.forward:400x16x150:NN:acc",
        "lenet5/dense_1.forward:64x120x400:NN:acc",
        "lenet5/dense_2.forward:64x84x120:NN:acc",
        "lenet5/dense_3.forward:64x10x84:NN:acc",
        "lenet5/dense_3.dW:84x10x64:TN",
        "lenet5/dense_3.dX:64x84x10:NT",
        "lenet5/dense_2.dW:120x84x64:TN",
        "lenet5/dense_2.dX:64x120x84:NT",
        "lenet5/dense_1.dW:400x120x64:TN",
        "lenet5/dense_1.dX:64x400x120:NT",
        "lenet5/conv2d_2.dW:150x16x500:TN",
        "lenet5/conv2d_2.dX:500x150x16:NT",
        "lenet5/conv2d_2.dW:150x16x500:TN:acc",
        "lenet5/conv2d_2.dW:150x16x400:TN:acc",
        "lenet5/conv2d_2.dX:400x150x16:NT",
        "vgg-small/conv2d_1.forward:784x32x9:NN",
        "vgg-small/conv2d_2.forward:784x32x288:NN",
        "vgg-small/conv2d_3.forward:392x64x288:NN",
        "vgg-small/conv2d_4.forward:392x64x576:NN",
        "vgg-small/dense_1.forward:64x256x3136:NN",
        "vgg-small/dense_2.forward:64x10x256:NN:acc",
        "vgg-small/dense_2.dW:256x10x64:TN",
        "vgg-small/dense_2.dX:64x256x10:NT",
        "vgg-small/dense_1.dW:3136x256x64:TN",
        "vgg-small/dense_1.dX:64x3136x256:NT",
        "vgg-small/conv2d_4.dW:576x64x392:TN",
        "vgg-small/conv2d_4.dW:576x64x392:TN:acc",
        "vgg-small/conv2d_3.dW:288x64x392:TN",
        "vgg-small/conv2d_3.backward:392x32x576:NN",
        "vgg-small/conv2d_3.dW:288x64x392:TN:acc",
        "vgg-small/conv2d_2.dW:288x32x784:TN",
        "vgg-small/conv2d_2.dW:288x32x784:TN:acc",
        "vgg-small/conv2d_1.dW:9x32x784:TN",
        "vgg-small/conv2d_1.dW:9x32x784:TN:acc"
    })
    public String shape;

    private GemmShape gemm;
    private Kernels kernels;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void allocate() {
        gemm = GemmShape.parse(shape);
        kernels = Engine.kernels();
        SplittableRandom random = new SplittableRandom(7);
        a = uniform(random, gemm.m() * gemm.k());
        b = uniform(random, gemm.k() * gemm.n());
        c = new float[gemm.m() * gemm.n()];
    }

    @Benchmark
    public float[] gemm() {
        kernels.gemm(gemm.transA(), gemm.transB(), gemm.m(), gemm.n(), gemm.k(), a, 0, gemm.lda(), b, 0, gemm.ldb(),
                c, 0, gemm.n(), gemm.accumulate());
        return c;
    }

    private static float[] uniform(SplittableRandom random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }
}
