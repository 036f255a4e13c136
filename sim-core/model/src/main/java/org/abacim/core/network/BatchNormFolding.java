package org.abacim.core.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abacim.core.tensor.Tensor;

/**
 * Folds each batch norm into the convolution before it (when the norm is that convolution's only consumer), as
 * inference hardware stores it: W' = W·s, b' = (b − mean)·s + β with s = γ / √(var + ε). The folded network
 * computes the same function with one layer fewer per norm; the arrays then hold W'.
 */
public final class BatchNormFolding {
    private BatchNormFolding() {}

    public static Network fold(Network net) {
        if (!net.hasParams()) throw new NetworkException("network " + net.name() + " has no weights to fold");
        Map<String, String> rename = new HashMap<>();     // removed norm → the conv that absorbed it
        Map<String, LayerParams> params = new LinkedHashMap<>(net.params());
        Map<String, Conv2d> withBias = new HashMap<>();
        for (Network.Node n : net.nodes()) {
            if (!(n.layer() instanceof BatchNorm bn)) continue;
            String conv = bn.input();
            if (!(net.node(conv).layer() instanceof Conv2d c) || net.consumers(conv).size() != 1) continue;
            LayerParams.Dense d = (LayerParams.Dense) params.get(conv);
            LayerParams.Norm m = (LayerParams.Norm) params.get(bn.name());
            int out = c.outChannels();
            int per = d.weight().size() / out;
            float[] w = d.weight().data().clone();
            float[] b = new float[out];
            for (int o = 0; o < out; o++) {
                double s = m.gamma().data()[o] / Math.sqrt(m.variance().data()[o] + m.eps());
                for (int k = o * per; k < (o + 1) * per; k++) w[k] = (float) (w[k] * s);
                double bias = d.bias() == null ? 0 : d.bias().data()[o];
                b[o] = (float) ((bias - m.mean().data()[o]) * s + m.beta().data()[o]);
            }
            params.put(conv, new LayerParams.Dense(new Tensor(d.weight().shape(), w), new Tensor(new int[] {out}, b)));
            params.remove(bn.name());
            rename.put(bn.name(), conv);
            withBias.put(conv, new Conv2d(c.name(), c.input(), c.inChannels(), c.outChannels(), c.kernelH(), c.kernelW(),
                    c.strideH(), c.strideW(), c.padH(), c.padW(), c.dilation(), c.groups(), true));
        }
        List<Layer> layers = new ArrayList<>();
        for (Network.Node n : net.nodes()) {
            Layer l = n.layer();
            if (rename.containsKey(l.name())) continue;
            layers.add(rewire(withBias.containsKey(l.name()) ? withBias.get(l.name()) : l, rename));
        }
        return Network.of(net.name(), net.description(), net.source(), layers).withParams(params);
    }

    /** The layer with inputs that named a removed norm now naming its convolution. */
    private static Layer rewire(Layer l, Map<String, String> rename) {
        if (l.inputs().stream().noneMatch(rename::containsKey)) return l;
        String in = l.inputs().isEmpty() ? null : rename.getOrDefault(l.inputs().get(0), l.inputs().get(0));
        if (l instanceof Conv2d c) {
            return new Conv2d(c.name(), in, c.inChannels(), c.outChannels(), c.kernelH(), c.kernelW(), c.strideH(),
                    c.strideW(), c.padH(), c.padW(), c.dilation(), c.groups(), c.bias());
        }
        if (l instanceof Linear x) return new Linear(x.name(), in, x.inFeatures(), x.outFeatures(), x.bias());
        if (l instanceof Pool p) return new Pool(p.name(), in, p.kind(), p.kernel(), p.stride(), p.padding(), p.global(), p.ceilMode());
        if (l instanceof Activation a) return new Activation(a.name(), in, a.kind(), a.clip());
        if (l instanceof BatchNorm b) return new BatchNorm(b.name(), in, b.channels());
        if (l instanceof Flatten f) return new Flatten(f.name(), in);
        if (l instanceof Softmax s) return new Softmax(s.name(), in, s.axis());
        if (l instanceof Rearrange r) return new Rearrange(r.name(), in, r.dims(), r.order(), r.shape());
        if (l instanceof Mask m) return new Mask(m.name(), in, m.keep(), m.fill());
        if (l instanceof Embedding e) return new Embedding(e.name(), in, e.vocabulary(), e.dim(), e.table());
        if (l instanceof ActivationProduct p) {
            return new ActivationProduct(p.name(), rename.getOrDefault(p.a(), p.a()), rename.getOrDefault(p.b(), p.b()),
                    p.transposeA(), p.transposeB());
        }
        if (l instanceof DynamicQuantization q) return new DynamicQuantization(q.name(), in);
        if (l instanceof ChannelNorm c) return new ChannelNorm(c.name(), in, c.gamma(), c.beta(), c.eps());
        if (l instanceof Affine a) return new Affine(a.name(), in, a.scale(), a.shift());
        if (l instanceof Quantization q) {
            return new Quantization(q.name(), in, q.dequantize(), q.scales(), q.zeroPoints(), q.lowest(), q.highest());
        }
        if (l instanceof Add a) return new Add(a.name(), a.inputs().stream().map(i -> rename.getOrDefault(i, i)).toList());
        if (l instanceof SelectChannels sc) return new SelectChannels(sc.name(), in, sc.channels());
        if (l instanceof Multiply m) return new Multiply(m.name(), m.inputs().stream().map(i -> rename.getOrDefault(i, i)).toList());
        if (l instanceof RecurrentGates r) {
            return new RecurrentGates(r.name(), rename.getOrDefault(r.projectedInput(), r.projectedInput()),
                    rename.getOrDefault(r.projectedState(), r.projectedState()), rename.getOrDefault(r.state(), r.state()),
                    r.cell(), r.hidden());
        }
        if (l instanceof Concat c) return new Concat(c.name(), c.inputs().stream().map(i -> rename.getOrDefault(i, i)).toList());
        throw new NetworkException("cannot rewire layer " + l.name());
    }
}
