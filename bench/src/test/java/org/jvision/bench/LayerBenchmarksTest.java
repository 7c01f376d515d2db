package org.jvision.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.jvision.layers.Layer;
import org.openjdk.jmh.annotations.Param;

/** Every layer a layer benchmark names exists in its zoo model and has the benchmark's type. Times nothing. */
class LayerBenchmarksTest {

    @Test
    void everyBenchmarkedLayerExistsWithTheRightType() throws ReflectiveOperationException {
        for (LayerBenchmark benchmark : List.of(new ConvBenchmark(), new PoolingBenchmark(), new BatchNormBenchmark())) {
            String[] paths = benchmark.getClass().getField("layer").getAnnotation(Param.class).value();
            assertThat(paths).isNotEmpty();
            for (String path : paths) {
                Layer layer = ZooModels.layer(path);
                assertThat(layer).as(path).isInstanceOf(benchmark.layerType());
            }
        }
    }

    @Test
    void anUnknownLayerNamesTheModelsLayers() {
        assertThatThrownBy(() -> ZooModels.layer("lenet5/conv2d_9"))
                .hasMessageContaining("model 'lenet5' has no layer 'conv2d_9'").hasMessageContaining("max_pool2d_1");
        assertThatThrownBy(() -> ZooModels.layer("conv2d_1")).hasMessageContaining("'model/layer'");
    }
}
