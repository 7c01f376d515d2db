package org.jvision.kernel.vector;

import static org.jvision.kernel.vector.MicroKernel.LANES;
import static org.jvision.kernel.vector.MicroKernel.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * What keeps masked loads and stores compiled: the Vector API's code behind them is shared by
 * every caller in the program, and so are its branch and type profiles. Two of its paths went
 * wrong in C2 once other kernels had fed those profiles, and the compiled kernel then boxed its
 * masks and vectors on every call, for good, in some launches and not others (a warm Conv2D step
 * allocating 0.3–10 MB):
 * <ul>
 *   <li>{@code indexInRange} returns a different mask from each branch (none, some or all lanes),
 *       and C2 merged them in a phi it could not unbox: {@link #first} makes the mask with one
 *       comparison instead;
 *   <li>a masked access reaching past the array's end goes through a bounds check whose calls on
 *       the mask C2 could no longer inline: callers keep masked accesses to rows
 *       {@link #rowsInside} the array, and copy the rest element by element.
 * </ul>
 */
final class MaskedAccess {
    /** 0, 1, 2, …, LANES - 1. */
    private static final float[] IOTA = new float[LANES];

    static {
        for (int l = 0; l < LANES; l++) {
            IOTA[l] = l;
        }
    }

    private MaskedAccess() {
    }

    /** Lanes {@code 0 … count - 1}: none when {@code count ≤ 0}, all when {@code count ≥ LANES}. */
    static VectorMask<Float> first(int count) {
        return FloatVector.fromArray(SPECIES, IOTA, 0).lt(count);
    }

    /**
     * How many of the first {@code rows} rows, starting at {@code first} and {@code step} apart,
     * have {@code reach} floats before the end of an array of {@code length}.
     */
    static int rowsInside(int rows, int length, int first, int step, int reach) {
        int room = length - reach - first;
        return room < 0 ? 0 : Math.min(rows, room / Math.max(1, step) + 1);
    }
}
