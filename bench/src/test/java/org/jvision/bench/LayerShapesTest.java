package org.jvision.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/** Keeps GemmBenchmark's shape list equal to what a training step really issues. Runs no benchmark. */
class LayerShapesTest {

    @Test
    void gemmBenchmarkMeasuresExactlyTheRecordedShapes() throws NoSuchFieldException {
        List<String> benchmarked = Arrays.asList(GemmBenchmark.class.getField("shape").getAnnotation(Param.class).value());
        List<String> recorded = LayerShapes.all().stream().map(GemmShape::toString).toList();
        assertThat(benchmarked)
                .as("GemmBenchmark's @Param list is stale: paste the output of LayerShapes --java into it")
                .containsExactlyElementsOf(recorded);
    }

    @Test
    void namesEachLenetCallAfterItsLayerAndRole() {
        List<GemmShape> lenet = LayerShapes.ofModel("lenet5");
        assertThat(lenet.stream().map(GemmShape::name).distinct())
                .contains("lenet5/conv2d_2.forward", "lenet5/conv2d_2.dW", "lenet5/conv2d_2.dX", "lenet5/dense_3.dW")
                // conv2d_1 is the first layer: its input gradient is never computed; with 6 output
                // channels its forward and kernel gradient are a direct convolution, no matrix product.
                .doesNotContain("lenet5/conv2d_1.dX", "lenet5/conv2d_1.forward", "lenet5/conv2d_1.dW");
        assertThat(lenet.stream().map(GemmShape::toString))
                .contains("lenet5/dense_1.forward:64x120x400:NN:acc", "lenet5/dense_1.dW:400x120x64:TN",
                        "lenet5/dense_1.dX:64x400x120:NT");
    }

    @Test
    void shapeTextRoundTrips() {
        for (String text : List.of("1024x1024x1024:NN", "lenet5/conv2d_2.dW:150x16x6400:TN:acc", "3x5x7:TT")) {
            assertThat(GemmShape.parse(text).toString()).isEqualTo(text);
        }
        GemmShape dx = GemmShape.parse("vgg-small/conv2d_2.dX:50176x288x32:NT");
        assertThat(dx.transB()).isTrue();
        assertThat(dx.lda()).isEqualTo(32);
        assertThat(dx.ldb()).isEqualTo(32);
        assertThat(dx.flops()).isEqualTo(2.0 * 50176 * 288 * 32);
    }

    @Test
    void badShapeTextSaysWhatWasExpected() {
        assertThatThrownBy(() -> GemmShape.parse("1024x1024:NN"))
                .hasMessageContaining("[name:]1024x1024x1024:NN[:acc]").hasMessageContaining("'1024x1024:NN'");
    }
}
