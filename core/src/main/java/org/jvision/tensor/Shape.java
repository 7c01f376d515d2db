package org.jvision.tensor;

import java.util.Arrays;

/**
 * An immutable tensor shape. Image batches are NHWC: {@code [batch, rows, cols, channels]};
 * convolution kernels are {@code [kh, kw, inChannels, outChannels]}.
 */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("shape dimensions must be >= 0, got " + Arrays.toString(dims));
            }
        }
        this.dims = dims;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis < 0 ? dims.length + axis : axis];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements. */
    public int size() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of shape " + this + " has more than 2^31-1 elements");
        }
        return (int) n;
    }

    /** This shape with one more leading axis (the batch): {@code [n, ...this]}. */
    public Shape withBatch(int n) {
        int[] d = new int[dims.length + 1];
        d[0] = n;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return new Shape(d);
    }

    /** This shape without its leading axis. */
    public Shape dropBatch() {
        if (dims.length == 0) {
            throw new IllegalStateException("a scalar shape has no batch axis");
        }
        return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
    }

    /** This shape with the leading axis replaced by {@code n}. */
    public Shape replaceBatch(int n) {
        int[] d = dims.clone();
        d[0] = n;
        return new Shape(d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape other && Arrays.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
