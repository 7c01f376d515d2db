package org.jvision.kernel;

import java.lang.System.Logger.Level;

/**
 * Chooses the kernels once, at start-up, and says which and why (like Lucene's
 * VectorizationProvider). The Vector API implementation is used when the
 * {@code jdk.incubator.vector} module is present and the processor has vectors of at least 8
 * floats; otherwise the scalar one. The system property {@code jvision.kernels=scalar|vector}
 * overrides the choice.
 */
public final class Engine {
    private static final System.Logger LOG = System.getLogger("org.jvision.kernel");
    private static volatile Kernels kernels = choose();

    private Engine() {
    }

    public static Kernels kernels() {
        return kernels;
    }

    /** Replaces the kernels in use (tests compare both paths; benchmarks pin one). */
    public static void use(Kernels replacement) {
        kernels = replacement;
    }

    public static Kernels scalar() {
        return new ScalarKernels();
    }

    /** The Vector API kernels, or null when the module or wide vectors are absent. */
    public static Kernels vectorOrNull() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            Class<?> type = Class.forName("org.jvision.kernel.vector.VectorKernels");
            Kernels k = (Kernels) type.getMethod("createIfUseful").invoke(null);
            return k;
        } catch (java.lang.reflect.InvocationTargetException e) {
            // The kernels loaded and then failed (in their warm-up): a bug to show, not a reason
            // to fall back to the scalar path quietly (and to have the vector tests skipped).
            throw new IllegalStateException("the Vector API kernels failed to start", e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.log(Level.DEBUG, "Vector API kernels unavailable: " + e);
            return null;
        }
    }

    private static Kernels choose() {
        String wanted = System.getProperty("jvision.kernels", "auto");
        if (wanted.equals("scalar")) {
            LOG.log(Level.DEBUG, "kernels: scalar (jvision.kernels=scalar)");
            return scalar();
        }
        Kernels vector = vectorOrNull();
        if (vector != null) {
            LOG.log(Level.DEBUG, "kernels: " + vector.name() + " (Vector API)");
            return vector;
        }
        LOG.log(Level.INFO, "kernels: scalar (run with --add-modules jdk.incubator.vector on a CPU "
                + "with 256-bit or wider vectors for the fast path)");
        return scalar();
    }
}
