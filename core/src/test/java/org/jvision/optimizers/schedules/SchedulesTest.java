package org.jvision.optimizers.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SchedulesTest {
    @Test
    void readsEachForm() {
        assertThat(Schedules.parse("constant", 10)).isEqualTo(new Constant());
        assertThat(Schedules.parse("step:8:0.1", 10)).isEqualTo(new StepDecay(8, 0.1f));
        assertThat(Schedules.parse("exp:8:0.1", 10)).isEqualTo(new ExponentialDecay(8, 0.1f));
        assertThat(Schedules.parse("cosine", 30)).isEqualTo(new CosineDecay(30, 0f));
        assertThat(Schedules.parse("cosine:1e-5", 30)).isEqualTo(new CosineDecay(30, 1e-5f));
        assertThat(Schedules.parse("warmup:3", 10)).isEqualTo(new Warmup(3, new Constant()));
        assertThat(Schedules.parse(" Step:2:0.5 ", 10)).isEqualTo(new StepDecay(2, 0.5f));
    }

    @Test
    void aCosineAfterWarmupSpansTheEpochsLeft() {
        assertThat(Schedules.parse("warmup:2+cosine", 10)).isEqualTo(new Warmup(2, new CosineDecay(8, 0f)));
        assertThat(Schedules.parse("warmup:1+step:3:0.5", 10)).isEqualTo(new Warmup(1, new StepDecay(3, 0.5f)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"constant", "step:10:0.1", "exp:8:0.1", "exp:3:0.95", "cosine", "cosine:0.00001", "warmup:2",
            "warmup:2+cosine", "warmup:2+cosine:0.001", "warmup:1+step:3:0.5", "warmup:4+exp:8:0.1"})
    void specRoundTrips(String spec) {
        LearningRateSchedule schedule = Schedules.parse(spec, 20);
        assertThat(schedule.spec()).isEqualTo(spec);
        if (!(schedule instanceof Warmup w && w.after() instanceof CosineDecay)) {
            // A cosine after a warm-up spans the epochs left, so its re-parse needs those.
            assertThat(Schedules.parse(schedule.spec(), 20)).isEqualTo(schedule);
        }
    }

    @Test
    void formatsNumbersAsPeopleWriteThem() {
        assertThat(Schedules.format(0.1f)).isEqualTo("0.1");
        assertThat(Schedules.format(1e-5f)).isEqualTo("0.00001");
        assertThat(Schedules.format(1f)).isEqualTo("1");
        assertThat(Schedules.format(0.95f)).isEqualTo("0.95");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "step:x|--lr-schedule 'step:x': expected step:EVERY:FACTOR (e.g. step:10:0.1), received 1 value after 'step'",
        "step:x:0.1|--lr-schedule 'step:x:0.1': EVERY must be a whole number of epochs >= 1, received 'x'",
        "step:0:0.1|--lr-schedule 'step:0:0.1': EVERY must be a whole number of epochs >= 1, received '0'",
        "step:8:2|--lr-schedule 'step:8:2': FACTOR must be a number in (0, 1], received '2'",
        "step:8:abc|--lr-schedule 'step:8:abc': FACTOR must be a number in (0, 1], received 'abc'",
        "step:8:0.1:3|--lr-schedule 'step:8:0.1:3': expected step:EVERY:FACTOR (e.g. step:10:0.1), received 3 values after 'step'",
        "exp:1.5:0.1|--lr-schedule 'exp:1.5:0.1': EVERY must be a whole number of epochs >= 1, received '1.5'",
        "cosine:-1|--lr-schedule 'cosine:-1': MIN_LR must be a number >= 0, received '-1'",
        "cosine:1:2|--lr-schedule 'cosine:1:2': expected cosine or cosine:MIN_LR (e.g. cosine:1e-5), received 2 values after 'cosine'",
        "constant:1|--lr-schedule 'constant:1': expected constant, received 1 value after 'constant'",
        "warmup|--lr-schedule 'warmup': expected warmup:EPOCHS or warmup:EPOCHS+SCHEDULE (e.g. warmup:2+cosine), received 0 values after 'warmup'",
        "warmup:10+cosine|--lr-schedule 'warmup:10+cosine': the warm-up (10 epochs) must be shorter than the training (10 epochs) to leave room for 'cosine'",
        "warmup:11|--lr-schedule 'warmup:11': the warm-up (11 epochs) must not be longer than the training (10 epochs)",
        "warmup:2+step:x|--lr-schedule 'warmup:2+step:x': expected step:EVERY:FACTOR (e.g. step:10:0.1), received 1 value after 'step'",
        "warmup:2+warmup:1|--lr-schedule 'warmup:2+warmup:1': a warm-up is followed by one of constant, step, exp or cosine, received 'warmup:1'",
        "step:8:0.1+cosine|--lr-schedule 'step:8:0.1+cosine': only a warm-up can be followed by another schedule (warmup:EPOCHS+SCHEDULE), received 'step:8:0.1' before the '+'",
        "linear|--lr-schedule 'linear': unknown schedule 'linear'; expected one of constant, step:EVERY:FACTOR, exp:EVERY:FACTOR, cosine[:MIN_LR], warmup:EPOCHS[+SCHEDULE]",
        "plateau:3|--lr-schedule 'plateau:3': reduce-on-plateau watches a metric, so it is a callback, not a fixed schedule: read it with ReduceLROnPlateau.parse",
    })
    void badSpecsSayWhatWasExpectedAndWhatWasReceived(String spec, String message) {
        assertThatThrownBy(() -> Schedules.parse(spec, 10)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void emptySpecsAndNoEpochs() {
        assertThatThrownBy(() -> Schedules.parse("", 10)).hasMessage("--lr-schedule '': expected one of " + Schedules.FORMS);
        assertThatThrownBy(() -> Schedules.parse(null, 10)).hasMessage("--lr-schedule '': expected one of " + Schedules.FORMS);
        assertThatThrownBy(() -> Schedules.parse("cosine", 0))
                .hasMessage("--lr-schedule: the training must have at least 1 epoch, received: 0");
    }
}
