package org.abacim.core.network;

import java.util.List;

/**
 * Softmax over the features of a vector ({@link Axis#CHANNELS}), or over the width of every row of a map
 * ({@link Axis#WIDTH}: attention's scores, one row per query and head).
 */
public record Softmax(String name, String input, Axis axis) implements Layer {
    public enum Axis { CHANNELS, WIDTH }

    /** Softmax over a vector's features. */
    public Softmax(String name, String input) {
        this(name, input, Axis.CHANNELS);
    }

    @Override public List<String> inputs() { return List.of(input); }

    @Override public Shape outputShape(List<Shape> in) { return in.get(0); }

    /** The values each softmax normalizes over. */
    public int span(Shape s) {
        return axis == Axis.WIDTH ? s.width() : (int) s.elements();
    }

    @Override public String describe() { return axis == Axis.WIDTH ? "softmax over rows" : "softmax"; }
}
