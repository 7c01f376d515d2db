package org.jvision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.SplittableRandom;
import org.jvision.tensor.Tensor;
import org.junit.jupiter.api.Test;

class StandardizationTest {
    private static final List<String> NAMES = List.of("x", "y");

    /** n images of 3x4 pixels, 2 channels: channel 0 around 0.2 (+-0.1), channel 1 around 0.7 (+-0.3). */
    static Dataset twoChannels(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[n * 3 * 4 * 2];
        for (int i = 0; i < pixels.length; i += 2) {
            pixels[i] = (float) (0.2 + 0.1 * (2 * random.nextDouble() - 1));
            pixels[i + 1] = (float) (0.7 + 0.3 * (2 * random.nextDouble() - 1));
        }
        return Dataset.of(Tensor.of(pixels, n, 3, 4, 2), new int[n], NAMES);
    }

    @Test
    void statisticsArePerChannelOverTheTrainingSetInDouble() {
        Dataset train = twoChannels(50, 1);
        Standardization s = Standardization.fit(train);
        float[] p = train.images().toArray();
        for (int c = 0; c < 2; c++) {
            double sum = 0;
            int count = 0;
            for (int i = c; i < p.length; i += 2) {
                sum += p[i];
                count++;
            }
            double mean = sum / count;
            double squares = 0;
            for (int i = c; i < p.length; i += 2) {
                squares += (p[i] - mean) * (p[i] - mean);
            }
            assertThat(s.mean()[c]).isCloseTo((float) mean, within(1e-6f));
            assertThat(s.std()[c]).isCloseTo((float) Math.sqrt(squares / count), within(1e-6f));
        }
        assertThat(s.mean()[0]).isCloseTo(0.2f, within(0.02f));
        assertThat(s.std()[1]).isCloseTo((float) (0.3 / Math.sqrt(3)), within(0.02f));
    }

    @Test
    void trainingStatisticsAreAppliedUnchangedToOtherSets() {
        Dataset train = twoChannels(50, 1);
        Dataset test = twoChannels(20, 2);
        Standardization s = Standardization.fit(train);

        Dataset standardizedTrain = s.apply(train);
        Standardization after = Standardization.fit(standardizedTrain);
        assertThat(after.mean()).containsExactly(new float[] {0, 0}, within(1e-5f));
        assertThat(after.std()).containsExactly(new float[] {1, 1}, within(1e-5f));

        Dataset standardizedTest = s.apply(test);
        float[] raw = test.images().toArray();
        float[] out = standardizedTest.images().toArray();
        for (int i = 0; i < raw.length; i++) {
            int c = i % 2;
            assertThat(out[i]).isEqualTo((raw[i] - s.mean()[c]) / s.std()[c]);
        }
        // The test set's own statistics differ from the training set's, so they were not used.
        assertThat(Standardization.fit(test)).isNotEqualTo(s);
        assertThat(standardizedTest.labels()).containsExactly(test.labels());
        assertThat(test.images().toArray()).containsExactly(raw);
    }

    @Test
    void appliesToOneImageOrABatchInPlaceOrIntoACopy() {
        Standardization s = new Standardization(new float[] {0.5f, 0.25f}, new float[] {0.5f, 0.25f});
        Tensor image = Tensor.of(new float[] {1, 1, 0, 0}, 1, 2, 2);
        Tensor copy = s.apply(image);
        assertThat(copy.toArray()).containsExactly(1, 3, -1, -1);
        assertThat(image.toArray()).containsExactly(1, 1, 0, 0);
        s.applyInPlace(image);
        assertThat(image.toArray()).containsExactly(1, 3, -1, -1);
        assertThatThrownBy(() -> s.apply(Tensor.zeros(1, 2, 2, 3)))
                .hasMessage("standardization fitted on 2 channels applied to data with 3 channels");
    }

    @Test
    void constantChannelIsOnlyCentred() {
        float[] pixels = new float[10 * 2 * 2];
        java.util.Arrays.fill(pixels, 0.4f);
        Dataset flat = Dataset.of(Tensor.of(pixels, 10, 2, 2, 1), new int[10], NAMES);
        Standardization s = Standardization.fit(flat);
        assertThat(s.std()).containsExactly(1f);
        assertThat(s.apply(flat).images().toArray()).containsOnly(0f);
        assertThatThrownBy(() -> new Standardization(new float[] {0}, new float[] {0}))
                .hasMessage("standardization channel 0 needs a finite mean and a positive finite std, got mean 0.0 and std 0.0");
    }

    @Test
    void isAnImmutableValueThatRoundTripsThroughJson() throws Exception {
        float[] mean = {0.2860402f, 0.5f};
        Standardization s = new Standardization(mean, new float[] {0.3530239f, 2f});
        mean[0] = 9;
        s.mean()[0] = 9;
        assertThat(s.mean()[0]).isEqualTo(0.2860402f);

        ObjectMapper json = new ObjectMapper();
        String text = json.writeValueAsString(s);
        assertThat(text).isEqualTo("{\"mean\":[0.2860402,0.5],\"std\":[0.3530239,2.0]}");
        Standardization back = json.readValue(text, Standardization.class);
        assertThat(back).isEqualTo(s).hasSameHashCodeAs(s);
        assertThat(back.toString()).isEqualTo("Standardization[mean=[0.2860402, 0.5], std=[0.3530239, 2.0]]");
    }
}
