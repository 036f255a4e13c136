package org.abacim.core.network;

import java.util.List;

/**
 * Max or average pooling; {@code global} pools each channel to one value. With {@code ceilMode} (PyTorch's
 * {@code ceil_mode=True}) a last, partial window is kept when it starts inside the input or its left padding.
 * Average pooling divides by the window's extent within the padded input (PyTorch's {@code count_include_pad}).
 */
public record Pool(String name, String input, Kind kind, int kernel, int stride, int padding, boolean global,
                   boolean ceilMode) implements Layer {
    public enum Kind { MAX, AVERAGE }

    public Pool(String name, String input, Kind kind, int kernel, int stride, int padding, boolean global) {
        this(name, input, kind, kernel, stride, padding, global, false);
    }

    public Pool {
        if (!global && (kernel <= 0 || stride <= 0 || padding < 0)) {
            throw new NetworkException("layer " + name + ": pool sizes must be positive");
        }
    }

    @Override public List<String> inputs() { return List.of(input); }

    @Override
    public Shape outputShape(List<Shape> in) {
        Shape s = in.get(0);
        if (global) return new Shape(s.channels(), 1, 1);
        if (s.height() + 2 * padding < kernel || s.width() + 2 * padding < kernel) {
            throw new NetworkException("layer " + name + ": pool " + kernel + "×" + kernel + " does not fit input " + s);
        }
        return new Shape(s.channels(), outputSide(s.height()), outputSide(s.width()));
    }

    private int outputSide(int side) {
        int span = side + 2 * padding - kernel;
        if (!ceilMode) return span / stride + 1;
        int out = (span + stride - 1) / stride + 1;
        // PyTorch drops a last window that would start in the right padding only.
        if ((out - 1) * stride >= side + padding) out--;
        return out;
    }

    /** The divisor of an average window starting at {@code start} (input coordinates) on a side of {@code side}. */
    public int extent(int start, int side) {
        return Math.min(start + kernel, side + padding) - start;
    }

    /** Input values each output reads. */
    public int window(Shape in) { return global ? in.height() * in.width() : kernel * kernel; }

    @Override
    public String describe() {
        String k = kind == Kind.MAX ? "maxpool" : "avgpool";
        return global ? "global " + k : k + " " + kernel + "×" + kernel + "/" + stride + (ceilMode ? " (ceil)" : "");
    }
}
