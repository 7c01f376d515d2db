package org.jvision.kernel;

/**
 * How long recent calls of a small range took split between threads and run whole, per shape, so
 * that {@link Parallel#forRangeTimed} can take the faster way.
 *
 * <p>Why it is measured rather than set: on this project's 2-core VMs, handing a chunk to the
 * other thread costs about 0.2 µs at one moment and 0.8 µs or more at the next, as the host moves
 * a vCPU between cores that share a cache and cores that do not (the round trip of a cache line
 * flips between about 66 and 330 ns, for seconds at a time). A product of a few microseconds, a
 * 10-class head's, is faster split in the first state and slower in the second (128×10×64 on two
 * threads: 86 GFLOP/s against 50; one thread 79). No fixed threshold is right in both.
 *
 * <p>Each shape keeps a running average of both times; a call takes the faster, and now and then
 * one takes the other to see whether it has become the faster. The table
 * is small and direct-mapped: a shape that lands on another's slot starts again from nothing.
 * Calls from several threads may race on a slot; that can only change which way a call runs,
 * never what it computes, since the ranges timed this way give the same results cut or whole.
 */
final class SplitTimings {
    /** One call in this many, at most, takes the way that is currently slower, to keep its time fresh. */
    static final int PROBE_EVERY = 16;
    /** One call in this many of the faster way is timed (a clock read costs about 20 ns). */
    static final int TIME_EVERY = 8;
    private static final int SLOTS = 64;

    private final long[] shapes = new long[SLOTS];
    private final boolean[] used = new boolean[SLOTS];
    private final long[] splitNanos = new long[SLOTS];
    private final long[] wholeNanos = new long[SLOTS];
    private final int[] calls = new int[SLOTS];

    /** The slot of {@code shape}, cleared if another shape held it. */
    int slot(long shape) {
        long mixed = shape * 0x9E3779B97F4A7C15L;
        int s = (int) (mixed >>> 58);
        if (!used[s] || shapes[s] != shape) {
            shapes[s] = shape;
            used[s] = true;
            splitNanos[s] = 0;
            wholeNanos[s] = 0;
            calls[s] = 0;
        }
        return s;
    }

    /** {@link #choose}'s answer: this call splits. */
    static final int SPLIT = 1;
    /** {@link #choose}'s answer: this call is timed. */
    static final int TIME = 2;
    /**
     * {@link #choose}'s answer: a call that runs whole should keep the idle workers spinning
     * ({@link SpinningWorkers#keepSpinning}); one call in 32, so that the shared write is rare.
     * Without it, a shape that runs whole for 2 ms lets the worker park, the next probe pays for
     * waking it (several µs), and the split looks slower than it is for as long as the shape runs
     * (seen: 64×128×10 on two threads stuck at 70 GFLOP/s whole instead of 108 split).
     */
    static final int KEEP_SPINNING = 4;

    /**
     * Which way this call runs ({@link #SPLIT} or not) and whether it is timed ({@link #TIME}):
     * split while either way is still untimed (split first), then the faster, except for a probe
     * of the other way every {@link #PROBE_EVERY} calls when the two are within an eighth of each
     * other, and more rarely the further apart they are, so that probes cost under 1% of the
     * calls' time (a product twice as fast split probes one call in 256) for products up to about
     * three times as fast one way. Probes and untimed ways are always timed; the faster way one
     * call in {@link #TIME_EVERY}.
     */
    int choose(int s) {
        int call = ++calls[s];
        long split = splitNanos[s];
        long whole = wholeNanos[s];
        if (split == 0) {
            return SPLIT | TIME;
        }
        if (whole == 0) {
            return TIME;
        }
        long fast = Math.min(split, whole);
        long slow = Math.max(split, whole);
        int every = 8 * slow < 9 * fast ? PROBE_EVERY
                : 2 * slow < 3 * fast ? 4 * PROBE_EVERY
                : slow < 2 * fast ? 8 * PROBE_EVERY
                : 16 * PROBE_EVERY;
        boolean probe = call % every == 0;
        boolean splits = (split <= whole) != probe;
        boolean timed = probe || call % TIME_EVERY == 0;
        return (splits ? SPLIT : 0) | (timed ? TIME : 0) | ((call & 31) == 0 ? KEEP_SPINNING : 0);
    }

    /**
     * Folds one call's time into the way's running average (a quarter of the step each call).
     * A time more than four times the average counts as four times: a call interrupted by the
     * scheduler or a collection says nothing about the way, while a real change shows in a few calls.
     */
    void record(int s, boolean split, long nanos) {
        long[] times = split ? splitNanos : wholeNanos;
        long sample = Math.max(1, nanos);
        long average = times[s];
        times[s] = average == 0 ? sample : average + (Math.min(sample, 4 * average) - average) / 4;
    }

    /** The running average of split calls, in ns (0: none timed yet); for tests. */
    long splitNanos(int s) {
        return splitNanos[s];
    }

    /** The running average of whole calls, in ns (0: none timed yet); for tests. */
    long wholeNanos(int s) {
        return wholeNanos[s];
    }
}
