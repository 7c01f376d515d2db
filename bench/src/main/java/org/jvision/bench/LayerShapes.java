package org.jvision.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jvision.kernel.Engine;
import org.jvision.kernel.Kernels;
import org.jvision.kernel.Parallel;
import org.jvision.layers.Layer;
import org.jvision.layers.Softmax;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.model.Sequential;
import org.jvision.optimizers.Adam;
import org.jvision.tensor.Tensor;
import org.jvision.training.Trainer;
import org.jvision.zoo.Zoo;

/**
 * The GEMM shapes that {@link GemmBenchmark} measures: four squares, and every distinct call that
 * one training step and one inference batch of each zoo model make (Fashion-MNIST, batch 64),
 * recorded rather than worked out by hand.
 *
 * <p>A step is walked layer by layer, the way {@link Trainer#trainStep} walks it, so that each call
 * can be named after its layer: {@code lenet5/conv2d_2.forward}, {@code .dW} (the weight gradient
 * {@code Xᵀ·dY}) and {@code .dX} (the input gradient {@code dY·Wᵀ}). The walk is then checked
 * against a real {@code trainStep}: if the trainer ever issues other calls, recording fails instead
 * of benchmarking stale shapes. Inference makes the forward calls again; any it makes that training
 * does not are added as {@code model/inference#i}.
 *
 * <p>Run {@code main} to print the list ({@code --java} prints it as the {@code @Param} literal);
 * {@code LayerShapesTest} fails when GemmBenchmark's list differs from it.
 */
public final class LayerShapes {
    /** The groups {@link #main} can print, besides the zoo models. */
    public static final String SQUARES = "squares";

    private LayerShapes() {
    }

    /** Square products, {@code NN}, sizes 256 to 2048: the textbook GFLOP/s figures. */
    public static List<GemmShape> squares() {
        List<GemmShape> squares = new ArrayList<>();
        for (int size : new int[] {256, 512, 1024, 2048}) {
            squares.add(new GemmShape("", false, false, size, size, size, false));
        }
        return squares;
    }

    /** The squares, then each zoo model's calls, each distinct call once (under its first name). */
    public static List<GemmShape> all() {
        List<GemmShape> shapes = new ArrayList<>(squares());
        for (String model : Zoo.names()) {
            shapes.addAll(ofModel(model));
        }
        return distinct(shapes);
    }

    /** {@code "squares"} or a zoo model name. */
    public static List<GemmShape> ofGroup(String group) {
        return group.equals(SQUARES) ? squares() : ofModel(group);
    }

    /** The distinct GEMM calls of one training step and one inference batch of a zoo model. */
    public static List<GemmShape> ofModel(String modelName) {
        Sequential model = ZooModels.build(modelName);
        Tensor images = ZooModels.gaussian(model.inputShape().withBatch(ZooModels.BATCH), 1);
        Tensor oneHot = ZooModels.oneHot(ZooModels.BATCH, ZooModels.CLASSES, 2);
        Kernels real = Engine.kernels();
        RecordingKernels recorder = new RecordingKernels(real);
        int threads = Parallel.threads();
        // One thread, on every machine: Conv2D cuts its work per thread (the first weight-gradient
        // product of each thread's share overwrites, the others accumulate), so the calls' order
        // and flags would otherwise depend on the core count.
        Parallel.setThreads(1);
        Engine.use(recorder);
        try {
            List<GemmShape> training = walkTrainingStep(modelName, model, images, oneHot, recorder);

            recorder.clear();
            recorder.label("");
            Trainer trainer = new Trainer(model, new Adam(), new SoftmaxCrossEntropy());
            trainer.trainStep(images, oneHot);
            requireSameCalls(modelName, training, recorder.calls());

            recorder.clear();
            trainer.predict(images, ZooModels.BATCH);
            List<GemmShape> shapes = new ArrayList<>(training);
            List<GemmShape> inference = recorder.calls();
            for (int i = 0; i < inference.size(); i++) {
                shapes.add(inference.get(i).named(modelName + "/inference#" + (i + 1)));
            }
            return distinct(shapes);
        } finally {
            Engine.use(real);
            Parallel.setThreads(threads);
        }
    }

