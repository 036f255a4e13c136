package org.abacim.mapping.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abacim.core.network.ActivationProduct;
import org.abacim.core.network.Add;
import org.abacim.core.network.Affine;
import org.abacim.core.network.ChannelNorm;
import org.abacim.core.network.Concat;
import org.abacim.core.network.Constant;
import org.abacim.core.network.Conv2d;
import org.abacim.core.network.Embedding;
import org.abacim.core.network.Layer;
import org.abacim.core.network.LayerParams;
import org.abacim.core.network.Linear;
import org.abacim.core.network.Mask;
import org.abacim.core.network.Multiply;
import org.abacim.core.network.NetworkException;
import org.abacim.core.network.Pool;
import org.abacim.core.network.Rearrange;
import org.abacim.core.network.SelectChannels;
import org.abacim.core.network.Shape;
import org.abacim.core.network.Softmax;
import org.abacim.core.tensor.Tensor;

/**
 * ONNX values of any rank and axis order — a transformer's tokens, heads and scores — and the operators on them:
 * transposes and reshapes of any shape, products of two activations, softmax and layer norm over an axis, element-wise
 * operations with broadcast constants, concatenation, gathering, slicing and means along any axis.
 *
 * <p>Every data value is the values of one sample (the batch counts as an axis of 1, so an exporter that merges the
 * batch with the heads, as {@code nn.MultiheadAttention} does, needs nothing special) stored row-major in some order
 * of its ONNX axes: its {@link Layout}. A transpose only changes the layout; a reshape too when the axes it merges lie
 * together in storage. An operator that needs an axis in a given place (a product's inner axis first, a softmax's
 * axis last) gets the value rearranged ({@link Rearrange}) only when it is not there already.
 */
final class TensorOps {
    /**
     * A value's ONNX dimensions (batch included, as 1) and the order its axes are stored in, outermost first:
     * storage is row-major over {@code dims[order[0]]}, {@code dims[order[1]]}, …. {@code batch} is the axis that
     * carries the batch (axis 0 as the model takes its input; a transpose moves it), or −1 once a reshape merged it
     * with another axis (as nn.MultiheadAttention merges it with the heads): no operator may work along it.
     */
    record Layout(int[] dims, int[] order, int batch) {
        Layout {
            dims = dims.clone();
            order = order.clone();
        }

        @Override public int[] dims() { return dims.clone(); }

        @Override public int[] order() { return order.clone(); }

        static Layout rowMajor(int[] dims, int batch) {
            int[] order = new int[dims.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            return new Layout(dims, order, batch);
        }

        /** The same values seen with other dimensions, order and batch axis. */
        Layout with(int[] newDims, int[] newOrder) {
            return new Layout(newDims, newOrder, batch);
        }

        int rank() { return dims.length; }

        /** The storage order without axes of one value (they take no place). */
        int[] significant() {
            return Arrays.stream(order).filter(a -> dims[a] != 1).toArray();
        }

        long elements() {
            long n = 1;
            for (int d : dims) n *= d;
            return n;
        }
    }

    /** Operators that keep their input's layout (element-wise on one value). */
    static final Set<String> LAYOUT_KEEPING = Set.of("Relu", "Sigmoid", "Tanh", "Erf", "Gelu", "Clip", "Identity",
            "Dropout", "Cast", "HardSigmoid", "HardSwish");

    private final OnnxImporter im;
    /** Values whose layout is not the CNN's (N×F vectors, N×C×H×W maps, N×C×L sequences, each row-major). */
    private final Map<String, Layout> layouts = new HashMap<>();
    /** IR layers this class made that are N×F vectors (the importer's CNN operators read them as such). */
    final Set<String> vectors = new HashSet<>();

    TensorOps(OnnxImporter im) {
        this.im = im;
    }

    boolean hasLayout(String value) {
        return layouts.containsKey(value);
    }

    /** The ONNX dimensions of a value this class placed, or null. */
    int[] dims(String value) {
        Layout l = layouts.get(value);
        return l == null ? null : l.dims().clone();
    }

    /** Carries an element-wise node's input layout to its outputs. */
    void keep(OnnxMl.NodeProto n) {
        if (!LAYOUT_KEEPING.contains(n.getOpType()) || n.getInputCount() == 0) return;
        Layout l = layouts.get(n.getInput(0));
        if (l != null) for (String out : n.getOutputList()) layouts.put(out, l);
    }

    /** Whether this class converts the node, rather than the importer's operators on CNN maps and vectors. */
    boolean claims(OnnxMl.NodeProto n) {
        String op = n.getOpType();
        if (n.getInputList().stream().anyMatch(im.normPieces::containsKey)) return false;
        boolean placed = n.getInputList().stream().anyMatch(layouts::containsKey);
        boolean last = n.getInputList().stream().anyMatch(im.channelsLast::contains);
        if (LAYOUT_KEEPING.contains(op)) return false;
        if (placed) return true;
        if (last) return !OnnxImporter.CHANNELS_LAST_OPS.contains(op) || op.equals("MatMul") && isData(n, 1)
                || op.equals("Transpose") && !Arrays.equals(OnnxImporter.ints(n, "perm"), new int[] {0, 3, 1, 2})
                || op.equals("ReduceMean") && !normMean(n);
        if (n.getInputCount() == 0 || !isData(n, 0)) return (op.equals("MatMul") || op.equals("Gather")) && isData(n, 1)
                || op.equals("Where") && n.getInputList().stream().anyMatch(this::isDataValue);
        int rank = im.staticShape(n.getInput(0)).length;
        return switch (op) {
            case "MatMul" -> isData(n, 1) || rank != 2;
            case "Transpose" -> !im.cnnTranspose(n);
            case "Reshape" -> !im.cnnReshape(n);
            case "Softmax" -> rank != 2 || !(axis(n, -1, rank) == 1);
            case "LayerNormalization" -> rank != 2;
            case "Concat", "Split" -> rank != 4 || axis(n, rank == 4 ? 1 : 0, rank) != 1 || constantInput(n);
            case "Slice" -> rank != 4 || !im.sliceOfChannels(n);
            case "Gather", "Squeeze", "Unsqueeze", "Where", "Expand", "GRU", "LSTM" -> true;
            case "ReduceMean" -> rank != 4 || !im.reduceOverMap(n);
            case "Add", "Sub", "Mul", "Div" -> rank == 3 || rank > 4;
            default -> false;
        };
    }

