package org.abacim.mapping.compress;

import java.util.List;
import org.abacim.core.network.Activation;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.Flatten;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Network;
import org.abacim.core.network.Pool;

/**
 * Network purification and unused path removal (ASP-DAC 2020), on a network's parameters in place:
 * <ol>
 * <li>purification: a filter (output channel) or an input channel whose surviving weights carry less than
 * {@code threshold} of its layer's mean per-channel energy is set to zero;</li>
 * <li>unused paths, between a weighted layer and the next one it feeds through ReLUs, pooling and flattening only:
 * an all-zero filter outputs the constant ReLU(bias), which is folded into the next layer's bias (exact for fully
 * connected layers and away from a convolution's zero padding) and its input rows are removed; an input channel the
 * next layer no longer reads makes the filter that produces it unused, so it is removed with its bias.</li>
 * </ol>
 * Repeated until nothing changes. Returns the number of filters removed.
 */
public final class Purification {
    private Purification() {}

    public static int apply(Network net, double threshold) {
        int removed = 0;
        for (Network.Node node : net.nodes()) {
            if (!(net.params(node.name()) instanceof LayerParams.Dense d) || Admm.shape(node) == null) continue;
            int[] s = Admm.shape(node);
            removed += purifyFilters(d.weight().data(), s[0], s[1], threshold);
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Network.Node node : net.nodes()) {
                if (Admm.shape(node) == null) continue;
                Network.Node next = nextWeighted(net, node);
                if (next == null) continue;
                int changes = unusedPaths(net, node, next);
                removed += changes;
                changed |= changes > 0;
            }
        }
        return removed;
    }

    /** Zeroes filters whose energy is below {@code threshold} × the layer's mean filter energy. */
    private static int purifyFilters(float[] w, int k, int out, double threshold) {
        double[] energy = new double[out];
        double total = 0;
        for (int o = 0; o < out; o++) {
            for (int r = 0; r < k; r++) energy[o] += (double) w[o * k + r] * w[o * k + r];
            total += energy[o];
        }
        int removed = 0;
        for (int o = 0; o < out; o++) {
            if (energy[o] > 0 && energy[o] < threshold * total / out) {
                for (int r = 0; r < k; r++) w[o * k + r] = 0;
                removed++;
            }
        }
        return removed;
    }

    /** The weighted layer fed by {@code node} through ReLU, pooling and flattening alone (single consumers), or null. */
    static Network.Node nextWeighted(Network net, Network.Node node) {
        Network.Node at = node;
        while (true) {
            List<String> consumers = net.consumers(at.name());
            if (consumers.size() != 1) return null;
            Network.Node c = net.node(consumers.get(0));
            if (Admm.shape(c) != null) {
                return c.layer() instanceof Conv2d conv && conv.groups() != 1 ? null : c;
            }
            boolean passThrough = c.layer() instanceof Pool p && p.kind() == Pool.Kind.MAX
                    || c.layer() instanceof Flatten
                    || c.layer() instanceof Activation a && a.kind() == Activation.Kind.RELU;
            if (!passThrough) return null;
            at = c;
        }
    }

    private static boolean crossesRelu(Network net, Network.Node node, Network.Node next) {
        Network.Node at = net.node(net.consumers(node.name()).get(0));
        while (at != next) {
            if (at.layer() instanceof Activation a && a.kind() == Activation.Kind.RELU) return true;
            at = net.node(net.consumers(at.name()).get(0));
        }
        return false;
    }

    private static int unusedPaths(Network net, Network.Node node, Network.Node next) {
        LayerParams.Dense a = (LayerParams.Dense) net.params(node.name());
        LayerParams.Dense b = (LayerParams.Dense) net.params(next.name());
        int[] sa = Admm.shape(node);
        int[] sb = Admm.shape(next);
        int channels = sa[1];
        if (sb[0] % channels != 0) return 0;
        int rowsPerChannel = sb[0] / channels; // kernel area for a conv, H·W after flattening for a linear layer
        float[] wa = a.weight().data();
        float[] wb = b.weight().data();
        float[] biasA = a.bias() == null ? null : a.bias().data();
        int changes = 0;
        for (int ch = 0; ch < channels; ch++) {
            boolean filterEmpty = true;
            for (int r = 0; r < sa[0] && filterEmpty; r++) filterEmpty = wa[ch * sa[0] + r] == 0;
            boolean rowsEmpty = true;
            for (int o = 0; o < sb[1] && rowsEmpty; o++) {
                for (int r = ch * rowsPerChannel; r < (ch + 1) * rowsPerChannel && rowsEmpty; r++) {
                    rowsEmpty = wb[o * sb[0] + r] == 0;
                }
            }
            if (filterEmpty && !rowsEmpty) {
                // The channel is the constant ReLU(bias): fold it into the next layer's bias, then drop its rows.
                float constant = biasA == null ? 0 : crossesRelu(net, node, next) ? Math.max(0, biasA[ch]) : biasA[ch];
                if (constant != 0 && b.bias() == null) continue;
                for (int o = 0; o < sb[1]; o++) {
                    double sum = 0;
                    for (int r = ch * rowsPerChannel; r < (ch + 1) * rowsPerChannel; r++) {
                        sum += wb[o * sb[0] + r];
                        wb[o * sb[0] + r] = 0;
                    }
                    if (constant != 0) b.bias().data()[o] += (float) (sum * constant);
                }
                if (biasA != null) biasA[ch] = 0;
                changes++;
            } else if (rowsEmpty && !filterEmpty) {
                for (int r = 0; r < sa[0]; r++) wa[ch * sa[0] + r] = 0;
                if (biasA != null) biasA[ch] = 0;
                changes++;
            }
        }
        return changes;
    }
}