    /**
     * Zero gradients → forward (training) → softmax cross-entropy → backward, as
     * {@link Trainer#trainStep} does it, naming each layer's calls. The optimizer step is left out:
     * it makes no GEMM.
     */
    private static List<GemmShape> walkTrainingStep(String modelName, Sequential model, Tensor images, Tensor oneHot,
                                                    RecordingKernels recorder) {
        List<Layer> layers = model.layers();
        // The trainer fuses a final softmax into the cross-entropy: forward stops before it.
        int lossInputLayers = layers.get(layers.size() - 1) instanceof Softmax ? layers.size() - 1 : layers.size();
        model.zeroGradients();
        Tensor x = images;
        for (int i = 0; i < lossInputLayers; i++) {
            recorder.label(modelName + "/" + layers.get(i).name() + ".forward");
            x = layers.get(i).forward(x, true);
        }
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        loss.forward(x, oneHot);
        Tensor g = loss.backward();
        for (int i = lossInputLayers - 1; i >= 0; i--) {
            recorder.label(modelName + "/" + layers.get(i).name());
            g = layers.get(i).backward(g);
        }
        List<GemmShape> calls = new ArrayList<>();
        for (GemmShape call : recorder.calls()) {
            calls.add(call.name().endsWith(".forward") ? call : call.named(call.name() + backwardRole(call)));
        }
        return calls;
    }

    /** Dense and Conv2D compute {@code dW = Xᵀ·dY} (A transposed) and {@code dX = dY·Wᵀ} (B transposed). */
    private static String backwardRole(GemmShape call) {
        if (call.transA() && !call.transB()) {
            return ".dW";
        }
        if (call.transB() && !call.transA()) {
            return ".dX";
        }
        return ".backward";
    }

    private static void requireSameCalls(String modelName, List<GemmShape> walked, List<GemmShape> trained) {
        List<String> expected = walked.stream().map(GemmShape::key).toList();
        List<String> actual = trained.stream().map(GemmShape::key).toList();
        if (!expected.equals(actual)) {
            throw new IllegalStateException("Trainer.trainStep of " + modelName + " made the GEMM calls " + actual
                    + ", but LayerShapes' layer-by-layer walk made " + expected + ": update the walk to match the trainer");
        }
    }

    /** The first call of each {@link GemmShape#key}, in order. */
    static List<GemmShape> distinct(List<GemmShape> shapes) {
        Map<String, GemmShape> first = new LinkedHashMap<>();
        for (GemmShape s : shapes) {
            first.putIfAbsent(s.key(), s);
        }
        return List.copyOf(first.values());
    }

    /**
     * Prints the shapes, one per line: {@code [--java] [GROUP...]} where a group is "squares" or a
     * zoo model (default: {@link #all}); {@code --java} prints them as string literals for the
     * {@code @Param} annotation of {@link GemmBenchmark}.
     */
    public static void main(String[] args) {
        boolean java = false;
        List<String> groups = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--java")) {
                java = true;
            } else if (arg.equals(SQUARES) || Zoo.names().contains(arg)) {
                groups.add(arg);
            } else {
                System.err.println("LayerShapes: unknown argument '" + arg + "'; expected --java, " + SQUARES + " or one of "
                        + Zoo.names());
                System.exit(2);
            }
        }
        List<GemmShape> shapes;
        if (groups.isEmpty()) {
            shapes = all();
        } else {
            List<GemmShape> chosen = new ArrayList<>();
            groups.forEach(group -> chosen.addAll(ofGroup(group)));
            shapes = distinct(chosen);
        }
        for (GemmShape s : shapes) {
            System.out.println(java ? "\"" + s + "\"," : s.toString());
        }
    }
}
