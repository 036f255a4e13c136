package org.abacim.core.network;

import java.util.Arrays;
import java.util.List;

/**
 * An element-wise scale and shift by constants, y = x · scale + shift, one of each for the whole tensor or per
 * channel: a product or sum with a constant (GELU's Erf form, ConvNeXt's layer scale, a division by a constant).
 */
public record Affine(String name, String input, float[] scale, float[] shift) implements Layer {
    public Affine {
        scale = scale.clone();
        shift = shift.clone();
        if (scale.length == 0 || shift.length == 0 || scale.length != shift.length && scale.length != 1 && shift.length != 1) {
            throw new NetworkException("layer " + name + ": " + scale.length + " scales and " + shift.length
                    + " shifts; expected one or one per channel of each");
        }
    }

    @Override public List<String> inputs() { return List.of(input); }

    @Override
    public Shape outputShape(List<Shape> in) {
        Shape s = in.get(0);
        for (int n : new int[] {scale.length, shift.length}) {
            if (n != 1 && n != s.channels()) {
                throw new NetworkException("layer " + name + ": " + n + " per-channel values for " + s.channels() + " channels");
            }
        }
        return s;
    }

    /** The scale of channel {@code c}. */
    public float scale(int c) { return scale[scale.length == 1 ? 0 : c]; }

    /** The shift of channel {@code c}. */
    public float shift(int c) { return shift[shift.length == 1 ? 0 : c]; }

    /** Whether any value differs per channel. */
    public boolean perChannel() { return scale.length > 1 || shift.length > 1; }

    @Override public String describe() { return "scale and shift" + (perChannel() ? " per channel" : ""); }

    @Override
    public boolean equals(Object o) {
        return o instanceof Affine a && a.name.equals(name) && a.input.equals(input) && Arrays.equals(a.scale, scale)
                && Arrays.equals(a.shift, shift);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(scale)) + Arrays.hashCode(shift);
    }

    @Override
    public String toString() {
        return "Affine[" + name + ", " + input + ", " + Arrays.toString(scale) + ", " + Arrays.toString(shift) + "]";
    }
}
