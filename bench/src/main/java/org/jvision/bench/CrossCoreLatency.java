package org.jvision.bench;

/**
 * How long one thread takes to see another's write and answer it: the round trip of a cache line
 * between the two cores. On these 2-vCPU VMs it changes over time, from one second to the next,
 * between about 66 ns and about 330 ns (seventeenth session, Zen 4: presumably the host moving a
 * vCPU between cores that share an L3 and cores that do not). A hand-off between jvision's threads
 * moves several lines (the posted task, the lambda and the problem it captures, the flag that
 * says it is done), so a product of a few microseconds split over two threads gains about 0.6 µs
 * in the fast state and loses about 1 µs in the slow one; {@link GemmPairs} prints this figure
 * next to each shape so that a table says which state it was measured in.
 */
final class CrossCoreLatency {
    private static final int TRIPS_PER_BATCH = 10_000;
    private static final int BATCHES = 10;

    private static volatile long ping;
    private static volatile long pong;

    private CrossCoreLatency() {
    }

    /**
     * The best of {@link #BATCHES} batches' mean round trip, in nanoseconds (a few milliseconds in
     * all); NaN on a single core, where the two spinning threads would take turns at the scheduler's pace.
     */
    static double roundTripNanos() throws InterruptedException {
        return roundTripNanos(BATCHES, TRIPS_PER_BATCH);
    }

    /**
     * The same from {@code batches} batches of {@code trips} round trips: one batch of 2,000 takes
     * under a millisecond, quick enough to take between rounds of a benchmark and say which state
     * each ran in.
     */
    static double roundTripNanos(int batches, int trips) throws InterruptedException {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return Double.NaN;
        }
        ping = 0;
        pong = 0;
        Thread echo = new Thread(() -> {
            long seen = 0;
            while (seen >= 0) {
                long p;
                while ((p = ping) == seen) {
                    Thread.onSpinWait();
                }
                seen = p;
                pong = p;
            }
        }, "cross-core-echo");
        echo.setDaemon(true);
        echo.start();
        long best = Long.MAX_VALUE;
        long sent = 0;
        for (int batch = 0; batch < batches; batch++) {
            long start = System.nanoTime();
            for (int i = 0; i < trips; i++) {
                ping = ++sent;
                while (pong != sent) {
                    Thread.onSpinWait();
                }
            }
            best = Math.min(best, System.nanoTime() - start);
        }
        ping = -1;
        echo.join();
        return (double) best / trips;
    }
}
