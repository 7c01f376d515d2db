package org.jvision.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.jvision.kernel.Engine;
import org.jvision.kernel.Kernels;
import org.jvision.kernel.Parallel;

/**
 * jvision's gemm and OpenBLAS's {@code cblas_sgemm} in one process, in alternating rounds of a
 * few milliseconds each, and the median of the per-round ratios. On these shared VMs a core's speed
 * changes from one millisecond to the next (another tenant on its sibling thread, the clock), so
 * figures taken minutes apart, or even in two processes side by side (tools/gemm-compare.sh), can
 * differ by more than the effect being measured; a ratio of neighbouring rounds cancels most of it.
 * OpenBLAS is called through the foreign-function API on the same Java arrays.
 *
 * <pre>
 * tools/gemm-pairs.sh -t 1 -d 3 1024x1024x1024:NN vgg-small/conv2d_3.dW:288x64x392:TN
 * </pre>
 *
 * <p>Arguments: threads, seconds per shape, then shapes in {@link GemmShape}'s text. The library is
 * {@code -Dopenblas=PATH} (default: Debian's OpenMP build). Prints one markdown row per shape.
 *
 * <p>The last column splits the rounds by OpenBLAS's speed: the median ratio over the rounds in
 * which OpenBLAS ran at 90% of its best or more (a quiet core), and over the rest (a busy one).
 * On the AVX2 machine of the ninth session jvision lost about half its speed in the busy rounds
 * and OpenBLAS a fifth, so the overall median says more about the neighbours than the code; the
 * split shows both. The acceptance figure stays the overall median.
 *
 * <p>The column before it is the {@link CrossCoreLatency} round trip: its range over the shape's
 * rounds, read every {@link #LATENCY_EVERY_NANOS} between two rounds (in about 4 ms).
 * Products of a few microseconds that jvision splits over two threads (the 10-class heads) run
 * about 1.7x faster when it reads about 66 ns than when it reads about 330; the next column gives
 * the median ratio over the rounds run after a reading under {@link #FAST_TRIP_NANOS} and over the
 * rest, so that a table says how each shape fares in both states.
 *
 * <p>The column after the rounds is what jvision's calls allocated on the calling thread, per call.
 * A warm kernel allocates a few dozen bytes (the problem's description); kilobytes mean that C2
 * compiled a kernel without inlining a helper that takes or returns vectors, and boxed them: the
 * twenty-fourth session found a 10-class head's input gradient at 24 KB and 2.5 times its time in
 * one harness, depending on the profile. A few hundred bytes on average, in some launches only, is
 * more often a recompilation inside the timed rounds, the calls in between running C1's code (the
 * same kernel's first C2 compilation trapping on a profile predicate; twenty-sixth session).
 */
public final class GemmPairs {
    private static final String DEFAULT_OPENBLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0";
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;
    /** Work per round: a few milliseconds at tens of GFLOP/s. */
    private static final double FLOPS_PER_ROUND = 4e7;
    /** How often the cross-core round trip is read between rounds. */
    private static final long LATENCY_EVERY_NANOS = 100_000_000;
    /** Round trips under this count as the host's fast state (about 66 ns), over it as the slow one (about 330). */
    private static final double FAST_TRIP_NANOS = 150;

