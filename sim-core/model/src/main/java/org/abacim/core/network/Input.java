package org.abacim.core.network;

import java.util.List;

/** The network's input: an image C×H×W or a vector. */
public record Input(String name, Shape shape) implements Layer {
    @Override public List<String> inputs() { return List.of(); }

    @Override public Shape outputShape(List<Shape> inputShapes) { return shape; }

    @Override public String describe() { return "input " + shape; }
}
