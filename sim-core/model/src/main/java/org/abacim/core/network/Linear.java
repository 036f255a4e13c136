package org.abacim.core.network;

import java.util.List;

/** Fully connected layer (Gemm/MatMul): a vector of inFeatures to outFeatures. */
public record Linear(String name, String input, int inFeatures, int outFeatures, boolean bias) implements Layer {
    public Linear {
        if (inFeatures <= 0 || outFeatures <= 0) throw new NetworkException("layer " + name + ": sizes must be positive");
        if (inFeatures > Conv2d.MAX_MATRIX_SIDE || outFeatures > Conv2d.MAX_MATRIX_SIDE) {
            throw new NetworkException("layer " + name + ": a weight matrix of " + inFeatures + " × " + outFeatures
                    + "; each side may be at most " + Conv2d.MAX_MATRIX_SIDE);
        }
    }

    @Override public List<String> inputs() { return List.of(input); }

    @Override
    public Shape outputShape(List<Shape> in) {
        Shape s = in.get(0);
        if (s.elements() != inFeatures || !s.isVector()) {
            throw new NetworkException("layer " + name + " expects a vector of " + inFeatures
                    + " features, its input is " + s + (s.isVector() ? "" : " (add a flatten layer)"));
        }
        return Shape.vector(outFeatures);
    }

    @Override public String describe() { return "linear " + inFeatures + " → " + outFeatures; }
}
