package org.abacim.core.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major (C) order, as PyTorch, ONNX and NumPy lay them out. The array is shared, not
 * copied: treat tensors handed to you as read-only unless you made them.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;

    public Tensor(int[] shape, float[] data) {
        long n = size(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
        this.shape = shape.clone();
        this.data = data;
    }

    public static Tensor zeros(int... shape) {
        long n = size(shape);
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor of " + n + " values is too large");
        return new Tensor(shape, new float[(int) n]);
    }

    /** Elements of a tensor of {@code shape}; {@link Long#MAX_VALUE} when the product does not fit a long. */
    public static long size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            try {
                n = Math.multiplyExact(n, (long) d);
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE; // saturates: every size check refuses it, none wraps to a small or negative size
            }
        }
        return n;
    }

    public int[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    public int dim(int i) { return shape[i]; }

    public int size() { return data.length; }

    /** The values, shared. */
    public float[] data() { return data; }

    public Tensor reshape(int... newShape) {
        return new Tensor(newShape, data);
    }

    public Tensor copy() {
        return new Tensor(shape, data.clone());
    }

    public String shapeText() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
