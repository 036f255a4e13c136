package org.abacim.core.network;

import java.util.List;

/** Softmax over the features of a vector. */
public record Softmax(String name, String input) implements Layer {
    @Override public List<String> inputs() { return List.of(input); }

    @Override public Shape outputShape(List<Shape> in) { return in.get(0); }

    @Override public String describe() { return "softmax"; }
}