    private GemmPairs() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 3) {
            System.err.println("usage: GemmPairs THREADS SECONDS SHAPE... (shape: [name:]MxNxK:XY[:acc])");
            System.exit(2);
        }
        int threads = Integer.parseInt(args[0]);
        double seconds = Double.parseDouble(args[1]);
        String library = System.getProperty("openblas", DEFAULT_OPENBLAS);
        if (!Files.isReadable(Path.of(library))) {
            System.err.println("gemm-pairs: OpenBLAS not found at " + library
                    + " (install libopenblas0-openmp, or pass -Dopenblas=PATH)");
            System.exit(1);
        }
        Linker linker = Linker.nativeLinker();
        SymbolLookup blas = SymbolLookup.libraryLookup(Path.of(library), Arena.global());
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT;
        ValueLayout.OfFloat f32 = ValueLayout.JAVA_FLOAT;
        ValueLayout ptr = ValueLayout.ADDRESS;
        // critical: heap arrays are passed as they are, without copies.
        MethodHandle sgemm = linker.downcallHandle(blas.find("cblas_sgemm").orElseThrow(),
                FunctionDescriptor.ofVoid(i32, i32, i32, i32, i32, i32, f32, ptr, i32, ptr, i32, f32, ptr, i32),
                Linker.Option.critical(true));
        MethodHandle setThreads = linker.downcallHandle(blas.find("openblas_set_num_threads").orElseThrow(),
                FunctionDescriptor.ofVoid(i32));
        setThreads.invokeExact(threads);
        Parallel.setThreads(threads);
        // -Dsplits=always|never: the timed row splits of small products forced one way, to compare.
        String splits = System.getProperty("splits", "by_timing");
        Parallel.setTimedSplits(Parallel.TimedSplits.valueOf(splits.toUpperCase(java.util.Locale.ROOT)));
        Kernels kernels = Engine.kernels();
        var allocation = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.out.printf("| shape | threads | jvision GFLOP/s (median, best) | OpenBLAS GFLOP/s (median, best) "
                + "| ratio median (quartiles) | rounds | jvision bytes a call | cross-core round trip (ns) "
                + "| ratio at a round trip under 150 ns / over (rounds) "
                + "| ratio when OpenBLAS runs at ≥ 90%% of its best / below (rounds) |%n");
        System.out.printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
        for (int s = 2; s < args.length; s++) {
            GemmShape shape = GemmShape.parse(args[s]);
            int m = shape.m();
            int n = shape.n();
            int k = shape.k();
            SplittableRandom random = new SplittableRandom(s);
            float[] a = randomArray(random, m * k);
            float[] b = randomArray(random, k * n);
            float[] c = new float[m * n];
            float[] cBlas = new float[m * n];
            int lda = shape.transA() ? m : k;
            int ldb = shape.transB() ? k : n;
            MemorySegment aSegment = MemorySegment.ofArray(a);
            MemorySegment bSegment = MemorySegment.ofArray(b);
            MemorySegment cSegment = MemorySegment.ofArray(cBlas);
            double flops = 2.0 * m * n * k;
            int calls = (int) Math.max(1, FLOPS_PER_ROUND / flops);
            List<Double> ours = new ArrayList<>();
            List<Double> theirs = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            List<double[]> pairs = new ArrayList<>();
            List<Double> fast = new ArrayList<>();
            List<Double> slow = new ArrayList<>();
            double roundTrip = roundTripNanos();
            double fewestTrip = roundTrip;
            double mostTrip = roundTrip;
            long nextLatency = System.nanoTime() + LATENCY_EVERY_NANOS;
            long allocated = 0;
            long timedCalls = 0;
            long warm = System.nanoTime() + (long) (seconds * 0.3e9);
            long end = warm + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                if (System.nanoTime() > nextLatency) {
                    roundTrip = roundTripNanos();
                    fewestTrip = Math.min(fewestTrip, roundTrip);
                    mostTrip = Math.max(mostTrip, roundTrip);
                    nextLatency = System.nanoTime() + LATENCY_EVERY_NANOS;
                }
                long bytes = allocation.getCurrentThreadAllocatedBytes();
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    kernels.gemm(shape.transA(), shape.transB(), m, n, k, a, 0, lda, b, 0, ldb, c, 0, n,
                            shape.accumulate());
                }
                long t1 = System.nanoTime();
                bytes = allocation.getCurrentThreadAllocatedBytes() - bytes;
                for (int i = 0; i < calls; i++) {
                    sgemm.invokeExact(ROW_MAJOR, shape.transA() ? TRANS : NO_TRANS, shape.transB() ? TRANS : NO_TRANS,
                            m, n, k, 1f, aSegment, lda, bSegment, ldb, shape.accumulate() ? 1f : 0f, cSegment, n);
                }
                long t2 = System.nanoTime();
                if (t0 > warm) {
                    double jvision = flops * calls / (t1 - t0);
                    double openblas = flops * calls / (t2 - t1);
                    ours.add(jvision);
                    theirs.add(openblas);
                    ratios.add(jvision / openblas);
                    pairs.add(new double[] {jvision, openblas});
                    allocated += bytes;
                    timedCalls += calls;
                    if (!Double.isNaN(roundTrip)) {
                        (roundTrip < FAST_TRIP_NANOS ? fast : slow).add(jvision / openblas);
                    }
                }
            }
            Collections.sort(ours);
            Collections.sort(theirs);
            Collections.sort(ratios);
            double quietFrom = 0.9 * best(theirs);
            List<Double> quiet = new ArrayList<>();
            List<Double> busy = new ArrayList<>();
            for (double[] pair : pairs) {
                (pair[1] >= quietFrom ? quiet : busy).add(pair[0] / pair[1]);
            }
            System.out.printf("| %s | %d | %.1f, %.1f | %.1f, %.1f | **%.2fx** (%.2f–%.2f) | %d | %.0f | %.0f–%.0f | %s / %s "
                            + "| %s / %s |%n",
                    args[s], threads, median(ours), best(ours), median(theirs), best(theirs), median(ratios),
                    ratios.get(ratios.size() / 4), ratios.get(3 * ratios.size() / 4), ratios.size(),
                    (double) allocated / Math.max(1, timedCalls), fewestTrip,
                    mostTrip, describe(fast), describe(slow), describe(quiet), describe(busy));
        }
        System.exit(0);
    }

    /**
     * The cross-core round trip, read quickly (best of two batches of 1,000) after 3 ms of sleep:
     * jvision's idle worker spins for 2 ms before it parks, and a third spinning thread on two
     * cores would read the scheduler's time slices instead of the caches.
     */
    private static double roundTripNanos() throws InterruptedException {
        Thread.sleep(3);
        return CrossCoreLatency.roundTripNanos(2, 1_000);
    }

    private static double median(List<Double> sorted) {
        return sorted.get(sorted.size() / 2);
    }

    /** The median ratio of some rounds and their count, as "0.93x (41)", or "–" for none. */
    private static String describe(List<Double> ratios) {
        if (ratios.isEmpty()) {
            return "–";
        }
        Collections.sort(ratios);
        return String.format("%.2fx (%d)", median(ratios), ratios.size());
    }

    private static double best(List<Double> sorted) {
        return sorted.get(sorted.size() - 1);
    }

    private static float[] randomArray(SplittableRandom random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (random.nextDouble() - 0.5);
        }
        return values;
    }
}
