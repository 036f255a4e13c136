package org.abacim.core.network;

import java.util.List;

/** Element-wise sum of two or more inputs of the same shape (residual connections). */
public record Add(String name, List<String> inputs) implements Layer {
    public Add {
        inputs = List.copyOf(inputs);
        if (inputs.size() < 2) throw new NetworkException("layer " + name + ": add needs two or more inputs");
    }

    @Override
    public Shape outputShape(List<Shape> in) {
        for (Shape s : in) {
            if (!s.equals(in.get(0))) {
                throw new NetworkException("layer " + name + " adds inputs of different shapes " + in);
            }
        }
        return in.get(0);
    }

    @Override public String describe() { return "add"; }
}
