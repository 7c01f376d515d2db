package org.jvision.bench;

import java.util.concurrent.TimeUnit;
import org.jvision.kernel.Parallel;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every jvision benchmark shares: short runs, to see where time goes rather than to settle
 * small differences (for a careful run, raise them on the command line: {@code -wi 5 -i 10 -f 3}),
 * the JVM flags jvision always runs with (the Vector API module, the parallel collector, deep
 * stacks), and a {@code threads} parameter handed to {@link Parallel#setThreads} before the trial.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC", "-Xss4m"})
@State(Scope.Benchmark)
public abstract class BenchmarkDefaults {
    @Param({"1", "2"})
    public int threads;

    @Setup(Level.Trial)
    public void useThreads() {
        Parallel.setThreads(threads);
    }
}
