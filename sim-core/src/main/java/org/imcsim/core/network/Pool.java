package org.imcsim.core.network;

import java.util.List;

/** Max or average pooling; {@code global} pools each channel to one value. */
public record Pool(String name, String input, Kind kind, int kernel, int stride, int padding, boolean global)
        implements Layer {
    public enum Kind { MAX, AVERAGE }

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
        return new Shape(s.channels(), (s.height() + 2 * padding - kernel) / stride + 1,
                (s.width() + 2 * padding - kernel) / stride + 1);
    }

    /** Input values each output reads. */
    public int window(Shape in) { return global ? in.height() * in.width() : kernel * kernel; }

    @Override
    public String describe() {
        String k = kind == Kind.MAX ? "maxpool" : "avgpool";
        return global ? "global " + k : k + " " + kernel + "×" + kernel + "/" + stride;
    }
}
