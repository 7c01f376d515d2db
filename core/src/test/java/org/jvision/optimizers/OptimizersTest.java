package org.jvision.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The factory: names, defaults, and the JSON form a checkpoint keeps (config -> JSON -> config). */
class OptimizersTest {

    /** Every optimizer the factory makes, at its defaults and with every hyperparameter moved. */
    static List<Optimizer> everyKind() {
        List<Optimizer> all = new ArrayList<>();
        for (String name : Optimizers.names()) {
            all.add(Optimizers.create(name, null));
        }
        all.add(new SGD(new SGD.Config(0.2f, 0.5f, false, 0.01f)));
        all.add(new SGD(new SGD.Config(0.03f, 0.95f, true, 1e-4f)));
        all.add(new Adagrad(new Adagrad.Config(0.05f, 1e-7f, 0.1f, 0.02f)));
        all.add(new RMSprop(new RMSprop.Config(0.001f, 0.9f, 1e-7f, 0.8f, true, 0.03f)));
        all.add(new Adam(new Adam.Config(0.003f, 0.8f, 0.99f, 1e-7f, 5e-4f)));
        all.add(new Adamax(new Adamax.Config(0.004f, 0.85f, 0.995f, 1e-6f, 0.1f)));
        all.add(new AdamW(new AdamW.Config(0.0005f, 0.95f, 0.98f, 1e-6f, 0.05f)));
        return all;
    }

    @Test
    void namesInTheCourseOrder() {
        assertThat(Optimizers.names()).containsExactly("momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamax", "adamw", "sgd");
    }

    @Test
    void createsEachWithItsDefaults() {
        assertThat(Optimizers.create("sgd", null).config()).isEqualTo(new SGD.Config(0.01f, 0f, false, 0f));
        assertThat(Optimizers.create("momentum", null).config()).isEqualTo(new SGD.Config(0.01f, 0.9f, false, 0f));
        assertThat(Optimizers.create("nesterov", null).config()).isEqualTo(new SGD.Config(0.01f, 0.9f, true, 0f));
        assertThat(Optimizers.create("adagrad", null).config()).isEqualTo(new Adagrad.Config(0.01f, 1e-10f, 0f, 0f));
        assertThat(Optimizers.create("rmsprop", null).config()).isEqualTo(new RMSprop.Config(0.01f, 0.99f, 1e-8f, 0f, false, 0f));
        assertThat(Optimizers.create("adam", null).config()).isEqualTo(new Adam.Config(0.001f, 0.9f, 0.999f, 1e-8f, 0f));
        assertThat(Optimizers.create("adamax", null).config()).isEqualTo(new Adamax.Config(0.002f, 0.9f, 0.999f, 1e-8f, 0f));
        assertThat(Optimizers.create("adamw", null).config()).isEqualTo(new AdamW.Config(0.001f, 0.9f, 0.999f, 1e-8f, 0.01f));
        assertThat(Optimizers.create("momentum", null).name()).isEqualTo("sgd");
    }

    @Test
    void createsWithTheGivenLearningRateInAnyCase() {
        for (String name : Optimizers.names()) {
            Optimizer optimizer = Optimizers.create(name.toUpperCase(), 0.125f);
            assertThat(optimizer.learningRate()).as(name).isEqualTo(0.125f);
        }
    }

    @Test
    void unknownNameListsTheValidOnes() {
        assertThatThrownBy(() -> Optimizers.create("adadelta", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'adadelta'")
                .hasMessageContaining("momentum, nesterov, adagrad, rmsprop, adam, adamax, adamw, sgd");
        assertThatThrownBy(() -> Optimizers.create(null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected one of");
    }

    @Test
    void badLearningRateIsEchoed() {
        assertThatThrownBy(() -> Optimizers.create("rmsprop", -1f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rmsprop").hasMessageContaining("-1.0");
    }

    @Test
    void everyOptimizerRoundTripsThroughJson() {
        for (Optimizer optimizer : everyKind()) {
            String json = Optimizers.toJson(optimizer);
            Optimizer back = Optimizers.fromJson(json);
            assertThat(back).as(json).isNotSameAs(optimizer).hasSameClassAs(optimizer);
            assertThat(back.name()).as(json).isEqualTo(optimizer.name());
            assertThat(back.config()).as(json).isEqualTo(optimizer.config());
            assertThat(Optimizers.toJson(back)).isEqualTo(json);
        }
    }

    @Test
    void jsonHoldsTheNameAndTheCurrentLearningRate() throws Exception {
        Optimizer nesterov = Optimizers.create("nesterov", 0.1f);
        nesterov.setLearningRate(0.05f);
        JsonNode root = new ObjectMapper().readTree(Optimizers.toJson(nesterov));
        assertThat(root.get("name").asText()).isEqualTo("sgd");
        assertThat(root.get("config").get("learningRate").floatValue()).isEqualTo(0.05f);
        assertThat(root.get("config").get("momentum").floatValue()).isEqualTo(0.9f);
        assertThat(root.get("config").get("nesterov").asBoolean()).isTrue();
    }

    @Test
    void fromJsonFillsMissingHyperparametersWithTheDefaults() {
        assertThat(Optimizers.fromJson("{\"name\":\"rmsprop\",\"config\":{\"centered\":true}}").config())
                .isEqualTo(RMSprop.Config.defaults().withCentered(true));
        assertThat(Optimizers.fromJson("{\"name\":\"adamw\"}").config()).isEqualTo(AdamW.Config.defaults());
        assertThat(Optimizers.fromJson("{\"name\":\"nesterov\",\"config\":{\"learningRate\":0.1}}").config())
                .isEqualTo(new SGD.Config(0.1f, 0.9f, true, 0f));
    }

    @Test
    void fromJsonRejectsWhatItCannotTrust() {
        assertThatThrownBy(() -> Optimizers.fromJson("{\"name\":\"adam\",\"config\":{\"beta1\":1.5}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta1").hasMessageContaining("1.5");
        assertThatThrownBy(() -> Optimizers.fromJson("{\"name\":\"adam\",\"config\":{\"momentum\":0.9}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adam").hasMessageContaining("momentum");
        assertThatThrownBy(() -> Optimizers.fromJson("{\"name\":\"lbfgs\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'lbfgs'").hasMessageContaining("adamw");
        assertThatThrownBy(() -> Optimizers.fromJson("{\"name\":\"sgd\",\"config\":[0.1]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be an object");
        assertThatThrownBy(() -> Optimizers.fromJson("[\"adam\"]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected {\"name\"");
        assertThatThrownBy(() -> Optimizers.fromJson("{\"name\":"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void toJsonRefusesAnOptimizerItCannotRecreate() {
        Optimizer custom = new Optimizer(0.1f) {
            @Override
            public String name() {
                return "custom";
            }

            @Override
            public Record config() {
                return new SGD.Config(0.1f, 0f, false, 0f);
            }

            @Override
            protected List<String> slotNames() {
                return List.of();
            }

            @Override
            protected void update(float[] weights, float[] gradients, int from, int to, float lr, boolean decays, ParameterState state) {
            }
        };
        assertThatThrownBy(() -> Optimizers.toJson(custom)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'custom'");
    }
}
