package org.jvision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.jvision.data.FashionMnist;
import org.jvision.data.Standardization;
import org.jvision.layers.AveragePool2D;
import org.jvision.layers.BatchNormalization;
import org.jvision.layers.Conv2D;
import org.jvision.layers.Dense;
import org.jvision.layers.Dropout;
import org.jvision.layers.Flatten;
import org.jvision.layers.GlobalAveragePool2D;
import org.jvision.layers.Initializer;
import org.jvision.layers.Layer;
import org.jvision.layers.LeakyReLU;
import org.jvision.layers.MaxPool2D;
import org.jvision.layers.Padding;
import org.jvision.layers.Sigmoid;
import org.jvision.layers.Softmax;
import org.jvision.layers.Step;
import org.jvision.layers.Tanh;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.jvision.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    @TempDir
    Path tmp;

    private static final Preprocessing PRE = new Preprocessing(FashionMnist.CLASS_NAMES,
            new Standardization(new float[] {0.286f}, new float[] {0.353f}));

    /** A model with every layer type, with non-default hyperparameters, so the round trip proves each config. */
    private static Sequential everyLayer() {
        return new Sequential(Shape.of(12, 11, 3))
                .add(new Conv2D("c1", new Conv2D.Config(5, new int[] {3, 2}, new int[] {2, 1}, Padding.explicit(1, 2, 0, 1),
                        false, Initializer.HE_NORMAL)))
                .add(new BatchNormalization("bn", new BatchNormalization.Config(0.9, 1e-3)))
                .add(new LeakyReLU(0.2))
                .add(new MaxPool2D(null, new MaxPool2D.Config(new int[] {2, 3}, new int[] {1, 2}, Padding.same())))
                .add(new Conv2D(null, new Conv2D.Config(4, new int[] {1, 1}, null, Padding.same(), true, null)))
                .add(new Tanh())
                .add(new AveragePool2D(null, new AveragePool2D.Config(new int[] {2, 2}, null, Padding.valid())))
                .add(new Sigmoid())
                .add(new GlobalAveragePool2D())
                .add(new Dropout(0.25))
                .add(new Dense(null, new Dense.Config(7, false, Initializer.GLOROT_UNIFORM)))
                .add(new Step())
                .add(new Flatten())
                .add(new Dense(3))
                .add(new Softmax());
    }

    @Test
    void everyLayerRoundTripsThroughTheFile() throws IOException {
        Sequential model = everyLayer().build(3);
        // Move batch norm's statistics off their initial values so the file must carry them.
        model.namedState().get("bn.moving_mean").value().fill(0.5f);
        Path file = tmp.resolve("m.safetensors");
        ModelFile.save(file, model, PRE, "softmax_cross_entropy");
        ModelFile.Contents loaded = ModelFile.load(file);

        assertThat(ModelFile.architectureJson(loaded.model())).isEqualTo(ModelFile.architectureJson(model));
        for (int i = 0; i < model.layers().size(); i++) {
            Layer a = model.layers().get(i);
            Layer b = loaded.model().layers().get(i);
            assertThat(b.getClass()).isEqualTo(a.getClass());
            assertThat(b.name()).isEqualTo(a.name());
            assertThat(LayerRegistry.toJson(b)).isEqualTo(LayerRegistry.toJson(a));
        }
        for (var e : model.namedState().entrySet()) {
            assertThat(loaded.model().namedState().get(e.getKey()).value().toArray()).as(e.getKey())
                    .isEqualTo(e.getValue().value().toArray());
        }
        assertThat(loaded.preprocessing().classNames()).isEqualTo(FashionMnist.CLASS_NAMES);
        assertThat(loaded.preprocessing().standardization().mean()).containsExactly(0.286f);
        assertThat(loaded.loss()).isEqualTo("softmax_cross_entropy");

        Tensor x = Tensor.uniform(new SplittableRandom(1), 0, 1, 4, 12, 11, 3);
        assertThat(loaded.model().forward(x, false).toArray()).isEqualTo(model.forward(x, false).toArray());
    }

    @Test
    void pythonCanReadTheWeights() throws IOException {
        Path file = tmp.resolve("lenet.safetensors");
        ModelFile.save(file, Zoo.lenet5(Shape.of(28, 28, 1), 10).build(1), PRE, "softmax_cross_entropy");
        SafeTensorsFile raw = SafeTensors.read(file);
        assertThat(raw.tensors().keySet()).startsWith("conv2d_1.kernel", "conv2d_1.bias");
        assertThat(raw.tensor("conv2d_1.kernel").shape()).isEqualTo(Shape.of(5, 5, 1, 6));
        assertThat(raw.metadata()).containsKeys("format", "architecture", "preprocessing", "loss");
    }

    @Test
    void rejectsFilesThatAreNotJvisionModels() throws IOException {
        Path plain = tmp.resolve("plain.safetensors");
        SafeTensors.write(plain, Map.of("w", Tensor.zeros(2)), Map.of());
        assertThatThrownBy(() -> ModelFile.load(plain)).hasMessageContaining("plain.safetensors").hasMessageContaining("not a jvision model");

        Sequential model = Zoo.mlp(Shape.of(28, 28, 1), 10).build(1);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.namedState().forEach((k, v) -> tensors.put(k, v.value()));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", ModelFile.FORMAT);
        metadata.put("architecture", ModelFile.architectureJson(model));
        metadata.put("preprocessing", "{\"class_names\":[\"a\"],\"standardization\":{\"mean\":[0],\"std\":[1]}}");
        metadata.put("loss", "softmax_cross_entropy");

        Map<String, Tensor> missing = new LinkedHashMap<>(tensors);
        missing.remove("dense_2.bias");
        Path f1 = tmp.resolve("missing.safetensors");
        SafeTensors.write(f1, missing, metadata);
        assertThatThrownBy(() -> ModelFile.load(f1)).hasMessageContaining("missing tensor 'dense_2.bias'");

        Map<String, Tensor> reshaped = new LinkedHashMap<>(tensors);
        reshaped.put("dense_3.kernel", Tensor.zeros(10, 128));
        Path f2 = tmp.resolve("reshaped.safetensors");
        SafeTensors.write(f2, reshaped, metadata);
        assertThatThrownBy(() -> ModelFile.load(f2)).hasMessageContaining("'dense_3.kernel'").hasMessageContaining("[10, 128]")
                .hasMessageContaining("[128, 10]");

        Map<String, Tensor> extra = new LinkedHashMap<>(tensors);
        extra.put("stray.weight", Tensor.zeros(1));
        Path f3 = tmp.resolve("extra.safetensors");
        SafeTensors.write(f3, extra, metadata);
        assertThatThrownBy(() -> ModelFile.load(f3)).hasMessageContaining("'stray.weight'");

        Map<String, String> badLayer = new LinkedHashMap<>(metadata);
        badLayer.put("architecture", "{\"input_shape\":[4],\"layers\":[{\"type\":\"java.lang.Runtime\",\"name\":\"x\"}]}");
        Path f4 = tmp.resolve("evil.safetensors");
        SafeTensors.write(f4, Map.of(), badLayer);
        assertThatThrownBy(() -> ModelFile.load(f4)).isInstanceOf(IOException.class)
                .hasMessageContaining("unknown layer type 'java.lang.Runtime'");

        Map<String, String> badConfig = new LinkedHashMap<>(metadata);
        badConfig.put("architecture", "{\"input_shape\":[4],\"layers\":[{\"type\":\"Dense\",\"name\":\"d\",\"config\":{\"units\":0}}]}");
        Path f5 = tmp.resolve("units.safetensors");
        SafeTensors.write(f5, Map.of(), badConfig);
        assertThatThrownBy(() -> ModelFile.load(f5)).isInstanceOf(IOException.class).hasMessageContaining("units");
        assertThat(Files.list(tmp).filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
    }
}
