package org.abacim.core.network;

import java.util.List;

/** C×H×W to a vector of C·H·W features (channel-major, as PyTorch's flatten). */
public record Flatten(String name, String input) implements Layer {
    @Override public List<String> inputs() { return List.of(input); }

    @Override
    public Shape outputShape(List<Shape> in) {
        long n = in.get(0).elements();
        if (n > Integer.MAX_VALUE) throw new NetworkException("layer " + name + ": too many features " + n);
        return Shape.vector((int) n);
    }

    @Override public String describe() { return "flatten"; }
}
