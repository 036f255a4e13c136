package org.abacim.mapping.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.abacim.core.network.Activation;
import org.abacim.core.network.Add;
import org.abacim.core.network.Affine;
import org.abacim.core.network.Concat;
import org.abacim.core.network.Constant;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Multiply;
import org.abacim.core.network.Rearrange;
import org.abacim.core.network.RecurrentGates;
import org.abacim.core.network.SelectChannels;
import org.abacim.core.network.Shape;
import org.abacim.core.tensor.Tensor;

/**
 * ONNX GRU and LSTM, unrolled over their time steps into the IR's layers. The input's product by W is one 1×1
 * convolution over the whole sequence (every step's input at once, weight-stationary); each step's product of the
 * state by R is a Linear whose weight is the same tensor at every step (so the placer puts R on arrays once and
 * the cost model charges each step's multiply to them); the gates are one element-wise layer per step
 * ({@link RecurrentGates}; GRU with {@code linear_before_reset} = 0 keeps separate layers, its reset gate acting
 * before a second product).
 *
 * <p>Supported: forward, reverse and bidirectional; GRU with {@code linear_before_reset} 0 or 1; the default
 * activations (sigmoid and tanh); a constant or data initial state; no sequence lengths (every sequence full),
 * no clip, no LSTM peepholes and no {@code input_forget}.
 */
final class RecurrentOps {
    private final OnnxImporter im;
    private final TensorOps tensors;
    /** layout = 1: X [B, T, I], Y [B, T, D, H], Y_h and Y_c [B, D, H] (the same values in the same order, B being 1). */
    private boolean batchFirst;

    RecurrentOps(OnnxImporter im, TensorOps tensors) {
        this.im = im;
        this.tensors = tensors;
    }

