package org.jvision.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/** Dense against the double reference under both engines; accumulation, buffers, errors, config. */
class DenseTest {

    static Stream<Arguments> enginesAndSizes() {
        int[][] sizes = {{1, 1, 1}, {3, 7, 5}, {4, 33, 10}, {17, 100, 3}}; // batch, in, units
        return Harness.engines().flatMap(e -> Stream.of(sizes).map(s -> Arguments.of(e, s[0], s[1], s[2])));
    }

    static Dense buildRandom(int in, int units, boolean bias, SplittableRandom random) {
        Dense dense = new Dense("dense", new Dense.Config(units, bias, null));
        assertThat(dense.build(Shape.of(in), random)).isEqualTo(Shape.of(units));
        for (Parameter p : dense.parameters()) {
            Harness.randomize(p, random);
        }
        return dense;
    }

    static void checkAgainstReference(Dense dense, int batch, SplittableRandom random) {
        int in = dense.inputShape().dim(0);
        int units = dense.config().units();
        boolean bias = dense.config().useBias();
        Tensor x = Harness.random(random, batch, in);
        double[] w = Harness.doubles(dense.parameters().get(0).value());
        double[] b = bias ? Harness.doubles(dense.parameters().get(1).value()) : null;
        Harness.assertMatches("forward", dense.forward(x, true), Reference.denseForward(Harness.doubles(x), w, b,
                batch, in, units));
        Tensor dy = Harness.random(random, batch, units);
        dense.parameters().forEach(Parameter::zeroGradient);
        Tensor dx = dense.backward(dy);
        Reference.Gradients expected = Reference.denseBackward(Harness.doubles(x), w, Harness.doubles(dy), batch, in,
                units);
        assertThat(dx.shape()).isEqualTo(x.shape());
        Harness.assertMatches("dX", dx, expected.input());
        Harness.assertMatches("dW", dense.parameters().get(0).gradient(), expected.kernel());
        if (bias) {
            Harness.assertMatches("db", dense.parameters().get(1).gradient(), expected.bias());
        }
    }

