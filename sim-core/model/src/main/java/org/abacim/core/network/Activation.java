package org.abacim.core.network;

import java.util.List;
import java.util.Locale;

/**
 * An element-wise nonlinearity. CLIPPED_RELU clips at {@code clip} (ReLU6 when 6). HARD_SIGMOID is PyTorch's,
 * min(max(x/6 + 1/2, 0), 1); HARD_SWISH is x · hard-sigmoid(x) (MobileNetV3). ERF is the error function; GELU is
 * x · Φ(x) = x · (1 + erf(x/√2)) / 2, and GELU_TANH its tanh approximation (ONNX Gelu, approximate="tanh").
 */
public record Activation(String name, String input, Kind kind, double clip) implements Layer {
    public enum Kind { RELU, CLIPPED_RELU, SIGMOID, TANH, HARD_SIGMOID, HARD_SWISH, ERF, GELU, GELU_TANH }

    @Override public List<String> inputs() { return List.of(input); }

    @Override public Shape outputShape(List<Shape> in) { return in.get(0); }

    @Override public String describe() { return kind.name().toLowerCase(Locale.ROOT); }
}
