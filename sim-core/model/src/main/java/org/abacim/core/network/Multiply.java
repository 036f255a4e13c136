package org.abacim.core.network;

import java.util.List;

/**
 * Element-wise product of two inputs: of the same shape (SiLU's x·σ(x)), or a map and one value per channel
 * (squeeze-and-excitation's channel weights, C×1×1), broadcast over the map. It runs on the digital units beside
 * the arrays, like an activation.
 */
public record Multiply(String name, List<String> inputs) implements Layer {
    public Multiply {
        inputs = List.copyOf(inputs);
        if (inputs.size() != 2) throw new NetworkException("layer " + name + ": multiply takes two inputs");
    }

    @Override
    public Shape outputShape(List<Shape> in) {
        Shape a = in.get(0);
        Shape b = in.get(1);
        if (a.equals(b) || perChannel(a, b)) return a;
        if (perChannel(b, a)) return b;
        throw new NetworkException("layer " + name + " multiplies " + a + " by " + b
                + "; expected equal shapes or one value per channel (C×1×1)");
    }

    /** Whether {@code scale} gives one value per channel of {@code map}. */
    public static boolean perChannel(Shape map, Shape scale) {
        return scale.channels() == map.channels() && scale.height() == 1 && scale.width() == 1;
    }

    @Override public String describe() { return "multiply"; }
}