    private boolean constantInput(OnnxMl.NodeProto n) {
        return n.getOpType().equals("Concat") && n.getInputList().stream().anyMatch(im.constants::containsKey);
    }

    boolean isData(OnnxMl.NodeProto n, int i) {
        return n.getInputCount() > i && isDataValue(n.getInput(i));
    }

    private boolean isDataValue(String v) {
        return !v.isEmpty() && !im.constants.containsKey(v) && im.producer.containsKey(v);
    }

    private static int axis(OnnxMl.NodeProto n, long dflt, int rank) {
        long a = OnnxImporter.intAttr(n, "axis", dflt);
        return (int) (a < 0 ? a + rank : a);
    }

    /** Refuses an operator that works along the batch axis (each sample runs alone). */
    private void alongBatch(OnnxMl.NodeProto n, Layout l, int axis) {
        if (axis == l.batch()) throw im.unsupported(n, "an operation along the batch axis (axis " + axis + ")");
    }

    /** A value's layout: as placed here, channels-last, or the CNN's row-major one. */
    Layout layout(String value) {
        Layout l = layouts.get(value);
        if (l != null) return l;
        int[] d = im.staticShape(value);
        if (im.channelsLast.contains(value)) {
            // The map's layer holds C×H×W; ONNX sees N×H×W×C.
            return new Layout(new int[] {1, d[2], d[3], d[1]}, new int[] {0, 3, 1, 2}, 0);
        }
        return Layout.rowMajor(d, 0);
    }

    // ---- conversion -----------------------------------------------------------------------------------------

    void convert(OnnxMl.NodeProto n, String layer) {
        switch (n.getOpType()) {
            case "Transpose" -> transpose(n);
            case "Reshape" -> reshape(n, im.constant(n, 1, "shape").data(), OnnxImporter.intAttr(n, "allowzero", 0) != 0);
            case "Flatten" -> {
                Layout l = layout(n.getInput(0));
                int at = axis(n, 1, l.rank());
                long outer = 1;
                for (int i = 0; i < at; i++) outer *= l.dims()[i];
                reshape(n, new float[] {outer, l.elements() / Math.max(1, outer)}, false);
            }
            case "Squeeze", "Unsqueeze" -> squeeze(n);
            case "MatMul" -> {
                if (im.constants.containsKey(n.getInput(1)) && !im.constants.containsKey(n.getInput(0))) {
                    Tensor b = im.constant(n, 1, "weight");
                    if (b.rank() != 2) throw im.unsupported(n, "MatMul with a weight of rank " + b.rank());
                    linear(n, layer, im.derived(n, 1, "transposed", () -> OnnxImporter.transpose(b)), null, "weight", true, null);
                } else {
                    product(n, layer);
                }
            }
            case "Gemm" -> gemm(n, layer);
            case "Softmax" -> softmax(n, layer);
            case "LayerNormalization" -> layerNorm(n, layer);
            case "Add", "Sub", "Mul", "Div" -> elementWise(n, layer);
            case "Where" -> where(n, layer);
            case "Expand" -> expand(n);
            case "Concat" -> concat(n, layer);
            case "Gather" -> gather(n, layer);
            case "Slice" -> slice(n, layer);
            case "Split" -> split(n, layer);
            case "ReduceMean" -> {
                if (normMean(n)) im.normPiece(n);
                else mean(n, layer);
            }
            case "GRU", "LSTM" -> new RecurrentOps(im, this).convert(n, layer);
            default -> {
                // A CNN operator on a placed value: given the value as the CNN's row-major map or vector.
                for (int i = 0; i < n.getInputCount(); i++) if (layouts.containsKey(n.getInput(i))) toCnn(n, n.getInput(i));
                im.convertCnn(n, layer);
            }
        }
    }

    /** A mean over the last axis kept as an axis of one, read by a Sub: the first step of a written-out layer norm. */
    private boolean normMean(OnnxMl.NodeProto n) {
        Layout l = layout(n.getInput(0));
        int[] axes = n.getInputCount() > 1 && !n.getInput(1).isEmpty()
                ? ShapeArithmetic.ints(im.constant(n, 1, "axes")) : OnnxImporter.ints(n, "axes");
        return axes.length == 1 && (axes[0] == -1 || axes[0] == l.rank() - 1) && OnnxImporter.intAttr(n, "keepdims", 1) == 1
                && im.readerOps.getOrDefault(n.getOutput(0), List.of()).contains("Sub");
    }

    /** Gives a CNN operator a placed value as the CNN's layout: a row-major N×F vector or N×C×H×W map. */
    void toCnn(OnnxMl.NodeProto n, String value) {
        Layout l = layout(value);
        if (l.batch() > 0) throw im.unsupported(n, "an input with the batch on axis " + l.batch());
        int[] d = l.dims();
        Shape shape;
        if (d.length == 2 && d[0] == 1) shape = Shape.vector(d[1]);
        else if (d.length == 3 && d[0] == 1) shape = new Shape(d[1], 1, d[2]);
        else if (d.length == 4 && d[0] == 1) shape = new Shape(d[1], d[2], d[3]);
        else throw im.unsupported(n, "an input of shape " + Arrays.toString(d) + " (as a map N×C×H×W, a sequence N×C×L or a vector N×F)");
        String layer = arrange(n, value, identity(d.length), shape);
        if (d.length == 2) vectors.add(layer);
        im.producer.put(value, layer);
        layouts.remove(value);
    }

