package org.abacim.core.network;

import org.abacim.core.tensor.Tensor;

/** The learned parameters of one layer, in PyTorch's layouts. */
public sealed interface LayerParams {
    /**
     * Convolution ({@code weight} [out, in/groups, kh, kw]) or fully connected ({@code weight} [out, in]) with an
     * optional {@code bias} [out] (null when the layer has none).
     */
    record Dense(Tensor weight, Tensor bias) implements LayerParams {}

    /** Batch normalization over channels: y = gamma (x − mean) / sqrt(var + eps) + beta. */
    record Norm(Tensor gamma, Tensor beta, Tensor mean, Tensor variance, float eps) implements LayerParams {}
}
