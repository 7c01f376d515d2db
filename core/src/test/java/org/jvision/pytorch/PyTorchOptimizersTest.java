package org.jvision.pytorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvision.testing.Numerics.RELATIVE;
import static org.jvision.testing.Numerics.assertClose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.jvision.layers.Dense;
import org.jvision.layers.Initializer;
import org.jvision.layers.Parameter;
import org.jvision.losses.SoftmaxCrossEntropy;
import org.jvision.optimizers.Adagrad;
import org.jvision.optimizers.Adam;
import org.jvision.optimizers.AdamW;
import org.jvision.optimizers.Adamax;
import org.jvision.optimizers.Optimizer;
import org.jvision.optimizers.Optimizers;
import org.jvision.optimizers.RMSprop;
import org.jvision.optimizers.SGD;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * jvision's optimizers against PyTorch 1.13's, from {@code optimizers.json} recorded by
 * {@code tools/pytorch/record_optimizer_fixtures.py}: every case (each optimizer with PyTorch's
 * defaults and with other settings) takes 5 steps on a fixed quadratic, fed the gradients PyTorch
 * saw, and 3 steps on a dense 4 -> 3 layer with softmax cross-entropy, whose gradients jvision's
 * {@link Dense} and {@link SoftmaxCrossEntropy} compute from jvision's own weights. PyTorch decays
 * the dense kernel only (the bias is in a group with weight decay 0), as jvision does by itself.
 *
 * <p>The weights are compared at {@link #WEIGHTS}; how far they moved from where they started, at
 * {@link #DISPLACEMENT}, which is what judges the rule itself when the steps are small next to the
 * weights (float32 weights near 1 resolve a move of 1e-3 to about 1e-4 of it).
 */
class PyTorchOptimizersTest {
    private static final double WEIGHTS = 1e-5;
    private static final double DISPLACEMENT = 1e-3;
    private static final JsonNode FIXTURE = load();

    private static JsonNode load() {
        String resource = "/org/jvision/pytorch/optimizers.json";
        try (InputStream in = PyTorchOptimizersTest.class.getResourceAsStream(resource)) {
            assertThat(in).as("fixture %s on the test classpath", resource).isNotNull();
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    static Stream<String> cases() {
        List<String> names = new ArrayList<>();
        FIXTURE.get("cases").forEach(c -> names.add(c.get("name").asText()));
        return names.stream();
    }

    private static JsonNode fixtureCase(String name) {
        for (JsonNode c : FIXTURE.get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no case " + name);
    }

    /** jvision's config for PyTorch's hyperparameters, after checking the ones jvision lacks are at their neutral values. */
    static Record config(JsonNode c) {
        JsonNode h = c.get("hyperparameters");
        assertThat(h.path("maximize").asBoolean()).as("%s: maximize", c.get("name")).isFalse();
        assertThat(h.path("dampening").asDouble()).as("%s: SGD dampening", c.get("name")).isZero();
        assertThat(h.path("lr_decay").asDouble()).as("%s: Adagrad lr_decay", c.get("name")).isZero();
        assertThat(h.path("amsgrad").asBoolean()).as("%s: amsgrad", c.get("name")).isFalse();
        float lr = number(h, "lr");
        float weightDecay = number(h, "weight_decay");
        return switch (c.get("optimizer").asText()) {
            case "sgd" -> new SGD.Config(lr, number(h, "momentum"), h.get("nesterov").asBoolean(), weightDecay);
            case "adagrad" -> new Adagrad.Config(lr, number(h, "eps"), number(h, "initial_accumulator_value"), weightDecay);
            case "rmsprop" -> new RMSprop.Config(lr, number(h, "alpha"), number(h, "eps"), number(h, "momentum"),
                    h.get("centered").asBoolean(), weightDecay);
            case "adam" -> new Adam.Config(lr, beta(h, 0), beta(h, 1), number(h, "eps"), weightDecay);
            case "adamax" -> new Adamax.Config(lr, beta(h, 0), beta(h, 1), number(h, "eps"), weightDecay);
            case "adamw" -> new AdamW.Config(lr, beta(h, 0), beta(h, 1), number(h, "eps"), weightDecay);
            default -> throw new AssertionError("unknown optimizer in the fixture: " + c.get("optimizer"));
        };
    }

    static Optimizer create(Record config) {
        return switch (config) {
            case SGD.Config c -> new SGD(c);
            case Adagrad.Config c -> new Adagrad(c);
            case RMSprop.Config c -> new RMSprop(c);
            case Adam.Config c -> new Adam(c);
            case Adamax.Config c -> new Adamax(c);
            case AdamW.Config c -> new AdamW(c);
            default -> throw new AssertionError(config);
        };
    }

    private static float number(JsonNode h, String key) {
        assertThat(h.get(key)).as("hyperparameter %s", key).isNotNull();
        return (float) h.get(key).asDouble();
    }

    private static float beta(JsonNode h, int i) {
        return (float) h.get("betas").get(i).asDouble();
    }

    private static double[] doubles(JsonNode array) {
        double[] d = new double[array.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = array.get(i).asDouble();
        }
        return d;
    }

    private static float[] floats(JsonNode array) {
        double[] d = doubles(array);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** The weights at {@link #WEIGHTS}, and their displacement from {@code initial} at {@link #DISPLACEMENT}. */
    private static void checkWeights(String what, float[] actual, double[] initial, double[] expected) {
        assertClose(what, actual, expected, expected.length, WEIGHTS);
        double[] moved = new double[expected.length];
        double[] expectedMoved = new double[expected.length];
        for (int i = 0; i < expected.length; i++) {
            moved[i] = actual[i] - initial[i];
            expectedMoved[i] = expected[i] - initial[i];
        }
        assertClose(what + ", displacement from the start", moved, expectedMoved, DISPLACEMENT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void defaultsAreTorchDefaults(String name) {
        JsonNode c = fixtureCase(name);
        Record config = config(c);
        assertThat(create(config).name()).isEqualTo(c.get("optimizer").asText());
        if (c.get("defaults").asBoolean()) {
            assertThat(Optimizers.create(c.get("optimizer").asText(), null).config()).as(name).isEqualTo(config);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fiveStepsOnAQuadratic(String name) {
        JsonNode c = fixtureCase(name);
        JsonNode q = FIXTURE.get("quadratic");
        JsonNode recorded = c.get("quadratic");
        double[] initial = doubles(q.get("initial"));
        Parameter w = Parameter.weight("w", Tensor.of(floats(q.get("initial")), initial.length));
        Optimizer optimizer = create(config(c));
        int steps = q.get("steps").asInt();
        assertThat(recorded.get("weights").size()).isEqualTo(steps);
        for (int t = 0; t < steps; t++) {
            float[] g = floats(recorded.get("gradients").get(t));
            System.arraycopy(g, 0, w.gradient().data(), 0, g.length);
            optimizer.step(List.of(w));
            checkWeights(name + ": quadratic, weights after step " + (t + 1), w.value().data(), initial,
                    doubles(recorded.get("weights").get(t)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void threeStepsOnADenseSoftmaxNetwork(String name) {
        JsonNode c = fixtureCase(name);
        JsonNode net = FIXTURE.get("network");
        JsonNode recorded = c.get("network");
        int[] inputShape = {net.get("input_shape").get(0).asInt(), net.get("input_shape").get(1).asInt()};
        int units = net.get("kernel_shape").get(1).asInt();
        Tensor x = Tensor.of(floats(net.get("input")), inputShape);
        Tensor oneHot = Tensor.zeros(inputShape[0], units);
        for (int r = 0; r < inputShape[0]; r++) {
            oneHot.data()[r * units + net.get("labels").get(r).asInt()] = 1f;
        }
        Dense dense = new Dense("dense", new Dense.Config(units, true, Initializer.GLOROT_UNIFORM));
        dense.build(Shape.of(inputShape[1]), new SplittableRandom(0));
        Parameter kernel = dense.parameters().get(0);
        Parameter bias = dense.parameters().get(1);
        assertThat(kernel.regularizable()).as("the kernel decays").isTrue();
        assertThat(bias.regularizable()).as("the bias does not").isFalse();
        double[] initialKernel = doubles(net.get("kernel"));
        double[] initialBias = doubles(net.get("bias"));
        System.arraycopy(floats(net.get("kernel")), 0, kernel.value().data(), 0, kernel.value().size());
        System.arraycopy(floats(net.get("bias")), 0, bias.value().data(), 0, bias.value().size());

        Optimizer optimizer = create(config(c));
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        int steps = net.get("steps").asInt();
        for (int t = 0; t < steps; t++) {
            String step = name + ": network step " + (t + 1);
            kernel.zeroGradient();
            bias.zeroGradient();
            float value = loss.forward(dense.forward(x, true), oneHot);
            dense.backward(loss.backward());
            assertClose(step + ", loss", new float[] {value}, new double[] {recorded.get("losses").get(t).asDouble()}, 1, RELATIVE);
            assertClose(step + ", kernel gradient", kernel.gradient().data(), doubles(recorded.get("kernel_gradients").get(t)),
                    kernel.value().size(), RELATIVE);
            assertClose(step + ", bias gradient", bias.gradient().data(), doubles(recorded.get("bias_gradients").get(t)),
                    bias.value().size(), RELATIVE);
            optimizer.step(dense.parameters());
            checkWeights(step + ", kernel", kernel.value().data(), initialKernel, doubles(recorded.get("kernels").get(t)));
            checkWeights(step + ", bias", bias.value().data(), initialBias, doubles(recorded.get("biases").get(t)));
        }
    }

    /** The fixture covers what it should: every optimizer at its defaults, and each setting that changes the rule. */
    @Test
    void fixtureCoversEveryOptimizerAndSetting() {
        Set<String> withDefaults = new HashSet<>();
        Set<String> settings = new HashSet<>();
        for (JsonNode c : FIXTURE.get("cases")) {
            Record config = config(c);
            if (c.get("defaults").asBoolean()) {
                withDefaults.add(c.get("optimizer").asText());
            }
            switch (config) {
                case SGD.Config s when s.nesterov() -> settings.add("nesterov");
                case SGD.Config s when s.momentum() > 0 -> settings.add("momentum");
                case RMSprop.Config r when r.centered() -> settings.add("centered rmsprop");
                case RMSprop.Config r when r.momentum() > 0 -> settings.add("rmsprop momentum");
                case AdamW.Config a when !c.get("defaults").asBoolean() -> settings.add("adamw");
                default -> { }
            }
            if (!(config instanceof AdamW.Config) && c.get("hyperparameters").get("weight_decay").asDouble() > 0) {
                settings.add("weight decay " + c.get("optimizer").asText());
            }
        }
        assertThat(withDefaults).containsExactlyInAnyOrder("sgd", "adagrad", "rmsprop", "adam", "adamax", "adamw");
        assertThat(settings).contains("nesterov", "momentum", "centered rmsprop", "rmsprop momentum", "adamw",
                "weight decay sgd", "weight decay adagrad", "weight decay rmsprop", "weight decay adam", "weight decay adamax");
    }
}