    void convert(OnnxMl.NodeProto n, String layer) {
        boolean lstm = n.getOpType().equals("LSTM");
        int gates = lstm ? 4 : 3;
        TensorOps.Layout x = tensors.layout(n.getInput(0));
        boolean batchFirst = OnnxImporter.intAttr(n, "layout", 0) == 1;
        this.batchFirst = batchFirst;
        if (x.rank() != 3) throw im.unsupported(n, "an input of rank " + x.rank() + " (expected [T, B, I])");
        int timeAxis = batchFirst ? 1 : 0;
        int batchAxis = batchFirst ? 0 : 1;
        if (x.dims()[batchAxis] != 1 || x.batch() >= 0 && x.batch() != batchAxis) {
            throw im.unsupported(n, "an input whose batch is not on axis " + batchAxis);
        }
        int steps = x.dims()[timeAxis];
        int inputs = x.dims()[2];
        Tensor w = im.constant(n, 1, "W");
        Tensor r = im.constant(n, 2, "R");
        int hidden = (int) OnnxImporter.intAttr(n, "hidden_size", r.rank() == 3 ? r.dim(2) : -1);
        String direction = OnnxImporter.stringAttr(n, "direction", "forward");
        int directions = direction.equals("bidirectional") ? 2 : 1;
        if (!direction.equals("forward") && !direction.equals("reverse") && directions == 1) {
            throw im.unsupported(n, "direction " + direction);
        }
        if (w.rank() != 3 || w.dim(0) != directions || w.dim(1) != gates * hidden || w.dim(2) != inputs
                || r.rank() != 3 || r.dim(0) != directions || r.dim(1) != gates * hidden || r.dim(2) != hidden) {
            throw im.unsupported(n, "weights W " + w.shapeText() + " and R " + r.shapeText() + " for " + directions
                    + " direction(s), " + inputs + " inputs and " + hidden + " hidden units");
        }
        Tensor bias = optional(n, 3);
        if (bias != null && (bias.rank() != 2 || bias.dim(0) != directions || bias.dim(1) != 2 * gates * hidden)) {
            throw im.unsupported(n, "a bias of shape " + bias.shapeText());
        }
        Tensor lengths = optional(n, 4);
        if (lengths != null) {
            for (float v : lengths.data()) if (v != steps) throw im.unsupported(n, "sequence lengths shorter than the input (padding)");
        } else if (n.getInputCount() > 4 && !n.getInput(4).isEmpty()) {
            throw im.unsupported(n, "sequence lengths computed from data");
        }
        if (OnnxImporter.floatAttr(n, "clip", 0f) != 0f) throw im.unsupported(n, "a cell clip");
        if (OnnxImporter.intAttr(n, "input_forget", 0) != 0) throw im.unsupported(n, "input_forget");
        if (!defaultActivations(n, lstm)) {
            throw im.unsupported(n, "activations other than sigmoid and tanh");
        }
        if (lstm && optional(n, 7) != null) {
            for (float v : optional(n, 7).data()) if (v != 0) throw im.unsupported(n, "peephole weights");
        }
        boolean beforeReset = !lstm && OnnxImporter.intAttr(n, "linear_before_reset", 0) != 0;
        boolean fused = lstm || beforeReset;

        // The input's products for every step at once: x stored with its features first, one 1×1 convolution.
        int[] want = TensorOps.first(x, 2);
        String seq = tensors.arrange(n, n.getInput(0), want, tensors.shape(inputs, 1, steps));
        // Step t's column of the projection, in time order, as its own vector.
        List<List<String>> hs = new ArrayList<>();
        List<String> lastH = new ArrayList<>(), lastC = new ArrayList<>();
        for (int d = 0; d < directions; d++) {
            String tag = layer + (directions == 2 ? (d == 0 ? "_fwd" : "_bwd") : "");
            float[] wd = slice(w, d), rd = slice(r, d);
            float[] wb = new float[gates * hidden], rb = new float[gates * hidden];
            if (bias != null) {
                System.arraycopy(bias.data(), d * 2 * gates * hidden, wb, 0, gates * hidden);
                System.arraycopy(bias.data(), d * 2 * gates * hidden + gates * hidden, rb, 0, gates * hidden);
            }
            String projected = im.unique(tag + "_input");
            im.add(new Conv2d(projected, seq, inputs, gates * hidden, 1, 1, 1, 1, 0, 0, 1, 1, true));
            im.params.put(projected, new LayerParams.Dense(new Tensor(new int[] {gates * hidden, inputs, 1, 1}, wd),
                    new Tensor(new int[] {gates * hidden}, wb)));
            im.origin(n, 1, projected, "weight", false, "is one direction's slice of the ONNX op's W");
            // Time-major: one row of gates × hidden values per step.
            String byTime = im.unique(tag + "_by_step");
            im.add(new Rearrange(byTime, projected, new int[] {gates * hidden, steps}, new int[] {1, 0},
                    new Shape(steps, 1, gates * hidden)));
            boolean reverse = direction.equals("reverse") || d == 1;
            // R's product with the state, split so that GRU's reset gate can act before it (linear_before_reset 0).
            int early = beforeReset || lstm ? gates * hidden : 2 * hidden;
            Tensor rAll = new Tensor(new int[] {early, hidden}, Arrays.copyOf(rd, early * hidden));
            Tensor rbAll = new Tensor(new int[] {early}, Arrays.copyOf(rb, early));
            Tensor rN = null, rbN = null;
            if (early < gates * hidden) {
                rN = new Tensor(new int[] {hidden, hidden}, Arrays.copyOfRange(rd, 2 * hidden * hidden, 3 * hidden * hidden));
                rbN = new Tensor(new int[] {hidden}, Arrays.copyOfRange(rb, 2 * hidden, 3 * hidden));
            }
            String h = initial(n, 5, d, hidden, tag + "_h0");
            String c = lstm ? initial(n, 6, d, hidden, tag + "_c0") : null;
            // GRU with linear_before_reset (PyTorch's) and LSTM: a step's gates are one layer. The LSTM's state is
            // h then c in one vector (the gates read and write both); the next step's product reads its h.
            String state = lstm ? concat(tag + "_state0", h, c) : h;
            String[] out = new String[steps];
            for (int k = 0; k < steps; k++) {
                int t = reverse ? steps - 1 - k : k;
                String s = tag + "_t" + t;
                String row = im.unique(s + "_x");
                im.add(new SelectChannels(row, byTime, new int[] {t}));
                // The fused gates read the step's row as it is; the unrolled ones add it to a vector of the same shape.
                String xt = fused ? row : regroup(row, Shape.vector(gates * hidden));
                String hr = im.unique(s + "_r");
                im.add(new Linear(hr, h, hidden, early, true));
                im.params.put(hr, new LayerParams.Dense(rAll, rbAll));
                if (fused) {
                    String next = im.unique(s + "_gates");
                    im.add(new RecurrentGates(next, xt, hr, state, lstm ? RecurrentGates.Cell.LSTM : RecurrentGates.Cell.GRU,
                            hidden));
                    tensors.vectors.add(next);
                    state = next;
                    h = lstm ? pick(s + "_h", next, 0, hidden) : next;
                } else {
                    // linear_before_reset = 0: the reset gate acts before R's product for n, a second Linear.
                    String zr = act(s + "_zr", add(s + "_zr_in", pick(s + "_xzr", xt, 0, 2 * hidden), hr),
                            Activation.Kind.SIGMOID);
                    String z = pick(s + "_z", zr, 0, hidden);
                    String reset = pick(s + "_reset", zr, hidden, hidden);
                    String hn = im.unique(s + "_rn");
                    im.add(new Linear(hn, mul(s + "_rh", reset, h), hidden, hidden, true));
                    im.params.put(hn, new LayerParams.Dense(rN, rbN));
                    String nGate = act(s + "_n", add(s + "_n_in", pick(s + "_xn", xt, 2 * hidden, hidden), hn), Activation.Kind.TANH);
                    // h' = (1 − z)·n + z·h = n + z·(h − n)
                    String negated = im.unique(s + "_minus_n");
                    im.add(new Affine(negated, nGate, new float[] {-1}, new float[] {0}));
                    h = add(s + "_h", nGate, mul(s + "_zd", z, add(s + "_d", h, negated)));
                }
                tensors.vectors.add(h);
                out[t] = h;
            }
            // The last cell state picked only where Y_c is read: no layer that nothing reads.
            if (lstm && read(n, 2)) c = pick(tag + "_c", state, hidden, hidden);
            hs.add(List.of(out));
            lastH.add(h);
            if (lstm) lastC.add(c);
        }
        // Y [T, D, 1, H]: the states in time order, directions side by side (only when something reads it).
        if (read(n, 0)) {
            List<String> parts = new ArrayList<>();
            for (int t = 0; t < steps; t++) for (int d = 0; d < directions; d++) parts.add(hs.get(d).get(t));
            output(n, 0, layer + "_Y", parts, batchFirst ? new int[] {1, steps, directions, hidden}
                    : new int[] {steps, directions, 1, hidden});
        }
        int[] last = batchFirst ? new int[] {1, directions, hidden} : new int[] {directions, 1, hidden};
        if (read(n, 1)) output(n, 1, layer + "_Y_h", lastH, last);
        if (lstm && read(n, 2)) output(n, 2, layer + "_Y_c", lastC, last);
    }

