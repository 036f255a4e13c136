package org.abacim.core.network;

import java.util.List;

/**
 * Channels of two or more inputs of the same height and width, one after another (Inception branches, SqueezeNet's
 * Fire modules, DenseNet's growing feature maps). It moves no data through an array: the next layer reads its inputs
 * where they are, so it costs nothing of its own.
 */
public record Concat(String name, List<String> inputs) implements Layer {
    public Concat {
        inputs = List.copyOf(inputs);
        if (inputs.size() < 2) throw new NetworkException("layer " + name + ": concat needs two or more inputs");
    }

    @Override
    public Shape outputShape(List<Shape> in) {
        int channels = 0;
        for (Shape s : in) {
            if (s.height() != in.get(0).height() || s.width() != in.get(0).width()) {
                throw new NetworkException("layer " + name + " concatenates maps of different sizes " + in);
            }
            channels = Math.addExact(channels, s.channels());
        }
        return new Shape(channels, in.get(0).height(), in.get(0).width());
    }

    @Override public String describe() { return "concat"; }
}
