package org.jvision.pytorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.jvision.testing.Numerics.RELATIVE;
import static org.jvision.testing.Numerics.assertClose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.jvision.layers.AveragePool2D;
import org.jvision.layers.BatchNormalization;
import org.jvision.layers.Conv2D;
import org.jvision.layers.Dense;
import org.jvision.layers.Initializer;
import org.jvision.layers.Layer;
import org.jvision.layers.MaxPool2D;
import org.jvision.layers.Padding;
import org.jvision.layers.Parameter;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.optimizers.Adam;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * jvision's layers, loss and optimizer against fixtures recorded once from PyTorch 1.13 by
 * {@code tools/pytorch/record_fixtures.py} (STYLE.md 12(c)). The fixtures are stored already in
 * jvision's layout (NHWC images, conv kernels {@code [kh, kw, cin, cout]}, dense kernels
 * {@code [in, out]}) and were computed by PyTorch in float64 from float32 inputs, so they are a
 * double reference for jvision's float32 code, compared at {@link org.jvision.testing.Numerics#RELATIVE}.
 *
 * <p>Every layer case: copy the recorded weights into the freshly built layer, forward in training
 * mode, backward with the recorded {@code g} (the loss is {@code sum(output * g)}), then compare the
 * output, the input gradient and every parameter gradient. Recorded shapes are checked too, so a
 * layout mistake fails loudly rather than comparing permuted numbers.
 */
class PyTorchFixturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One recorded case: its settings and its named tensors. */
    record Fixture(String name, JsonNode root) {
        static Fixture load(String name) {
            String resource = "/org/jvision/pytorch/" + name + ".json";
            try (InputStream in = PyTorchFixturesTest.class.getResourceAsStream(resource)) {
                assertThat(in).as("fixture %s on the test classpath", resource).isNotNull();
                return new Fixture(name, JSON.readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(resource, e);
            }
        }

        JsonNode settings() {
            return root.get("settings");
        }

        private JsonNode node(String tensor) {
            JsonNode n = root.get("tensors").get(tensor);
            assertThat(n).as("%s: tensor '%s' in the fixture", name, tensor).isNotNull();
            return n;
        }

        Shape shape(String tensor) {
            return Shape.of(ints(node(tensor).get("shape")));
        }

        double[] doubles(String tensor) {
            JsonNode data = node(tensor).get("data");
            double[] d = new double[data.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = data.get(i).asDouble();
            }
            assertThat(d.length).as("%s: values of '%s'", name, tensor).isEqualTo(shape(tensor).size());
            return d;
        }

        /** The recorded values as a float32 tensor (inputs and weights are float32 values exactly). */
        Tensor tensor(String tensor) {
            double[] d = doubles(tensor);
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return new Tensor(shape(tensor), f);
        }

        /** Overwrites a parameter's value with a recorded tensor of the same shape. */
        void copyInto(Parameter parameter, String tensor) {
            Tensor t = tensor(tensor);
            assertThat(parameter.value().shape()).as("%s: shape of parameter '%s' vs recorded '%s'", name,
                    parameter.name(), tensor).isEqualTo(t.shape());
            System.arraycopy(t.data(), 0, parameter.value().data(), 0, t.size());
        }

        /** Asserts a jvision result has the recorded shape and values within 1e-4 relative. */
        void check(String what, Tensor actual, String tensor) {
            assertThat(actual.shape()).as("%s: shape of %s", name, what).isEqualTo(shape(tensor));
            assertClose(name + ": " + what, actual.data(), doubles(tensor), actual.size(), RELATIVE);
        }
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    static int[] ints(JsonNode array) {
        int[] a = new int[array.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = array.get(i).asInt();
        }
        return a;
    }

    /** Builds the layer for the recorded input's per-example shape and runs forward (training) and backward. */
    static void forwardBackward(Fixture f, Layer layer, Runnable copyWeights) {
        Tensor x = f.tensor("input");
        layer.build(x.shape().dropBatch(), new SplittableRandom(0));
        copyWeights.run();
        f.check("output", layer.forward(x, true), "output");
        f.check("input gradient", layer.backward(f.tensor("output_gradient")), "input_gradient");
    }

    static void checkConvolution(String name, Padding padding) {
        Fixture f = Fixture.load(name);
        JsonNode s = f.settings();
        Conv2D conv = new Conv2D("conv", new Conv2D.Config(s.get("filters").asInt(), ints(s.get("kernel_size")),
                ints(s.get("strides")), padding, s.get("use_bias").asBoolean(), Initializer.GLOROT_UNIFORM));
        forwardBackward(f, conv, () -> {
            f.copyInto(conv.parameters().get(0), "kernel");
            f.copyInto(conv.parameters().get(1), "bias");
        });
        f.check("kernel gradient", conv.parameters().get(0).gradient(), "kernel_gradient");
        f.check("bias gradient", conv.parameters().get(1).gradient(), "bias_gradient");
    }

    @Test
    void conv2dWithExplicitPaddingAndUnequalStrides() {
        // PyTorch padding=(1, 1): one row above and below, one column left and right
        checkConvolution("conv2d_explicit", Padding.explicit(1, 1, 1, 1));
    }

    @Test
    void conv2dSame() {
        // PyTorch padding='same' with an odd kernel at stride 1 pads symmetrically, as TensorFlow's rule does
        checkConvolution("conv2d_same", Padding.same());
    }

    @Test
    void maxPool2x2Stride2() {
        Fixture f = Fixture.load("max_pool2d");
        JsonNode s = f.settings();
        forwardBackward(f, new MaxPool2D("pool", new MaxPool2D.Config(ints(s.get("pool_size")),
                ints(s.get("strides")), Padding.valid())), () -> { });
    }

    @Test
    void averagePool3x3Stride2() {
        Fixture f = Fixture.load("avg_pool2d");
        JsonNode s = f.settings();
        forwardBackward(f, new AveragePool2D("pool", new AveragePool2D.Config(ints(s.get("pool_size")),
                ints(s.get("strides")), Padding.valid())), () -> { });
    }

    @Test
    void denseAgainstLinear() {
        Fixture f = Fixture.load("linear");
        Dense dense = new Dense("dense", new Dense.Config(f.settings().get("out").asInt(), true,
                Initializer.GLOROT_UNIFORM));
        forwardBackward(f, dense, () -> {
            f.copyInto(dense.parameters().get(0), "kernel");
            f.copyInto(dense.parameters().get(1), "bias");
        });
        f.check("kernel gradient", dense.parameters().get(0).gradient(), "kernel_gradient");
        f.check("bias gradient", dense.parameters().get(1).gradient(), "bias_gradient");
    }

    @Test
    void batchNormalizationTrainingStepThenInference() {
        Fixture f = Fixture.load("batch_norm2d");
        JsonNode s = f.settings();
        // PyTorch's momentum weighs the new batch, Keras's (and jvision's) the old statistics: 0.1 <=> 0.9
        double momentum = s.get("momentum_keras").asDouble();
        assertThat(momentum).isEqualTo(1 - s.get("momentum_pytorch").asDouble(), within(1e-12));
        BatchNormalization bn = new BatchNormalization("bn",
                new BatchNormalization.Config(momentum, s.get("epsilon").asDouble()));
        forwardBackward(f, bn, () -> {
            f.copyInto(bn.gamma(), "gamma");
            f.copyInto(bn.beta(), "beta");
        });
        f.check("gamma gradient", bn.gamma().gradient(), "gamma_gradient");
        f.check("beta gradient", bn.beta().gradient(), "beta_gradient");
        f.check("moving mean", bn.movingMean().value(), "running_mean");

        // Moving variance: PyTorch blends in the UNBIASED batch variance (divides by m - 1), jvision
        // the biased one (divides by m), as Keras does; a documented difference. So the expectation
        // is computed from the recorded input, and PyTorch's recorded value is checked to be the
        // unbiased counterpart of the same batch.
        double[] x = f.doubles("input");
        int c = bn.movingVariance().value().size();
        int m = x.length / c;
        double[] biased = new double[c];
        double[] expectedMoving = new double[c];
        double[] pytorchFromBiased = new double[c];
        for (int j = 0; j < c; j++) {
            double mean = 0;
            for (int r = 0; r < m; r++) {
                mean += x[r * c + j];
            }
            mean /= m;
            double ss = 0;
            for (int r = 0; r < m; r++) {
                double d = x[r * c + j] - mean;
                ss += d * d;
            }
            biased[j] = ss / m;
            expectedMoving[j] = momentum * 1.0 + (1 - momentum) * biased[j];
            pytorchFromBiased[j] = momentum * 1.0 + (1 - momentum) * biased[j] * m / (m - 1);
        }
        assertClose(f.name() + ": moving variance (biased batch variance)", bn.movingVariance().value().data(),
                expectedMoving, c, RELATIVE);
        assertClose(f.name() + ": PyTorch's running_var is the unbiased blend", f.doubles("running_var_unbiased"),
                pytorchFromBiased, RELATIVE);

        // Inference with PyTorch's running statistics (its variance, to compare like with like)
        f.copyInto(bn.movingMean(), "running_mean");
        f.copyInto(bn.movingVariance(), "running_var_unbiased");
        f.check("inference output", bn.forward(f.tensor("inference_input"), false), "inference_output");
    }

    @Test
    void softmaxCrossEntropyAgainstCrossEntropyMean() {
        Fixture f = Fixture.load("softmax_cross_entropy");
        Tensor logits = f.tensor("logits");
        int[] labels = ints(f.settings().get("labels"));
        int classes = logits.dim(1);
        assertThat(labels).hasSize(logits.dim(0));
        Tensor oneHot = Tensor.zeros(logits.dim(0), classes);
        for (int i = 0; i < labels.length; i++) {
            oneHot.data()[i * classes + labels[i]] = 1f;
        }
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        float value = loss.forward(logits, oneHot);
        assertClose(f.name() + ": loss", new float[] {value}, f.doubles("loss"), 1, RELATIVE);
        f.check("logits gradient", loss.backward(), "logits_gradient");
    }

    @Test
    void adamThreeSteps() {
        Fixture f = Fixture.load("adam");
        JsonNode s = f.settings();
        assertThat(new Adam().config()).isEqualTo(new Adam.Config((float) s.get("lr").asDouble(),
                (float) s.get("beta1").asDouble(), (float) s.get("beta2").asDouble(), (float) s.get("eps").asDouble(), 0f)); // weight decay: PyTorch's default
        Parameter w = Parameter.weight("w", f.tensor("initial"));
        Adam adam = new Adam();
        int steps = s.get("steps").asInt();
        for (int t = 1; t <= steps; t++) {
            double[] previous = toDouble(w.value().data());
            Tensor g = f.tensor("gradient_" + t);
            assertThat(g.shape()).isEqualTo(w.value().shape());
            System.arraycopy(g.data(), 0, w.gradient().data(), 0, g.size());
            adam.step(List.of(w));
            double[] after = f.doubles("after_step_" + t);
            f.check("parameter after step " + t, w.value(), "after_step_" + t);
            // The steps themselves (about lr), judged on their own scale: PyTorch's step from
            // PyTorch's previous value, jvision's from its own
            double[] recordedPrevious = t == 1 ? f.doubles("initial") : f.doubles("after_step_" + (t - 1));
            double[] expectedStep = new double[after.length];
            double[] actualStep = new double[after.length];
            float[] now = w.value().data();
            for (int i = 0; i < after.length; i++) {
                expectedStep[i] = after[i] - recordedPrevious[i];
                actualStep[i] = now[i] - previous[i];
            }
            assertClose(f.name() + ": update of step " + t, actualStep, expectedStep, RELATIVE);
        }
    }
}
