package org.jvision.bench;

import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Whether this VM's two cores are, right now, two threads of one physical core. The host of these
 * 2-vCPU machines sometimes places both vCPUs on sibling threads of one core for tens of seconds
 * at a time (twelfth session, Zen 4: two threads of register-only FMAs ran at 117 GFLOP/s each,
 * then from one second to the next at 51 each, and stayed there; one thread alone never changed).
 * Two-thread benchmarks then lose a third of their speed, by chance, in either system of a
 * side-by-side comparison, so tools/bench-compare.sh runs this probe between runs and keeps the
 * runs that began and ended on separate cores.
 *
 * <p>The probe times FMAs on registers only (no memory, so caches and bandwidth do not enter):
 * one thread alone, then two at once, {@link #ROUNDS} times, and compares the best of each (a
 * single slow slot, such as another tenant's burst, then changes nothing). On separate cores each
 * of the two runs as fast as the one alone; on sibling threads each gets about half. Prints one
 * JSON line:
 * {@code {"single_gflops":…,"pair_gflops_per_thread":…,"pair_ratio":…,"shared_core":…}}, shared
 * when the pair's per-thread speed is below {@link #SHARED_BELOW} of the single thread's.
 */
public final class CoreSharingProbe {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Independent FMA chains per loop: enough to cover the FMA latency on two pipes. */
    private static final int CHAINS = 8;
    private static final long ITERATIONS_PER_CALL = 20_000;
    /** Halfway between separate cores (about 1.0) and siblings (about 0.45). */
    static final double SHARED_BELOW = 0.75;
    private static final long WARM_UP_NANOS = 300_000_000L;
    private static final long MEASURE_NANOS = 100_000_000L;
    private static final int ROUNDS = 3;

    private static volatile float sink;

    private CoreSharingProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        // Both threads warm up together, so the loop is compiled before anything is timed.
        timeTogether(2, WARM_UP_NANOS);
        double single = 0;
        double perThread = 0;
        for (int round = 0; round < ROUNDS; round++) {
            single = Math.max(single, timeTogether(1, MEASURE_NANOS)[0]);
            double[] pair = timeTogether(2, MEASURE_NANOS);
            perThread = Math.max(perThread, (pair[0] + pair[1]) / 2);
        }
        double ratio = perThread / single;
        System.out.printf(Locale.ROOT,
                "{\"single_gflops\":%.1f,\"pair_gflops_per_thread\":%.1f,\"pair_ratio\":%.2f,\"shared_core\":%b}%n",
                single, perThread, ratio, ratio < SHARED_BELOW);
    }

    /** Runs {@code threads} threads of FMAs for {@code nanos} each, started together; their GFLOP/s. */
    private static double[] timeTogether(int threads, long nanos) throws InterruptedException {
        double[] gflops = new double[threads];
        Thread[] running = new Thread[threads];
        long start = System.nanoTime() + 5_000_000L;
        for (int t = 0; t < threads; t++) {
            int id = t;
            running[t] = new Thread(() -> {
                while (System.nanoTime() < start) {
                    Thread.onSpinWait();
                }
                long calls = 0;
                long end = start + nanos;
                long now;
                while ((now = System.nanoTime()) < end) {
                    burn(ITERATIONS_PER_CALL);
                    calls++;
                }
                double flops = (double) calls * ITERATIONS_PER_CALL * CHAINS * SPECIES.length() * 2;
                gflops[id] = flops / (now - start);
            });
            running[t].start();
        }
        for (Thread t : running) {
            t.join();
        }
        return gflops;
    }

    private static void burn(long iterations) {
        FloatVector scale = FloatVector.broadcast(SPECIES, 0.999999f);
        FloatVector shift = FloatVector.broadcast(SPECIES, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(SPECIES, 1f);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(scale, shift);
            a1 = a1.fma(scale, shift);
            a2 = a2.fma(scale, shift);
            a3 = a3.fma(scale, shift);
            a4 = a4.fma(scale, shift);
            a5 = a5.fma(scale, shift);
            a6 = a6.fma(scale, shift);
            a7 = a7.fma(scale, shift);
        }
        sink = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(VectorOperators.ADD);
    }
}
