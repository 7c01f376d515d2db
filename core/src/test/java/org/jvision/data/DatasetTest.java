package org.jvision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DatasetTest {
    private static final List<String> NAMES = List.of("zero", "one", "two");

    /** Image i of this set is filled with the value i (2x2 pixels, 2 channels). */
    static Dataset numbered(int[] labels, List<String> names) {
        int n = labels.length;
        float[] pixels = new float[n * 8];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i / 8;
        }
        return Dataset.of(Tensor.of(pixels, n, 2, 2, 2), labels, names);
    }

    @Test
    void holdsCopiesAndHandsOutCopies() {
        Tensor images = Tensor.of(new float[] {1, 2, 3, 4}, 2, 1, 2, 1);
        int[] labels = {2, 0};
        Dataset data = Dataset.of(images, labels, NAMES);
        images.data()[0] = 99;
        labels[0] = 1;
        data.images().data()[1] = 99;
        data.labels()[1] = 1;
        data.image(0).data()[0] = 99;

        assertThat(data.images().toArray()).containsExactly(1, 2, 3, 4);
        assertThat(data.labels()).containsExactly(2, 0);
        assertThat(data.size()).isEqualTo(2);
        assertThat(data.imageShape()).isEqualTo(Shape.of(1, 2, 1));
        assertThat(data.classCount()).isEqualTo(3);
        assertThat(data.classNames()).containsExactly("zero", "one", "two");
        assertThat(data.classCounts()).containsExactly(1, 0, 1);
        assertThat(data.image(1).toArray()).containsExactly(3, 4);
        assertThat(data.image(1).shape()).isEqualTo(Shape.of(1, 2, 1));
        assertThatThrownBy(() -> data.classNames().add("three")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsBadLabelsAndShapesNamingWhatIsWrong() {
        Tensor four = Tensor.zeros(4, 2, 2, 1);
        assertThatThrownBy(() -> Dataset.of(four, new int[] {0, 1, 3, 2}, NAMES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label 3 at index 2 is out of range for 3 classes");
        assertThatThrownBy(() -> Dataset.of(four, new int[] {0, -1, 0, 0}, NAMES))
                .hasMessage("label -1 at index 1 is out of range for 3 classes");
        assertThatThrownBy(() -> Dataset.of(four, new int[] {0, 1, 2}, NAMES))
                .hasMessage("dataset has 4 images but 3 labels");
        assertThatThrownBy(() -> Dataset.of(Tensor.zeros(4, 2, 2), new int[4], NAMES))
                .hasMessage("dataset images must be [n, rows, cols, channels], got shape [4, 2, 2]");
        assertThatThrownBy(() -> Dataset.of(four, new int[4], List.of()))
                .hasMessage("dataset needs at least one class name");
    }

    @Test
    void subsetTakesImagesAndLabelsInTheGivenOrder() {
        Dataset data = numbered(new int[] {0, 1, 2, 0, 1}, NAMES);
        Dataset sub = data.subset(new int[] {4, 0, 4});
        assertThat(sub.size()).isEqualTo(3);
        assertThat(sub.labels()).containsExactly(1, 0, 1);
        assertThat(sub.image(0).toArray()).containsOnly(4f);
        assertThat(sub.image(1).toArray()).containsOnly(0f);
        assertThat(sub.image(2).toArray()).containsOnly(4f);
        assertThatThrownBy(() -> data.subset(new int[] {5}))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("subset index 5 is outside a dataset of 5");
    }

    @Test
    void copyBatchFillsReusedBuffersWithImagesAndOneHotTargets() {
        Dataset data = numbered(new int[] {0, 1, 2, 0, 1}, NAMES);
        int[] order = {3, 1, 4, 0, 2};
        Tensor images = Tensor.zeros(2, 2, 2, 2);
        Tensor oneHot = Tensor.zeros(2, 3);
        float[] imageStorage = images.data();

        data.copyBatch(order, 1, 3, images, oneHot);
        assertThat(images.data()).isSameAs(imageStorage);
        assertThat(images.toArray()).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 4, 4, 4, 4, 4, 4, 4, 4);
        assertThat(oneHot.toArray()).containsExactly(0, 1, 0, 0, 1, 0);

        data.copyBatch(order, 3, 5, images, oneHot);
        assertThat(images.toArray()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2);
        assertThat(oneHot.toArray()).containsExactly(1, 0, 0, 0, 0, 1);

        // A smaller last batch goes into a view of the same storage.
        Tensor last = Tensor.reuse(images, Shape.of(1, 2, 2, 2));
        data.copyBatch(order, 0, 1, last, null);
        assertThat(last.data()).isSameAs(imageStorage);
        assertThat(last.toArray()).containsOnly(3f);
    }

    @Test
    void copyBatchChecksItsBuffersAndRange() {
        Dataset data = numbered(new int[] {0, 1, 2}, NAMES);
        int[] order = {0, 1, 2};
        assertThatThrownBy(() -> data.copyBatch(order, 0, 2, Tensor.zeros(3, 2, 2, 2), null))
                .hasMessage("batch images buffer has shape [3, 2, 2, 2], expected [2, 2, 2, 2]");
        assertThatThrownBy(() -> data.copyBatch(order, 0, 2, Tensor.zeros(2, 2, 2, 2), Tensor.zeros(2, 2)))
                .hasMessage("batch one-hot buffer has shape [2, 2], expected [2, 3]");
        assertThatThrownBy(() -> data.copyBatch(order, 2, 4, Tensor.zeros(2, 2, 2, 2), null))
                .hasMessage("batch [2, 4) is outside the order of 3 indices");
        assertThatThrownBy(() -> data.copyBatch(new int[] {0, 7}, 0, 2, Tensor.zeros(2, 2, 2, 2), null))
                .hasMessage("order[1] 7 is outside a dataset of 3");
    }
}
