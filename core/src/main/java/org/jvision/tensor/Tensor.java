package org.jvision.tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A float32 tensor: a shape and a row-major (C order) float array.
 *
 * <p>The array may be longer than the shape needs ({@link #withShape} makes a view of a smaller
 * batch over a buffer allocated once for the largest batch), so code reads
 * {@link #size()} elements from offset 0, never {@code data().length}.
 */
public final class Tensor {
    private final Shape shape;
    private final float[] data;

    public Tensor(Shape shape) {
        this(shape, new float[shape.size()]);
    }

    public Tensor(Shape shape, float[] data) {
        if (data.length < shape.size()) {
            throw new IllegalArgumentException(
                    "tensor of shape " + shape + " needs " + shape.size() + " values, got " + data.length);
        }
        this.shape = shape;
        this.data = data;
    }

    public static Tensor of(float[] values, int... dims) {
        Shape shape = Shape.of(dims);
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(
                    "shape " + shape + " holds " + shape.size() + " values, got " + values.length);
        }
        return new Tensor(shape, values);
    }

    public static Tensor zeros(int... dims) {
        return new Tensor(Shape.of(dims));
    }

    /** Uniform random values in [low, high), from a seeded generator. */
    public static Tensor uniform(SplittableRandom random, float low, float high, int... dims) {
        Tensor t = zeros(dims);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return t;
    }

    /**
     * A tensor of {@code shape} that reuses {@code buffer}'s storage when it is large enough, else a
     * new one. Layers keep their outputs and gradients this way so training allocates nothing per batch.
     */
    public static Tensor reuse(Tensor buffer, Shape shape) {
        if (buffer != null && buffer.data.length >= shape.size()) {
            return buffer.shape.equals(shape) ? buffer : new Tensor(shape, buffer.data);
        }
        return new Tensor(shape);
    }

    public Shape shape() {
        return shape;
    }

    public int dim(int axis) {
        return shape.dim(axis);
    }

    public int rank() {
        return shape.rank();
    }

    /** Number of elements described by the shape. */
    public int size() {
        return shape.size();
    }

    /** The backing array (may be longer than {@link #size()}). */
    public float[] data() {
        return data;
    }

    /** A view with another shape of the same or smaller size, sharing the storage. */
    public Tensor withShape(Shape newShape) {
        return new Tensor(newShape, data);
    }

    public Tensor reshape(int... dims) {
        Shape newShape = Shape.of(dims);
        if (newShape.size() != shape.size()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " to " + newShape);
        }
        return new Tensor(newShape, data);
    }

    public float get(int... index) {
        return data[offset(index)];
    }

    public void set(float value, int... index) {
        data[offset(index)] = value;
    }

    private int offset(int[] index) {
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " for shape " + shape);
        }
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape.dim(i)) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " for shape " + shape);
            }
            off = off * shape.dim(i) + index[i];
        }
        return off;
    }

    /** A copy holding exactly {@link #size()} values. */
    public Tensor copy() {
        return new Tensor(shape, Arrays.copyOf(data, shape.size()));
    }

    /** The values as a new array of exactly {@link #size()} elements. */
    public float[] toArray() {
        return Arrays.copyOf(data, shape.size());
    }

    public void fill(float value) {
        Arrays.fill(data, 0, shape.size(), value);
    }

    /** Rows {@code [from, to)} of the leading axis, copied. */
    public Tensor slice(int from, int to) {
        int per = shape.size() / Math.max(1, shape.dim(0));
        Tensor out = new Tensor(shape.replaceBatch(to - from));
        System.arraycopy(data, from * per, out.data, 0, (to - from) * per);
        return out;
    }

    @Override
    public String toString() {
        int n = Math.min(size(), 8);
        StringBuilder sb = new StringBuilder("Tensor").append(shape).append(" [");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(data[i]);
        }
        return sb.append(size() > n ? ", ...]" : "]").toString();
    }
}
