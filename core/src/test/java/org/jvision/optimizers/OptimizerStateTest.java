package org.jvision.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jvision.layers.Parameter;
import org.jvision.tensor.Tensor;

/** Checkpoints: the state an optimizer exports lets a fresh one of the same config go on bit for bit. */
class OptimizerStateTest {

    /** A weight and a bias, as a layer has them, by name. */
    private static Map<String, Parameter> model(float[] kernel, float[] bias) {
        Map<String, Parameter> named = new LinkedHashMap<>();
        named.put("dense.kernel", Parameter.weight("kernel", Tensor.of(kernel.clone(), kernel.length)));
        named.put("dense.bias", Parameter.bias("bias", Tensor.of(bias.clone(), bias.length)));
        return named;
    }

    private static Map<String, Parameter> model() {
        return model(new float[] {0.5f, -1f, 0.25f, 2f, -0.75f}, new float[] {0.1f, -0.2f, 0f});
    }

    /** Deterministic gradients that differ from step to step and element to element. */
    private static void setGradients(Map<String, Parameter> named, int step) {
        int k = 0;
        for (Parameter p : named.values()) {
            float[] g = p.gradient().data();
            for (int i = 0; i < g.length; i++, k++) {
                g[i] = (float) Math.sin(1.7 * step + 0.9 * k) * (k % 3 == 0 ? 0.01f : 1f);
            }
        }
    }

    private static void train(Optimizer optimizer, Map<String, Parameter> named, int fromStep, int toStep) {
        for (int t = fromStep; t <= toStep; t++) {
            setGradients(named, t);
            optimizer.step(List.copyOf(named.values()));
        }
    }

    @Test
    void everyOptimizerResumesBitForBitFromItsExportedState() {
        for (Optimizer original : OptimizersTest.everyKind()) {
            Map<String, Parameter> named = model();
            train(original, named, 1, 3);
            Optimizer.State saved = original.exportState(named);
            Map<String, Parameter> resumed = model(named.get("dense.kernel").value().data(), named.get("dense.bias").value().data());
            Optimizer fresh = Optimizers.fromJson(Optimizers.toJson(original));
            fresh.importState(saved, resumed);

            train(original, named, 4, 5);
            train(fresh, resumed, 4, 5);
            for (String name : named.keySet()) {
                assertThat(resumed.get(name).value().data()).as("%s after resuming %s", name, original.config())
                        .containsExactly(named.get(name).value().data());
            }
            assertThat(fresh.exportState(resumed).steps()).isEqualTo(Map.of("dense.kernel", 5L, "dense.bias", 5L));
        }
    }

    @Test
    void exportedStateIsASnapshot() {
        Map<String, Parameter> named = model();
        Adam adam = new Adam();
        train(adam, named, 1, 2);
        Optimizer.State saved = adam.exportState(named);
        float[] m = saved.slots().get("dense.kernel.m").clone();
        train(adam, named, 3, 3);
        assertThat(saved.slots().get("dense.kernel.m")).containsExactly(m);
        assertThat(saved.steps().get("dense.kernel")).isEqualTo(2L);
    }

    @Test
    void slotsAreNamedAfterTheParameterAndTheRule() {
        Map<String, Parameter> named = model();
        RMSprop rmsprop = new RMSprop(RMSprop.Config.defaults().withMomentum(0.9f).withCentered(true));
        train(rmsprop, named, 1, 1);
        assertThat(rmsprop.exportState(named).slots().keySet()).containsExactlyInAnyOrder(
                "dense.kernel.square_avg", "dense.kernel.momentum", "dense.kernel.grad_avg",
                "dense.bias.square_avg", "dense.bias.momentum", "dense.bias.grad_avg");
        SGD plain = new SGD(0.1f);
        train(plain, named, 1, 1);
        assertThat(plain.exportState(named).slots()).isEmpty();
        assertThat(plain.exportState(named).steps()).containsEntry("dense.kernel", 1L);
    }

    @Test
    void importOfAnotherOptimizersStateFails() {
        Map<String, Parameter> named = model();
        Adam adam = new Adam();
        train(adam, named, 1, 1);
        assertThatThrownBy(() -> new RMSprop().importState(adam.exportState(named), named))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adam's").hasMessageContaining("rmsprop");
    }

    @Test
    void importOfAWrongSizeArrayFails() {
        Map<String, Parameter> named = model();
        Adamax adamax = new Adamax();
        train(adamax, named, 1, 1);
        Optimizer.State saved = adamax.exportState(named);
        Map<String, float[]> slots = new LinkedHashMap<>(saved.slots());
        slots.put("dense.kernel.u", new float[4]);
        Optimizer.State corrupt = new Optimizer.State("adamax", slots, saved.steps());
        assertThatThrownBy(() -> new Adamax().importState(corrupt, named)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 values for 'dense.kernel.u'").hasMessageContaining("the parameter has 5");
    }

    @Test
    void importOfAStateWithOtherArraysFails() {
        Map<String, Parameter> named = model();
        SGD momentum = new SGD(new SGD.Config(0.1f, 0.9f, false, 0f));
        train(momentum, named, 1, 1);
        assertThatThrownBy(() -> new SGD(0.1f).importState(momentum.exportState(named), named))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'dense.kernel.momentum'")
                .hasMessageContaining("does not keep");
        SGD plain = new SGD(0.1f);
        train(plain, named, 1, 1);
        assertThatThrownBy(() -> new SGD(new SGD.Config(0.1f, 0.9f, false, 0f)).importState(plain.exportState(named), named))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lacks 'dense.kernel.momentum'");
    }

    @Test
    void importNamingAParameterTheModelLacksFails() {
        Map<String, Parameter> named = model();
        Adam adam = new Adam();
        train(adam, named, 1, 1);
        Map<String, Parameter> other = new LinkedHashMap<>(named);
        other.remove("dense.bias");
        assertThatThrownBy(() -> new Adam().importState(adam.exportState(named), other))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'dense.bias'").hasMessageContaining("lacks");
    }

    /** A failed import leaves the optimizer as it was: it goes on as if nothing had happened. */
    @Test
    void failedImportKeepsTheCurrentState() {
        Map<String, Parameter> named = model();
        Map<String, Parameter> twin = model();
        AdamW tried = new AdamW();
        AdamW untouched = new AdamW();
        train(tried, named, 1, 2);
        train(untouched, twin, 1, 2);
        Optimizer.State saved = tried.exportState(named);
        Map<String, float[]> slots = new LinkedHashMap<>(saved.slots());
        slots.put("dense.bias.v", new float[1]);
        assertThatThrownBy(() -> tried.importState(new Optimizer.State("adamw", slots, saved.steps()), named))
                .isInstanceOf(IllegalArgumentException.class);
        train(tried, named, 3, 4);
        train(untouched, twin, 3, 4);
        assertThat(named.get("dense.kernel").value().data()).containsExactly(twin.get("dense.kernel").value().data());
    }
}
