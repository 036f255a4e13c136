package org.imcsim.core.network;

import java.util.List;

/** An element-wise nonlinearity. CLIPPED_RELU clips at {@code clip} (ReLU6 when 6). */
public record Activation(String name, String input, Kind kind, double clip) implements Layer {
    public enum Kind { RELU, CLIPPED_RELU, SIGMOID, TANH }

    @Override public List<String> inputs() { return List.of(input); }

    @Override public Shape outputShape(List<Shape> in) { return in.get(0); }

    @Override public String describe() { return kind.name().toLowerCase(java.util.Locale.ROOT); }
}