    private void transpose(OnnxMl.NodeProto n) {
        Layout l = layout(n.getInput(0));
        int[] perm = OnnxImporter.ints(n, "perm");
        int rank = l.rank();
        if (perm.length == 0) {
            perm = new int[rank];
            for (int i = 0; i < rank; i++) perm[i] = rank - 1 - i;
        }
        if (perm.length != rank) throw im.unsupported(n, "a perm of " + perm.length + " axes for a value of " + rank);
        int[] where = new int[rank];
        Arrays.fill(where, -1);
        for (int i = 0; i < rank; i++) {
            if (perm[i] < 0 || perm[i] >= rank || where[perm[i]] >= 0) throw im.unsupported(n, "perm " + Arrays.toString(perm));
            where[perm[i]] = i;
        }
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) dims[i] = l.dims()[perm[i]];
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++) order[i] = where[l.order()[i]];
        place(n, 0, im.data(n, 0), new Layout(dims, order, l.batch() < 0 ? -1 : where[l.batch()]));
    }

    private void reshape(OnnxMl.NodeProto n, float[] target, boolean allowZero) {
        Layout l = layout(n.getInput(0));
        int[] dims = new int[target.length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            long t = (long) target[i];
            if (t == 0 && !allowZero) {
                if (i >= l.rank()) throw im.unsupported(n, "a reshape copying axis " + i + " of a value of " + l.rank());
                t = l.dims()[i];
            }
            if (t == -1 && inferred < 0) {
                inferred = i;
                continue;
            }
            if (t <= 0 || t > Integer.MAX_VALUE) throw im.unsupported(n, "a reshape to " + OnnxImporter.integers(target));
            dims[i] = (int) t;
            known *= t;
        }
        if (inferred >= 0) {
            if (known == 0 || l.elements() % known != 0) throw im.unsupported(n, "a reshape of " + l.elements() + " values to " + OnnxImporter.integers(target));
            dims[inferred] = (int) (l.elements() / known);
        } else if (known != l.elements()) {
            throw im.unsupported(n, "a reshape of " + l.elements() + " values to " + OnnxImporter.integers(target));
        }
        String layer = im.data(n, 0);
        int[] order = reshapedOrder(l, dims);
        if (order == null) {
            // The axes it merges or splits are not together in storage: store the value row-major first.
            layer = arrange(n, n.getInput(0), identity(l.rank()), natural(l.dims()));
            order = identity(dims.length);
        }
        place(n, 0, layer, new Layout(dims, order, batchAfterReshape(l, dims)));
    }

    /**
     * Where the batch lands in a reshape: the axis of one value with as many values before it as before the batch,
     * or −1 (merged with another axis) when there is none.
     */
    private static int batchAfterReshape(Layout l, int[] to) {
        if (l.batch() < 0) return -1;
        long before = 1;
        for (int k = 0; k < l.batch(); k++) before *= l.dims()[k];
        long prefix = 1;
        for (int j = 0; j < to.length; j++) {
            if (prefix == before && to[j] == 1) return j;
            prefix *= to[j];
            if (prefix > before) break;
        }
        return -1;
    }

    /**
     * The storage order of a reshape to {@code to} that moves no value: each run of axes it merges or splits must lie
     * together, in order, in storage. Null when they do not.
     */
    private static int[] reshapedOrder(Layout l, int[] to) {
        int[] from = l.dims();
        // Axes of more than one value on each side, grouped into runs whose sizes match.
        int[] a = Arrays.stream(identity(from.length)).filter(i -> from[i] != 1).toArray();
        int[] b = Arrays.stream(identity(to.length)).filter(i -> to[i] != 1).toArray();
        List<int[][]> groups = new ArrayList<>();
        int i = 0, j = 0;
        while (i < a.length && j < b.length) {
            List<Integer> ga = new ArrayList<>(List.of(a[i]));
            List<Integer> gb = new ArrayList<>(List.of(b[j]));
            long pa = from[a[i++]], pb = to[b[j++]];
            while (pa != pb) {
                if (pa < pb) {
                    if (i >= a.length) return null;
                    ga.add(a[i]);
                    pa *= from[a[i++]];
                } else {
                    if (j >= b.length) return null;
                    gb.add(b[j]);
                    pb *= to[b[j++]];
                }
            }
            groups.add(new int[][] {ga.stream().mapToInt(Integer::intValue).toArray(), gb.stream().mapToInt(Integer::intValue).toArray()});
        }
        if (i != a.length || j != b.length) return null;
        int[] stored = l.significant();
        List<Integer> order = new ArrayList<>();
        // Axes of one value first (anywhere would do), then each group's new axes where its old ones are stored.
        for (int k = 0; k < to.length; k++) if (to[k] == 1) order.add(k);
        int at = 0;
        while (at < stored.length) {
            int[][] g = null;
            for (int[][] candidate : groups) if (candidate[0][0] == stored[at]) g = candidate;
            if (g == null || at + g[0].length > stored.length) return null;
            for (int k = 0; k < g[0].length; k++) if (stored[at + k] != g[0][k]) return null;
            for (int axis : g[1]) order.add(axis);
            at += g[0].length;
        }
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    private void squeeze(OnnxMl.NodeProto n) {
        Layout l = layout(n.getInput(0));
        int[] axes = n.getInputCount() > 1 && !n.getInput(1).isEmpty()
                ? ShapeArithmetic.ints(im.constant(n, 1, "axes")) : OnnxImporter.ints(n, "axes");
        boolean unsqueeze = n.getOpType().equals("Unsqueeze");
        int rank = unsqueeze ? l.rank() + axes.length : l.rank();
        boolean[] marked = new boolean[rank];
        for (int a : axes) {
            int at = a < 0 ? a + rank : a;
            if (at < 0 || at >= rank || marked[at]) throw im.unsupported(n, "axes " + Arrays.toString(axes) + " for a result of rank " + rank);
            marked[at] = true;
        }
        if (!unsqueeze && axes.length == 0) for (int k = 0; k < rank; k++) marked[k] = l.dims()[k] == 1;
        List<Integer> dims = new ArrayList<>();
        int[] newIndex = new int[Math.max(l.rank(), rank)];
        if (unsqueeze) {
            for (int k = 0, old = 0; k < rank; k++) {
                if (marked[k]) {
                    dims.add(1);
                } else {
                    newIndex[old] = k;
                    dims.add(l.dims()[old++]);
                }
            }
        } else {
            for (int k = 0; k < rank; k++) {
                if (marked[k]) {
                    if (l.dims()[k] != 1) throw im.unsupported(n, "squeezing axis " + k + " of " + l.dims()[k] + " values");
                    if (k == l.batch()) throw im.unsupported(n, "a squeeze of the batch axis");
                    newIndex[k] = -1;
                } else {
                    newIndex[k] = dims.size();
                    dims.add(l.dims()[k]);
                }
            }
        }
        int[] d = dims.stream().mapToInt(Integer::intValue).toArray();
        List<Integer> order = new ArrayList<>();
        if (unsqueeze) for (int k = 0; k < rank; k++) if (marked[k]) order.add(k);
        for (int a : l.order()) if (newIndex[a] >= 0) order.add(newIndex[a]);
        int batch = l.batch() < 0 ? -1 : newIndex[l.batch()];
        place(n, 0, im.data(n, 0), new Layout(d, order.stream().mapToInt(Integer::intValue).toArray(), batch));
    }

    /**
     * A product by a weight matrix {@code w} [out, in] along the value's last axis, on every other position: the
     * value stored with that axis first, then a 1×1 convolution (a Linear when there is one position).
     */
    private void linear(OnnxMl.NodeProto n, String layer, Tensor w, Tensor bias, String what, boolean transposedOrigin,
                        String problem) {
        Layout l = layout(n.getInput(0));
        int last = l.rank() - 1;
        alongBatch(n, l, last);
        int in = l.dims()[last];
        if (w.dim(1) != in) throw im.unsupported(n, "a weight of shape " + w.shapeText() + " for " + in + " inputs");
        int out = w.dim(0);
        int[] want = first(l, last);
        long positions = l.elements() / in;
        String x = arrange(n, n.getInput(0), want, shape(in, 1, positions));
        Layer product;
        if (positions == 1) {
            product = new Linear(layer, x, in, out, bias != null);
            im.params.put(layer, new LayerParams.Dense(w, bias));
        } else {
            product = new Conv2d(layer, x, in, out, 1, 1, 1, 1, 0, 0, 1, 1, bias != null);
            im.params.put(layer, new LayerParams.Dense(new Tensor(new int[] {out, in, 1, 1}, w.data()), bias));
        }
        im.add(product);
        if (positions == 1) vectors.add(layer);
        im.origin(n, 1, layer, what, transposedOrigin, problem);
        int[] dims = l.dims();
        dims[last] = out;
        place(n, 0, layer, l.with(dims, want));
    }

    private void gemm(OnnxMl.NodeProto n, String layer) {
        if (OnnxImporter.intAttr(n, "transA", 0) != 0) throw im.unsupported(n, "transA");
        Tensor b = im.constant(n, 1, "weight");
        float alpha = OnnxImporter.floatAttr(n, "alpha", 1f), beta = OnnxImporter.floatAttr(n, "beta", 1f);
        boolean transB = OnnxImporter.intAttr(n, "transB", 0) != 0;
        Tensor w = im.derived(n, 1, "gemm " + transB + " " + alpha, () -> OnnxImporter.scale(transB ? b : OnnxImporter.transpose(b), alpha));
        Tensor bias = null;
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            Tensor c = im.constant(n, 2, "bias");
            if (c.size() != 1 && c.size() != w.dim(0)) throw im.unsupported(n, "a bias of shape " + c.shapeText() + " for " + w.dim(0) + " outputs");
            int out = w.dim(0);
            bias = im.derived(n, 2, "bias " + out + " " + beta, () -> im.broadcastBias(n, c, out, beta));
        }
        linear(n, layer, w, bias, "weight", !transB, alpha == 1f ? null : "scales its weight by alpha " + alpha);
        if (bias != null) {
            im.origin(n, 2, layer, "bias", false, beta != 1f ? "scales its bias by beta " + beta
                    : OnnxImporter.broadcastFromOne(im.constant(n, 2, "bias"), w.dim(0)));
        }
    }

    /** MatMul of two activations, batched over the leading axes (attention's Q·Kᵀ and S·V). */
    private void product(OnnxMl.NodeProto n, String layer) {
        if (!isData(n, 0) || !isData(n, 1)) throw im.unsupported(n, "a product of a constant by data (only data by a weight)");
        Layout la = layout(n.getInput(0));
        Layout lb = layout(n.getInput(1));
        if (la.rank() < 2 || lb.rank() < 2) throw im.unsupported(n, "a product of a vector");
        int rank = Math.max(la.rank(), lb.rank());
        int m = la.dims()[la.rank() - 2], k = la.dims()[la.rank() - 1];
        int kb = lb.dims()[lb.rank() - 2], nn = lb.dims()[lb.rank() - 1];
        if (k != kb) throw im.unsupported(n, "a product of [" + m + ", " + k + "] by [" + kb + ", " + nn + "]");
        int[] batch = new int[rank - 2];
        long ca = 1, cb = 1;
        for (int i = 0; i < rank - 2; i++) {
            int da = batchDim(la, i, rank), db = batchDim(lb, i, rank);
            if (da != db && da != 1 && db != 1) throw im.unsupported(n, "batch axes that do not broadcast");
            batch[i] = Math.max(da, db);
            ca *= da;
            cb *= db;
        }
        long channels = 1;
        for (int d : batch) channels *= d;
        if (ca != channels && ca != 1 || cb != channels && cb != 1) {
            throw im.unsupported(n, "batch axes broadcast partly (each operand must have all of them or none)");
        }
        boolean[] trans = new boolean[2];
        String a = operand(n, 0, la, ca, m, k, trans);
        String b = operand(n, 1, lb, cb, k, nn, trans);
        // The samples' axis must be one the product runs over (a batch axis, or A's rows): never summed or B's.
        int sample = -1;
        if (la.batch() >= 0) {
            if (la.batch() == la.rank() - 1) throw im.unsupported(n, "a product summing over the batch axis");
            sample = la.batch() + rank - la.rank();
        }
        if (lb.batch() >= 0) {
            if (lb.batch() >= lb.rank() - 2) throw im.unsupported(n, "a product along the batch axis of its second operand");
            sample = lb.batch() + rank - lb.rank();
        }
        im.add(new ActivationProduct(layer, a, b, trans[0], trans[1]));
        int[] dims = Arrays.copyOf(batch, rank);
        dims[rank - 2] = m;
        dims[rank - 1] = nn;
        place(n, 0, layer, Layout.rowMajor(dims, sample));
    }

    private static int batchDim(Layout l, int i, int rank) {
        int at = i - (rank - l.rank());
        return at < 0 ? 1 : l.dims()[at];
    }

    /** Operand {@code i} of a product as C×R×K (or C×K×R, transposed), stored so if it is already. */
    private String operand(OnnxMl.NodeProto n, int i, Layout l, long channels, int rows, int cols, boolean[] trans) {
        int r = l.rank();
        int[] straight = identity(r);
        int[] swapped = identity(r);
        swapped[r - 2] = r - 1;
        swapped[r - 1] = r - 2;
        Layout asSwapped = l.with(l.dims(), swapped);
        boolean t = !Arrays.equals(l.significant(), l.with(l.dims(), straight).significant())
                && Arrays.equals(l.significant(), asSwapped.significant());
        trans[i] = t;
        return arrange(n, n.getInput(i), t ? swapped : straight, t ? shape(channels, cols, rows) : shape(channels, rows, cols));
    }

    private void softmax(OnnxMl.NodeProto n, String layer) {
        Layout l = layout(n.getInput(0));
        int at = axis(n, im.opset < 13 ? 1 : -1, l.rank());
        alongBatch(n, l, at);
        if (im.opset < 13) {
            for (int k = at + 1; k < l.rank(); k++) {
                if (l.dims()[k] != 1) throw im.unsupported(n, "softmax over several axes (opset " + im.opset + ")");
            }
        }
        int[] want = lastOf(l, at);
        String x = arrange(n, n.getInput(0), want, shape(l.elements() / l.dims()[at], 1, l.dims()[at]));
        im.add(new Softmax(layer, x, Softmax.Axis.WIDTH));
        place(n, 0, layer, l.with(l.dims(), want));
    }

    private void layerNorm(OnnxMl.NodeProto n, String layer) {
        Layout l = layout(n.getInput(0));
        int at = axis(n, -1, l.rank());
        alongBatch(n, l, at);
        for (int k = at + 1; k < l.rank(); k++) {
            if (l.dims()[k] != 1) throw im.unsupported(n, "a layer norm over several axes");
        }
        int channels = l.dims()[at];
        Tensor gamma = im.constant(n, 1, "scale");
        Tensor beta = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? im.constant(n, 2, "bias") : null;
        if (gamma.size() != channels || beta != null && beta.size() != channels) {
            throw im.unsupported(n, "a scale of shape " + gamma.shapeText() + " for " + channels + " channels");
        }
        int[] want = first(l, at);
        String x = arrange(n, n.getInput(0), want, shape(channels, 1, l.elements() / channels));
        im.add(new ChannelNorm(layer, x, gamma.data(), beta == null ? new float[channels] : beta.data(),
                OnnxImporter.floatAttr(n, "epsilon", 1e-5f)));
        place(n, 0, layer, l.with(l.dims(), want));
    }

    /** The written-out layer norm's last step: x less its mean over its deviation, x stored with that axis first. */
    String normalized(OnnxMl.NodeProto n, String x, float eps, String layer) {
        Layout l = layout(x);
        int at = l.rank() - 1;
        int channels = l.dims()[at];
        int[] want = first(l, at);
        String in = arrange(n, x, want, shape(channels, 1, l.elements() / channels));
        float[] ones = new float[channels];
        Arrays.fill(ones, 1f);
        im.add(new ChannelNorm(layer, in, ones, new float[channels], eps));
        place(n, 0, layer, l.with(l.dims(), want));
        return layer;
    }

    /** Add, Sub, Mul or Div of data by data of the same shape, or by a constant broadcast to the data's shape. */
    private void elementWise(OnnxMl.NodeProto n, String layer) {
        String op = n.getOpType();
        if (n.getInputCount() != 2) throw im.unsupported(n, op + " of " + n.getInputCount() + " inputs");
        boolean c0 = !isData(n, 0), c1 = !isData(n, 1);
        if (c0 && c1) throw im.unsupported(n, op + " of two constants that were not folded");
        if (!c0 && !c1) {
            Layout la = layout(n.getInput(0));
            Layout lb = layout(n.getInput(1));
            if (!Arrays.equals(la.dims(), lb.dims())) {
                throw im.unsupported(n, op + " of data of shapes " + Arrays.toString(la.dims()) + " and " + Arrays.toString(lb.dims()));
            }
            String a = im.data(n, 0);
            String b = arrange(n, n.getInput(1), la.order(), im.shapeOf(a));
            switch (op) {
                case "Add" -> im.add(new Add(layer, List.of(a, b)));
                case "Mul" -> im.add(new Multiply(layer, List.of(a, b)));
                case "Sub" -> {
                    String negated = im.unique(layer + "_negated");
                    im.add(new Affine(negated, b, new float[] {-1}, new float[] {0}));
                    im.add(new Add(layer, List.of(a, negated)));
                }
                default -> throw im.unsupported(n, "a division of data by data");
            }
            place(n, 0, layer, new Layout(la.dims(), la.order(), la.batch() >= 0 ? la.batch() : lb.batch()));
            return;
        }
        int d = c0 ? 1 : 0;
        Layout l = layout(n.getInput(d));
        Tensor c = im.constants.get(n.getInput(1 - d));
        if (c == null) throw im.unsupported(n, op + " reading '" + n.getInput(1 - d) + "', which is not defined before it");
        if (c0 && op.equals("Div")) throw im.unsupported(n, "a constant divided by data");
        String x = im.data(n, d);
        if (c0 && op.equals("Sub") && c.size() != 1) {
            // c − x = (−x) + c
            String negated = im.unique(layer + "_negated");
            im.add(new Affine(negated, x, new float[] {-1}, new float[] {0}));
            x = negated;
            op = "Add";
        }
        Tensor full = ShapeArithmetic.broadcast(c, l.dims());
        if (full == null) {
            throw im.unsupported(n, op + " of data of shape " + Arrays.toString(l.dims()) + " by a constant of shape " + c.shapeText());
        }
        if (c.size() == 1) {
            float v = c.data()[0];
            float[][] affine = switch (op) {
                case "Add" -> new float[][] {{1}, {v}};
                case "Sub" -> c0 ? new float[][] {{-1}, {v}} : new float[][] {{1}, {-v}};
                case "Mul" -> new float[][] {{v}, {0}};
                default -> new float[][] {{1 / v}, {0}};
            };
            im.add(new Affine(layer, x, affine[0], affine[1]));
            place(n, 0, layer, l);
            return;
        }
        float[] stored = permuted(full, l);
        if (op.equals("Sub")) for (int k = 0; k < stored.length; k++) stored[k] = -stored[k];
        if (op.equals("Div")) for (int k = 0; k < stored.length; k++) stored[k] = 1 / stored[k];
        boolean additive = op.equals("Add") || op.equals("Sub");
        Shape s = im.shapeOf(x);
        float[] perChannel = perChannel(stored, s);
        if (perChannel != null) {
            if (additive && foldsAsBias(n, x, perChannel)) return;
            im.add(additive ? new Affine(layer, x, new float[] {1}, perChannel) : new Affine(layer, x, perChannel, new float[] {0}));
        } else {
            String constant = im.unique(layer + "_constant");
            im.add(new Constant(constant, s, stored));
            im.add(additive ? new Add(layer, List.of(x, constant)) : new Multiply(layer, List.of(x, constant)));
        }
        place(n, 0, layer, l);
    }

    /** A per-channel shift right after a Conv or Linear without a bias, read only here: made its bias. */
    private boolean foldsAsBias(OnnxMl.NodeProto n, String x, float[] shift) {
        Layer prev = im.layer(x);
        if (!(im.params.get(x) instanceof LayerParams.Dense d) || d.bias() != null
                || !(prev instanceof Conv2d || prev instanceof Linear)) return false;
        String data = n.getInput(isData(n, 0) ? 0 : 1);
        // Only when nothing else reads the product: no other value maps to its layer (a free transpose or reshape
        // does), no layer reads it, and this Add is its value's only reader.
        if (im.readerOps.getOrDefault(data, List.of()).size() != 1 || im.valuesOf(x) != 1 || im.readers(x) != 0) return false;
        im.replace(x, prev instanceof Linear lin ? new Linear(lin.name(), lin.input(), lin.inFeatures(), lin.outFeatures(), true)
                : OnnxImporter.withBias((Conv2d) prev));
        im.params.put(x, new LayerParams.Dense(d.weight(), new Tensor(new int[] {shift.length}, shift)));
        im.origin(n, isData(n, 0) ? 1 : 0, x, "bias", false, null);
        place(n, 0, x, layout(data));
        return true;
    }

    /** One value per channel when the stored values vary only by channel (the layer's first axis), else null. */
    private static float[] perChannel(float[] stored, Shape s) {
        int area = s.height() * s.width();
        float[] c = new float[s.channels()];
        for (int ch = 0; ch < c.length; ch++) {
            c[ch] = stored[ch * area];
            for (int k = 1; k < area; k++) if (stored[ch * area + k] != c[ch]) return null;
        }
        return c;
    }

    /** Where(condition, x, y) with a constant condition and one data input: x·mask + (the constant where not). */
    private void where(OnnxMl.NodeProto n, String layer) {
        if (n.getInputCount() != 3) throw im.unsupported(n, "Where with " + n.getInputCount() + " inputs");
        Tensor condition = im.constants.get(n.getInput(0));
        boolean dataX = isData(n, 1), dataY = isData(n, 2);
        if (condition == null || dataX == dataY) throw im.unsupported(n, "a Where other than between data and a constant by a constant condition");
        int d = dataX ? 1 : 2;
        Layout l = layout(n.getInput(d));
        Tensor mask = ShapeArithmetic.broadcast(condition, l.dims());
        Tensor other = ShapeArithmetic.broadcast(im.constants.get(n.getInput(3 - d)), l.dims());
        if (mask == null || other == null) throw im.unsupported(n, "a condition or constant that does not broadcast to " + Arrays.toString(l.dims()));
        float[] chosen = permuted(mask, l);
        float[] fill = permuted(other, l);
        boolean[] keep = new boolean[chosen.length];
        for (int k = 0; k < keep.length; k++) keep[k] = (chosen[k] != 0) == dataX;
        im.add(new Mask(layer, im.data(n, d), keep, fill));
        place(n, 0, layer, l);
    }

    private void expand(OnnxMl.NodeProto n) {
        Layout l = layout(n.getInput(0));
        int[] to = ShapeArithmetic.broadcastDims(l.dims(), ShapeArithmetic.ints(im.constant(n, 1, "shape")));
        if (to == null || !Arrays.equals(to, l.dims())) throw im.unsupported(n, "an Expand of data that grows it");
        place(n, 0, im.data(n, 0), l);
    }

    private void concat(OnnxMl.NodeProto n, String layer) {
        String ref = null;
        for (String v : n.getInputList()) if (isDataValue(v)) { ref = v; break; }
        if (ref == null) throw im.unsupported(n, "a concatenation of constants that was not folded");
        Layout l = layout(ref);
        int at = axis(n, 1, l.rank());
        alongBatch(n, l, at);
        int[] want = first(l, at);
        List<String> parts = new ArrayList<>();
        int total = 0;
        long rest = l.elements() / l.dims()[at];
        for (String v : n.getInputList()) {
            int[] dims;
            if (isDataValue(v)) {
                dims = layout(v).dims();
                check(n, dims, l.dims(), at);
                parts.add(arrange(n, v, want, shape(dims[at], 1, rest)));
            } else {
                Tensor c = im.constants.get(v);
                if (c == null) throw im.unsupported(n, "an input '" + v + "' that is not defined before it");
                int[] target = l.dims();
                target[at] = c.rank() == l.rank() ? c.shape()[at] : 1;
                Tensor full = ShapeArithmetic.broadcast(c, target);
                if (full == null) throw im.unsupported(n, "a constant of shape " + c.shapeText() + " to join " + Arrays.toString(l.dims()));
                dims = target;
                String name = im.unique(layer + "_constant");
                im.add(new Constant(name, shape(dims[at], 1, rest), permuted(full, new Layout(target, want, l.batch()))));
                parts.add(name);
            }
            total += dims[at];
        }
        int[] dims = l.dims();
        dims[at] = total;
        if (parts.size() == 1) {
            place(n, 0, parts.get(0), l.with(dims, want));
            return;
        }
        im.add(new Concat(layer, parts));
        place(n, 0, layer, l.with(dims, want));
    }

    private void check(OnnxMl.NodeProto n, int[] dims, int[] ref, int at) {
        boolean same = dims.length == ref.length;
        for (int k = 0; same && k < dims.length; k++) same = k == at || dims[k] == ref[k];
        if (!same) throw im.unsupported(n, "joining " + Arrays.toString(dims) + " to " + Arrays.toString(ref) + " along axis " + at);
    }

    /** Values at given indices along an axis (a class token's x[:, 0]; the heads' q, k, v). */
    private void gather(OnnxMl.NodeProto n, String layer) {
        if (!isData(n, 0)) {
            embedding(n, layer);
            return;
        }
        Tensor indices = im.constant(n, 1, "indices");
        Layout l = layout(n.getInput(0));
        int at = axis(n, 0, l.rank());
        alongBatch(n, l, at);
        int size = l.dims()[at];
        int[] picked = new int[indices.size()];
        for (int k = 0; k < picked.length; k++) {
            long v = (long) indices.data()[k];
            if (v < -size || v >= size) throw im.unsupported(n, "index " + v + " of an axis of " + size);
            picked[k] = (int) (v < 0 ? v + size : v);
        }
        String x = select(n, layer, l, at, picked);
        int[] want = first(l, at);
        if (indices.rank() == 0) {
            int[] dims = new int[l.rank() - 1];
            List<Integer> order = new ArrayList<>();
            for (int k = 0, j = 0; k < l.rank(); k++) if (k != at) dims[j++] = l.dims()[k];
            for (int a : want) if (a != at) order.add(a > at ? a - 1 : a);
            int batch = l.batch() < 0 ? -1 : l.batch() > at ? l.batch() - 1 : l.batch();
            place(n, 0, x, new Layout(dims, order.stream().mapToInt(Integer::intValue).toArray(), batch));
        } else if (indices.rank() == 1) {
            int[] dims = l.dims();
            dims[at] = picked.length;
            place(n, 0, x, l.with(dims, want));
        } else {
            throw im.unsupported(n, "indices of rank " + indices.rank());
        }
    }

    /** Gather from a constant table [V, D] by data (token ids): an embedding lookup, [ids…, D]. */
    private void embedding(OnnxMl.NodeProto n, String layer) {
        Tensor table = im.constants.get(n.getInput(0));
        if (table == null || !isData(n, 1)) throw im.unsupported(n, "a Gather whose indices are not data");
        if (table.rank() != 2 || axis(n, 0, 2) != 0) {
            throw im.unsupported(n, "a Gather by data from a table of shape " + table.shapeText() + " along axis "
                    + OnnxImporter.intAttr(n, "axis", 0) + " (an embedding lookup is a [V, D] table along axis 0)");
        }
        Layout ids = layout(n.getInput(1));
        String in = arrange(n, n.getInput(1), identity(ids.rank()), Shape.vector((int) ids.elements()));
        im.add(new Embedding(layer, in, table.dim(0), table.dim(1), table.data()));
        int[] dims = Arrays.copyOf(ids.dims(), ids.rank() + 1);
        dims[ids.rank()] = table.dim(1);
        place(n, 0, layer, Layout.rowMajor(dims, ids.batch()));
    }

    /** The value stored with axis {@code at} first and those of its entries picked. */
    private String select(OnnxMl.NodeProto n, String layer, Layout l, int at, int[] picked) {
        long rest = l.elements() / l.dims()[at];
        String x = arrange(n, n.getInput(0), first(l, at), shape(l.dims()[at], 1, rest));
        boolean all = picked.length == l.dims()[at];
        for (int k = 0; all && k < picked.length; k++) all = picked[k] == k;
        if (all) return x;
        im.add(new SelectChannels(layer, x, picked));
        return layer;
    }

    private void slice(OnnxMl.NodeProto n, String layer) {
        Layout l = layout(n.getInput(0));
        Tensor starts = im.constant(n, 1, "starts"), ends = im.constant(n, 2, "ends");
        Tensor axes = n.getInputCount() > 3 && !n.getInput(3).isEmpty() ? im.constant(n, 3, "axes") : null;
        Tensor steps = n.getInputCount() > 4 && !n.getInput(4).isEmpty() ? im.constant(n, 4, "steps") : null;
        if (starts.size() != 1 || ends.size() != 1 || axes != null && axes.size() != 1) {
            throw im.unsupported(n, "a slice along several axes");
        }
        int at = axes == null ? 0 : (int) axes.data()[0];
        if (at < 0) at += l.rank();
        alongBatch(n, l, at);
        int[] range = ShapeArithmetic.sliceRange(l.dims()[at], starts, ends, steps);
        if (range == null) throw im.unsupported(n, "a slice with a step of 0 or below");
        int count = Math.max(0, (range[1] - range[0] + range[2] - 1) / range[2]);
        if (count == 0) throw im.unsupported(n, "a slice of nothing");
        int[] picked = new int[count];
        for (int k = 0; k < count; k++) picked[k] = range[0] + k * range[2];
        String x = select(n, layer, l, at, picked);
        int[] dims = l.dims();
        dims[at] = count;
        place(n, 0, x, l.with(dims, first(l, at)));
    }

    private void split(OnnxMl.NodeProto n, String layer) {
        Layout l = layout(n.getInput(0));
        int at = axis(n, 0, l.rank());
        alongBatch(n, l, at);
        int parts = n.getOutputCount();
        int[] sizes;
        if (n.getInputCount() > 1 && !n.getInput(1).isEmpty()) sizes = ShapeArithmetic.ints(im.constant(n, 1, "split"));
        else if (OnnxImporter.ints(n, "split").length > 0) sizes = OnnxImporter.ints(n, "split");
        else {
            if (l.dims()[at] % parts != 0) throw im.unsupported(n, "an uneven split without sizes");
            sizes = new int[parts];
            Arrays.fill(sizes, l.dims()[at] / parts);
        }
        if (sizes.length != parts || Arrays.stream(sizes).sum() != l.dims()[at]) {
            throw im.unsupported(n, "split sizes " + Arrays.toString(sizes) + " for an axis of " + l.dims()[at]);
        }
        long rest = l.elements() / l.dims()[at];
        int[] want = first(l, at);
        String x = arrange(n, n.getInput(0), want, shape(l.dims()[at], 1, rest));
        int from = 0;
        for (int p = 0; p < parts; p++) {
            int[] picked = new int[sizes[p]];
            for (int k = 0; k < picked.length; k++) picked[k] = from + k;
            from += sizes[p];
            String name = im.unique(layer + "_" + p);
            im.add(new SelectChannels(name, x, picked));
            int[] dims = l.dims();
            dims[at] = sizes[p];
            place(n, p, name, l.with(dims, want));
        }
    }

    /** A mean over some axes: the value stored with them last, then a global average pool of each row. */
    private void mean(OnnxMl.NodeProto n, String layer) {
        Layout l = layout(n.getInput(0));
        int[] axes = n.getInputCount() > 1 && !n.getInput(1).isEmpty()
                ? ShapeArithmetic.ints(im.constant(n, 1, "axes")) : OnnxImporter.ints(n, "axes");
        boolean[] reduced = new boolean[l.rank()];
        if (axes.length == 0 && OnnxImporter.intAttr(n, "noop_with_empty_axes", 0) != 0) {
            place(n, 0, im.data(n, 0), l);
            return;
        }
        if (axes.length == 0) Arrays.fill(reduced, true);
        for (int a : axes) reduced[a < 0 ? a + l.rank() : a] = true;
        if (l.batch() >= 0 && reduced[l.batch()]) throw im.unsupported(n, "a mean over the batch axis");
        List<Integer> want = new ArrayList<>();
        for (int a : l.order()) if (!reduced[a]) want.add(a);
        long over = 1;
        for (int a : l.order()) {
            if (reduced[a]) {
                want.add(a);
                over *= l.dims()[a];
            }
        }
        int[] order = want.stream().mapToInt(Integer::intValue).toArray();
        String x = arrange(n, n.getInput(0), order, shape(l.elements() / over, 1, over));
        im.add(new Pool(layer, x, Pool.Kind.AVERAGE, 0, 0, 0, true));
        boolean keep = OnnxImporter.intAttr(n, "keepdims", 1) != 0;
        List<Integer> dims = new ArrayList<>();
        int[] newIndex = new int[l.rank()];
        for (int k = 0; k < l.rank(); k++) {
            if (reduced[k] && !keep) {
                newIndex[k] = -1;
            } else {
                newIndex[k] = dims.size();
                dims.add(reduced[k] ? 1 : l.dims()[k]);
            }
        }
        List<Integer> newOrder = new ArrayList<>();
        for (int a : order) if (newIndex[a] >= 0) newOrder.add(newIndex[a]);
        place(n, 0, layer, new Layout(dims.stream().mapToInt(Integer::intValue).toArray(),
                newOrder.stream().mapToInt(Integer::intValue).toArray(), l.batch() < 0 ? -1 : newIndex[l.batch()]));
    }

    /** The graph's N×C×L input: a value of rank 3, row-major, batch first. */
    void input(String value, int[] dims) {
        layouts.put(value, Layout.rowMajor(dims, 0));
    }

    /** A constant read as data: a {@link Constant} layer holding its values, row-major, the same for every sample. */
    String constantLayer(String value, Tensor t) {
        int[] dims = t.rank() == 0 ? new int[] {1} : t.shape();
        String name = im.unique(value.replaceAll("[^A-Za-z0-9_.:/-]", "_"));
        boolean vector = dims.length == 2 && dims[0] == 1;
        boolean map = dims.length == 4 && dims[0] == 1;
        im.add(new Constant(name, vector ? Shape.vector(dims[1]) : map ? new Shape(dims[1], dims[2], dims[3]) : natural(dims), t.data()));
        im.producer.put(value, name);
        if (vector) vectors.add(name);
        if (!vector && !map) layouts.put(value, Layout.rowMajor(dims, -1));
        return name;
    }

    /** The graph's output stored row-major, as ONNX lists its values (a final Rearrange when it is not). */
    void rowMajorOutput(String value) {
        OnnxMl.NodeProto output = OnnxMl.NodeProto.newBuilder().setName("(graph output)").setOpType("Output").addInput(value).build();
        Layout l = layout(value);
        if (l.batch() > 0) {
            throw new NetworkException(im.source + ": the graph's output '" + value + "' has the batch on axis "
                    + l.batch() + "; abacim runs each sample alone and needs it first");
        }
        String layer = arrange(output, value, identity(l.rank()), natural(l.dims()));
        if (Arrays.stream(l.dims()).filter(d -> d != 1).count() <= 1) vectors.add(layer);
        im.producer.put(value, layer);
        layouts.put(value, Layout.rowMajor(l.dims(), l.batch()));
    }

    // ---- layouts ----------------------------------------------------------------------------------------------

    /** Records output {@code i} of the node as {@code layer}'s values in layout {@code l}. */
    void place(OnnxMl.NodeProto n, int i, String layer, Layout l) {
        im.producer.put(n.getOutput(i), layer);
        layouts.put(n.getOutput(i), l);
    }

    /**
     * The value stored in axis order {@code want} under {@code shape}: its layer when it is so already, a regrouping
     * when only the shape differs, else a {@link Rearrange} that moves its values.
     */
    String arrange(OnnxMl.NodeProto n, String value, int[] want, Shape shape) {
        Layout l = layout(value);
        String layer = im.value(n, value);
        Layout wanted = l.with(l.dims(), want);
        int[] current = l.significant();
        int[] target = wanted.significant();
        if (Arrays.equals(current, target)) {
            if (im.shapeOf(layer).equals(shape)) return layer;
            String name = im.unique(layer + "_as");
            im.add(Rearrange.regroup(name, layer, im.shapeOf(layer), shape));
            return name;
        }
        int[] dims = new int[current.length];
        for (int k = 0; k < current.length; k++) dims[k] = l.dims()[current[k]];
        int[] order = new int[target.length];
        for (int k = 0; k < target.length; k++) {
            for (int j = 0; j < current.length; j++) if (current[j] == target[k]) order[k] = j;
        }
        String name = im.unique(layer + "_moved");
        im.add(new Rearrange(name, layer, dims, order, shape));
        return name;
    }

    /** A constant broadcast to the layout's dimensions, in its storage order: its axes transposed by that order. */
    private static float[] permuted(Tensor full, Layout l) {
        return ShapeArithmetic.transpose(full, l.order()).data();
    }

    /** The layout's order with axis {@code at} moved first, the others kept in their order. */
    static int[] first(Layout l, int at) {
        int[] o = new int[l.rank()];
        o[0] = at;
        for (int k = 0, j = 1; k < l.rank(); k++) if (l.order()[k] != at) o[j++] = l.order()[k];
        return o;
    }

    /** The layout's order with axis {@code at} moved last. */
    private static int[] lastOf(Layout l, int at) {
        int[] o = new int[l.rank()];
        for (int k = 0, j = 0; k < l.rank(); k++) if (l.order()[k] != at) o[j++] = l.order()[k];
        o[l.rank() - 1] = at;
        return o;
    }

    static int[] identity(int rank) {
        int[] o = new int[rank];
        for (int i = 0; i < rank; i++) o[i] = i;
        return o;
    }

    /** A row-major shape for dimensions as ONNX lists them: the last two as height and width, the rest as channels. */
    Shape natural(int[] dims) {
        int[] d = Arrays.stream(dims).filter(x -> x != 1).toArray();
        if (d.length == 0) return Shape.vector(1);
        if (d.length == 1) return Shape.vector(d[0]);
        long c = 1;
        for (int k = 0; k < d.length - 2; k++) c *= d[k];
        return shape(c, d[d.length - 2], d[d.length - 1]);
    }

    Shape shape(long channels, long height, long width) {
        if (channels > Integer.MAX_VALUE || height > Integer.MAX_VALUE || width > Integer.MAX_VALUE) {
            throw new NetworkException(im.source + ": a value of " + channels + "×" + height + "×" + width
                    + " values is beyond abacim's sizes (each at most " + Integer.MAX_VALUE + ")");
        }
        return new Shape((int) channels, (int) height, (int) width);
    }
}
