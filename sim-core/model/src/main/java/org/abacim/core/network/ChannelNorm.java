package org.abacim.core.network;

import java.util.Arrays;
import java.util.List;

/**
 * Layer normalization over the channels at each position (ONNX LayerNormalization on a channels-last map or a
 * vector, as ConvNeXt and transformers use it): y = (x − mean) / √(var + eps) · gamma + beta, the mean and the
 * (biased) variance taken over the channels of one position, gamma and beta per channel.
 */
public record ChannelNorm(String name, String input, float[] gamma, float[] beta, float eps) implements Layer {
    public ChannelNorm {
        gamma = gamma.clone();
        beta = beta.clone();
        if (gamma.length == 0 || gamma.length != beta.length) {
            throw new NetworkException("layer " + name + ": " + gamma.length + " scales and " + beta.length
                    + " shifts; expected one of each per channel");
        }
        if (!(eps > 0)) throw new NetworkException("layer " + name + ": epsilon " + eps + "; expected above 0");
    }

    @Override public List<String> inputs() { return List.of(input); }

    @Override
    public Shape outputShape(List<Shape> in) {
        Shape s = in.get(0);
        if (s.channels() != gamma.length) {
            throw new NetworkException("layer " + name + ": " + gamma.length + " scales for " + s.channels() + " channels");
        }
        return s;
    }

    @Override public String describe() { return "layer norm over " + gamma.length + " channels"; }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelNorm c && c.name.equals(name) && c.input.equals(input) && Arrays.equals(c.gamma, gamma)
                && Arrays.equals(c.beta, beta) && c.eps == eps;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(gamma)) + Arrays.hashCode(beta);
    }

    @Override
    public String toString() {
        return "ChannelNorm[" + name + ", " + input + ", " + gamma.length + " channels, eps " + eps + "]";
    }
}
