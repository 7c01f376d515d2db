package org.jvision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jvision.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SplitsTest {
    private static final List<String> NAMES = List.of("a", "b", "c", "d");

    /**
     * A data set whose image i holds the value i in its only pixel, so an image tells which original
     * index it came from; class sizes 100, 50, 30, 20 in a scrambled order.
     */
    static Dataset identified() {
        int[] sizes = {100, 50, 30, 20};
        int n = Arrays.stream(sizes).sum();
        int[] labels = new int[n];
        int[] left = sizes.clone();
        for (int i = 0, c = 0; i < n; c = (c + 1) % sizes.length) {
            if (left[c] > 0) {
                labels[i++] = c;
                left[c]--;
            }
        }
        float[] pixels = new float[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = i;
        }
        return Dataset.of(Tensor.of(pixels, n, 1, 1, 1), labels, NAMES);
    }

    static int[] originalIndices(Dataset part) {
        int[] ids = new int[part.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (int) part.image(i).get(0, 0, 0);
        }
        return ids;
    }

    @Test
    void trainValidationIsStratifiedDisjointAndComplete() {
        Dataset data = identified();
        Splits.TrainValidation split = Splits.trainValidation(data, 0.1, 7);
        assertThat(split.validation().classCounts()).containsExactly(10, 5, 3, 2);
        assertThat(split.train().classCounts()).containsExactly(90, 45, 27, 18);

        int[] train = originalIndices(split.train());
        int[] val = originalIndices(split.validation());
        Set<Integer> all = new HashSet<>();
        Arrays.stream(train).forEach(all::add);
        Arrays.stream(val).forEach(all::add);
        assertThat(all).hasSize(data.size());
        assertThat(train).isSorted();
        assertThat(val).isSorted();
        for (int i = 0; i < val.length; i++) {
            assertThat(split.validation().label(i)).isEqualTo(data.label(val[i]));
        }
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        Dataset data = identified();
        int[] a = originalIndices(Splits.trainValidation(data, 0.2, 42).validation());
        int[] b = originalIndices(Splits.trainValidation(data, 0.2, 42).validation());
        int[] c = originalIndices(Splits.trainValidation(data, 0.2, 43).validation());
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void threeWaySplitsKeepTheClassMix() {
        Dataset data = identified();
        List<Dataset> parts = Splits.split(data, 3, 0.6, 0.2, 0.2);
        assertThat(parts.get(0).classCounts()).containsExactly(60, 30, 18, 12);
        assertThat(parts.get(1).classCounts()).containsExactly(20, 10, 6, 4);
        assertThat(parts.get(2).classCounts()).containsExactly(20, 10, 6, 4);
        Set<Integer> seen = new HashSet<>();
        for (Dataset part : parts) {
            for (int id : originalIndices(part)) {
                assertThat(seen.add(id)).as("image %d in two parts", id).isTrue();
            }
        }
        assertThat(seen).hasSize(data.size());

        List<Dataset> seventy = Splits.split(data, 3, Splits.parseFractions("70:15:15"));
        // 15% of 30 is 4.5 and of 50 is 7.5: the leftover goes to the earliest part with the largest remainder.
        assertThat(seventy.get(0).classCounts()).containsExactly(70, 35, 21, 14);
        assertThat(seventy.get(1).classCounts()).containsExactly(15, 8, 5, 3);
        assertThat(seventy.get(2).classCounts()).containsExactly(15, 7, 4, 3);
    }

    @Test
    void apportionGivesEveryItemToExactlyOnePart() {
        for (int count = 0; count < 50; count++) {
            for (double[] f : List.of(new double[] {0.9, 0.1}, new double[] {0.6, 0.2, 0.2},
                    new double[] {0.98, 0.01, 0.01}, new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0})) {
                int[] sizes = Splits.apportion(count, f);
                assertThat(Arrays.stream(sizes).sum()).isEqualTo(count);
                for (int p = 0; p < f.length; p++) {
                    assertThat((double) sizes[p]).isCloseTo(count * f[p], within(1.0));
                }
            }
        }
    }

    @Test
    void balancedSampleTakesPerClassCountsInOriginalOrder() {
        Dataset data = identified();
        Dataset sample = Splits.sample(data, 20, 5);
        assertThat(sample.classCounts()).containsExactly(20, 20, 20, 20);
        assertThat(originalIndices(sample)).isSorted().doesNotHaveDuplicates();
        assertThat(originalIndices(Splits.sample(data, 20, 5))).containsExactly(originalIndices(sample));
        assertThatThrownBy(() -> Splits.sample(data, 21, 5))
                .hasMessage("class 3 (d) has 20 images, fewer than the 21 per class asked for");
    }

    @Test
    void parsesRatiosAsTheCliTakesThem() {
        assertThat(Splits.parseFractions("80:20")).containsExactly(0.8, 0.2);
        assertThat(Splits.parseFractions("60:20:20")).containsExactly(new double[] {0.6, 0.2, 0.2}, within(1e-12));
        assertThat(Splits.parseFractions("0.7, 0.15, 0.15")).containsExactly(new double[] {0.7, 0.15, 0.15}, within(1e-12));
        assertThatThrownBy(() -> Splits.parseFractions("80")).hasMessage("split ratio '80' needs at least two parts, like 80:20");
        assertThatThrownBy(() -> Splits.parseFractions("80:x")).hasMessage("split ratio '80:x': 'x' is not a number");
        assertThatThrownBy(() -> Splits.parseFractions("80:0")).hasMessage("split ratio '80:0': every part must be positive, got 0");
    }

    @Test
    void rejectsBadFractionsAndEmptyParts() {
        Dataset data = identified();
        assertThatThrownBy(() -> Splits.trainValidation(data, 1.0, 1))
                .hasMessage("validation fraction must be in (0, 1), got 1.0");
        assertThatThrownBy(() -> Splits.split(data, 1, 0.5, 0.4))
                .hasMessage("split fractions must sum to 1, got [0.5, 0.4] (sum 0.9)");
        assertThatThrownBy(() -> Splits.trainValidation(data, 0.001, 1))
                .hasMessage("part 1 (fraction 0.001) of a data set of 200 images would be empty; "
                        + "use a larger fraction or more data");
    }
}
