package org.abacim.core.network;

import java.util.Arrays;
import java.util.List;

/**
 * A mask with constant positions: y = x where {@code keep}, else the constant {@code fill} (ONNX Where with a constant
 * condition, as a causal or padding mask writes −∞ into attention scores). Two masks in a row stay exact: a masked
 * −∞ is replaced, never multiplied.
 */
public record Mask(String name, String input, boolean[] keep, float[] fill) implements Layer {
    public Mask {
        keep = keep.clone();
        fill = fill.clone();
        if (keep.length != fill.length) {
            throw new NetworkException("layer " + name + ": " + keep.length + " positions and " + fill.length + " fills");
        }
    }

    @Override public List<String> inputs() { return List.of(input); }

    @Override
    public Shape outputShape(List<Shape> in) {
        if (in.get(0).elements() != keep.length) {
            throw new NetworkException("layer " + name + ": a mask of " + keep.length + " values on " + in.get(0));
        }
        return in.get(0);
    }

    @Override public boolean[] keep() { return keep.clone(); }

    @Override public float[] fill() { return fill.clone(); }

    /** Whether position {@code k} passes its input through. */
    public boolean keeps(int k) { return keep[k]; }

    /** The constant at position {@code k} where it does not. */
    public float fillAt(int k) { return fill[k]; }

    @Override public String describe() { return "mask"; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && m.name.equals(name) && m.input.equals(input) && Arrays.equals(m.keep, keep)
                && Arrays.equals(m.fill, fill);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(fill);
    }

    @Override
    public String toString() {
        return "Mask[" + name + ", " + input + ", " + keep.length + " positions]";
    }
}