    private boolean read(OnnxMl.NodeProto n, int i) {
        return n.getOutputCount() > i && !n.getOutput(i).isEmpty() && !im.readerOps.getOrDefault(n.getOutput(i), List.of()).isEmpty();
    }

    private void output(OnnxMl.NodeProto n, int i, String name, List<String> parts, int[] dims) {
        String joined = parts.get(0);
        if (parts.size() > 1) {
            joined = im.unique(name);
            im.add(new Concat(joined, parts));
        }
        tensors.place(n, i, joined, TensorOps.Layout.rowMajor(dims, batchFirst ? 0 : dims.length - 2));
    }

    private boolean defaultActivations(OnnxMl.NodeProto n, boolean lstm) {
        OnnxMl.AttributeProto a = null;
        for (OnnxMl.AttributeProto at : n.getAttributeList()) if (at.getName().equals("activations")) a = at;
        if (a == null) return true;
        if (a.getStringsCount() == 0) return false;
        List<String> expected = lstm ? List.of("Sigmoid", "Tanh", "Tanh") : List.of("Sigmoid", "Tanh");
        for (int k = 0; k < a.getStringsCount(); k++) {
            if (!a.getStrings(k).toStringUtf8().equalsIgnoreCase(expected.get(k % expected.size()))) return false;
        }
        return true;
    }

    private Tensor optional(OnnxMl.NodeProto n, int i) {
        if (n.getInputCount() <= i || n.getInput(i).isEmpty()) return null;
        return im.constants.get(n.getInput(i));
    }

    /** The initial state of direction {@code d}: zeros, a constant, or data [D, 1, H]. */
    private String initial(OnnxMl.NodeProto n, int i, int d, int hidden, String name) {
        if (n.getInputCount() <= i || n.getInput(i).isEmpty()) return constant(name, new float[hidden]);
        Tensor c = im.constants.get(n.getInput(i));
        if (c != null) {
            if (c.size() < (long) (d + 1) * hidden) {
                throw im.unsupported(n, "an initial state of shape " + c.shapeText());
            }
            return constant(name, Arrays.copyOfRange(c.data(), d * hidden, (d + 1) * hidden));
        }
        TensorOps.Layout l = tensors.layout(n.getInput(i));
        String stored = tensors.arrange(n, n.getInput(i), TensorOps.identity(l.rank()), tensors.shape(l.elements(), 1, 1));
        return pick(name, stored, d * hidden, hidden);
    }

    private String constant(String name, float[] values) {
        String c = im.unique(name);
        im.add(new Constant(c, Shape.vector(values.length), values));
        tensors.vectors.add(c);
        return c;
    }

    private static float[] slice(Tensor t, int d) {
        int per = t.size() / t.dim(0);
        return Arrays.copyOfRange(t.data(), d * per, (d + 1) * per);
    }

    private String regroup(String from, Shape to) {
        String name = im.unique(from + "_v");
        im.add(Rearrange.regroup(name, from, im.shapeOf(from), to));
        tensors.vectors.add(name);
        return name;
    }

    private String pick(String name, String from, int start, int count) {
        if (start == 0 && count == im.shapeOf(from).channels()) return from;
        int[] picked = new int[count];
        for (int k = 0; k < count; k++) picked[k] = start + k;
        String s = im.unique(name);
        im.add(new SelectChannels(s, from, picked));
        tensors.vectors.add(s);
        return s;
    }

    private String add(String name, String a, String b) {
        String s = im.unique(name);
        im.add(new Add(s, List.of(a, b)));
        tensors.vectors.add(s);
        return s;
    }

    private String concat(String name, String a, String b) {
        String s = im.unique(name);
        im.add(new Concat(s, List.of(a, b)));
        tensors.vectors.add(s);
        return s;
    }

    private String mul(String name, String a, String b) {
        String s = im.unique(name);
        im.add(new Multiply(s, List.of(a, b)));
        tensors.vectors.add(s);
        return s;
    }

    private String act(String name, String in, Activation.Kind kind) {
        String s = im.unique(name);
        im.add(new Activation(s, in, kind, 0));
        tensors.vectors.add(s);
        return s;
    }
}
