package org.abacim.core.network;

import java.util.List;

/** Batch normalization over channels; folded into the preceding convolution for inference. */
public record BatchNorm(String name, String input, int channels) implements Layer {
    @Override public List<String> inputs() { return List.of(input); }

    @Override
    public Shape outputShape(List<Shape> in) {
        if (in.get(0).channels() != channels) {
            throw new NetworkException("layer " + name + " normalizes " + channels + " channels, its input has " + in.get(0));
        }
        return in.get(0);
    }

    @Override public String describe() { return "batchnorm"; }
}
