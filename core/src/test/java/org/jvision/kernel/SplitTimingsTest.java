package org.jvision.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link SplitTimings}'s choices from given times (no clock involved). */
class SplitTimingsTest {
    private static boolean splits(int way) {
        return (way & SplitTimings.SPLIT) != 0;
    }

    private static boolean timed(int way) {
        return (way & SplitTimings.TIME) != 0;
    }

    @Test
    void timesSplitFirstThenWholeThenTakesTheFaster() {
        SplitTimings timings = new SplitTimings();
        int s = timings.slot(42);
        int first = timings.choose(s);
        assertThat(splits(first)).isTrue();
        assertThat(timed(first)).isTrue();
        timings.record(s, true, 2_700);
        int second = timings.choose(s);
        assertThat(splits(second)).isFalse();
        assertThat(timed(second)).isTrue();
        timings.record(s, false, 2_000);
        // Whole is faster: the next calls run whole, but for the probes.
        int splitCalls = 0;
        for (int call = 3; call <= 3 + 4 * SplitTimings.PROBE_EVERY; call++) {
            int way = timings.choose(s);
            if (splits(way)) {
                splitCalls++;
                assertThat(timed(way)).as("a probe is timed").isTrue();
                assertThat(call % (4 * SplitTimings.PROBE_EVERY)).as("call %d probes", call).isZero();
            }
        }
        assertThat(splitCalls).as("2,700 against 2,000 ns: one probe in 64 calls").isEqualTo(1);
    }

    @Test
    void closeTimesProbeMoreOftenThanFarApartOnes() {
        for (long[] times : new long[][] {{1_100, 1_000, 1}, {1_400, 1_000, 4}, {1_800, 1_000, 8}, {2_500, 1_000, 16}}) {
            SplitTimings timings = new SplitTimings();
            int s = timings.slot(7);
            timings.choose(s);
            timings.record(s, true, times[0]);
            timings.choose(s);
            timings.record(s, false, times[1]);
            int calls = 64 * SplitTimings.PROBE_EVERY;
            int probes = 0;
            for (int call = 0; call < calls; call++) {
                probes += splits(timings.choose(s)) ? 1 : 0;
            }
            assertThat(probes).as("split %d ns, whole %d ns", times[0], times[1])
                    .isEqualTo((int) (calls / (SplitTimings.PROBE_EVERY * times[2])));
        }
    }

    @Test
    void aChangeOfStateTurnsTheChoiceAroundWithinAFewProbes() {
        SplitTimings timings = new SplitTimings();
        int s = timings.slot(9);
        timings.choose(s);
        timings.record(s, true, 1_000);
        timings.choose(s);
        timings.record(s, false, 1_600);
        assertThat(splits(timings.choose(s))).isTrue();
        // Split calls now take 2,400 ns (the hand-off got slower): the average climbs to it.
        for (int i = 0; i < 12; i++) {
            timings.record(s, true, 2_400);
        }
        assertThat(timings.splitNanos(s)).isBetween(2_000L, 2_400L);
        int whole = 0;
        for (int i = 0; i < SplitTimings.PROBE_EVERY; i++) {
            whole += splits(timings.choose(s)) ? 0 : 1;
        }
        assertThat(whole).as("calls run whole once split is the slower").isGreaterThanOrEqualTo(SplitTimings.PROBE_EVERY - 1);
    }

    @Test
    void anOutlierCountsAsFourTimesTheAverage() {
        SplitTimings timings = new SplitTimings();
        int s = timings.slot(5);
        timings.record(s, true, 1_000);
        timings.record(s, true, 1_000_000);
        assertThat(timings.splitNanos(s)).isEqualTo(1_000 + (4_000 - 1_000) / 4);
    }

    @Test
    void aShapeTakingAnothersSlotStartsAfresh() {
        SplitTimings timings = new SplitTimings();
        long shape = 3;
        int s = timings.slot(shape);
        timings.record(s, true, 500);
        timings.record(s, false, 700);
        long other = shape + 1;
        while (timings.slot(other) != s) {
            other++;
        }
        assertThat(timings.splitNanos(s)).isZero();
        assertThat(timings.wholeNanos(s)).isZero();
        assertThat(timings.slot(shape)).isEqualTo(s);
        assertThat(timings.splitNanos(s)).as("the first shape's times are gone too").isZero();
    }
}