    @ParameterizedTest(name = "{0} batch {1}, {2} -> {3}")
    @MethodSource("enginesAndSizes")
    void matchesTheReference(String engine, int batch, int in, int units) {
        Harness.withEngine(engine, () -> {
            SplittableRandom random = new SplittableRandom(batch * 1000L + in * 10L + units);
            checkAgainstReference(buildRandom(in, units, true, random), batch, random);
            checkAgainstReference(buildRandom(in, units, false, random), batch, random);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.jvision.layers.Harness#engines")
    void accumulatesAndReusesBuffersForASmallerLastBatch(String engine) {
        Harness.withEngine(engine, () -> {
            SplittableRandom random = new SplittableRandom(3);
            Dense dense = buildRandom(9, 4, true, random);
            Tensor x = Harness.random(random, 6, 9);
            Tensor y = dense.forward(x, true);
            Tensor dy = Harness.random(random, 6, 4);
            Reference.Gradients once = Reference.denseBackward(Harness.doubles(x),
                    Harness.doubles(dense.parameters().get(0).value()), Harness.doubles(dy), 6, 9, 4);
            float[] dx1 = dense.backward(dy).toArray();
            Tensor dx = dense.backward(dy);
            assertThat(dx.toArray()).containsExactly(dx1);
            Harness.assertMatches("dW after two", dense.parameters().get(0).gradient(), Harness.scaled(once.kernel(), 2));
            Harness.assertMatches("db after two", dense.parameters().get(1).gradient(), Harness.scaled(once.bias(), 2));

            checkAgainstReference(dense, 2, random);
            Tensor small = dense.forward(Harness.random(random, 2, 9), true);
            assertThat(small.data()).isSameAs(y.data());
            assertThat(dense.backward(Harness.random(random, 2, 4)).data()).isSameAs(dx.data());
        });
    }

    /**
     * The weight gradient is written over a gradient still at zero and added to any other: one
     * that was never zeroed, one written after zeroing, and the second backward of two.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.jvision.layers.Harness#engines")
    void overwritesOnlyAGradientStillAtZero(String engine) {
        Harness.withEngine(engine, () -> {
            SplittableRandom random = new SplittableRandom(5);
            Dense dense = buildRandom(21, 7, false, random);
            Parameter kernel = dense.parameters().get(0);
            Tensor x = Harness.random(random, 5, 21);
            dense.forward(x, true);
            Tensor dy = Harness.random(random, 5, 7);
            double[] once = Reference.denseBackward(Harness.doubles(x), Harness.doubles(kernel.value()),
                    Harness.doubles(dy), 5, 21, 7).kernel();
            double[] onceAndAHalf = once.clone();
            for (int i = 0; i < once.length; i++) {
                onceAndAHalf[i] += 0.5;
            }

            kernel.gradient().fill(0.5f); // never zeroed: added to
            dense.backward(dy);
            Harness.assertMatches("dW over a gradient never zeroed", kernel.gradient(), onceAndAHalf);

            kernel.zeroGradient();
            kernel.gradient().fill(0.5f);
            kernel.markGradientWritten();
            dense.backward(dy);
            Harness.assertMatches("dW over a gradient written after zeroing", kernel.gradient(), onceAndAHalf);

            kernel.gradient().fill(Float.NaN); // zeroGradient leaves it for a layer that overwrites: every element must be written
            kernel.zeroGradient();
            assertThat(kernel.gradientIsZero()).isTrue();
            dense.backward(dy);
            assertThat(kernel.gradientIsZero()).isFalse();
            Harness.assertMatches("dW after zeroing", kernel.gradient(), once);
            dense.backward(dy);
            Harness.assertMatches("dW after zeroing and two backward passes", kernel.gradient(),
                    Harness.scaled(once, 2));
        });
    }

    @Test
    void parametersAndInitialization() {
        Dense dense = new Dense("fc1", 30);
        dense.build(Shape.of(120), new SplittableRandom(2));
        assertThat(dense.parameters()).extracting(Parameter::name).containsExactly("kernel", "bias");
        assertThat(dense.parameters().get(0).value().shape()).isEqualTo(Shape.of(120, 30));
        double limit = Math.sqrt(6.0 / (120 + 30)); // Glorot uniform, fan-in 120, fan-out 30
        double largest = 0;
        for (float v : dense.parameters().get(0).value().toArray()) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertThat(largest).isLessThanOrEqualTo(limit).isGreaterThan(0.95 * limit);
        assertThat(dense.parameters().get(1).value().toArray()).containsOnly(0f);
    }

    @Test
    void configRoundTripsThroughJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Dense.Config config = new Dense.Config(10, false, Initializer.HE_NORMAL);
        assertThat(json.readValue(json.writeValueAsString(config), Dense.Config.class)).isEqualTo(config);
        assertThat(Dense.Config.of(5).kernelInitializer()).isEqualTo(Initializer.GLOROT_UNIFORM);
    }

    @Test
    void errorsNameTheLayerAndTheShapes() {
        assertThatThrownBy(() -> new Dense("fc", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Dense 'fc': units must be positive, received: 0");
        Dense dense = new Dense("fc", 10);
        assertThatThrownBy(() -> dense.build(Shape.of(4, 4, 3), new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Dense 'fc': expects a vector [features] per example, received input shape [4, 4, 3];"
                        + " add a Flatten layer before it");
        dense.build(Shape.of(48), new SplittableRandom(1));
        assertThatThrownBy(() -> dense.forward(Tensor.zeros(2, 4, 4, 3), true))
                .hasMessageContaining("Dense 'fc'").hasMessageContaining("[2, 4, 4, 3]").hasMessageContaining("Flatten");
        assertThatThrownBy(() -> dense.forward(Tensor.zeros(2, 47), true))
                .hasMessage("Dense 'fc': expects input of shape [batch, 48], got [2, 47]");
        assertThatThrownBy(() -> dense.outputShape(Shape.of(47)))
                .hasMessageContaining("Dense 'fc': input has 47 features, kernel expects 48");
    }
}
