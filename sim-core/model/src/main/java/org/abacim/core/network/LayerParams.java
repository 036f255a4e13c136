package org.abacim.core.network;

import java.util.LinkedHashMap;
import java.util.Map;
import org.abacim.core.tensor.Tensor;

/** The learned parameters of one layer, in PyTorch's layouts. */
public sealed interface LayerParams {
    /**
     * Every tensor of the layer by its name here ({@code weight}, {@code bias}; {@code gamma}, {@code beta},
     * {@code mean}, {@code variance}), in that order; a missing bias is left out.
     */
    default Map<String, Tensor> tensors() {
        Map<String, Tensor> named = new LinkedHashMap<>();
        if (this instanceof Dense d) {
            named.put("weight", d.weight());
            if (d.bias() != null) named.put("bias", d.bias());
        } else if (this instanceof Norm m) {
            named.put("gamma", m.gamma());
            named.put("beta", m.beta());
            named.put("mean", m.mean());
            named.put("variance", m.variance());
        }
        return named;
    }
    /**
     * Convolution ({@code weight} [out, in/groups, kh, kw]) or fully connected ({@code weight} [out, in]) with an
     * optional {@code bias} [out] (null when the layer has none).
     */
    record Dense(Tensor weight, Tensor bias) implements LayerParams {}

    /** Batch normalization over channels: y = gamma (x − mean) / sqrt(var + eps) + beta. */
    record Norm(Tensor gamma, Tensor beta, Tensor mean, Tensor variance, float eps) implements LayerParams {}
}
