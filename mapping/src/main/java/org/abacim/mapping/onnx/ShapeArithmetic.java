package org.abacim.mapping.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.abacim.core.network.Shape;
import org.abacim.core.tensor.Tensor;
import ai.onnx.proto.OnnxMl;

/**
 * Static shape arithmetic, folded at import. PyTorch writes {@code x.view(b, g, c // g, h, w)} with a dynamic batch
 * as Shape → Gather → Div → Cast → Unsqueeze → Concat feeding a Reshape; every value in such a chain is known once
 * the data's static shape is (the batch counts as 1, and only ever lands in a reshape's batch position). Nodes whose
 * inputs are all known are evaluated here into constants; the importer never sees them.
 */
final class ShapeArithmetic {
    static final Set<String> OPS = Set.of("Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Add", "Sub", "Mul",
            "Div", "Cast", "Slice", "Reshape", "Transpose", "ConstantOfShape", "Equal", "Where", "Expand");

    private ShapeArithmetic() {}

    /**
     * The node's value if every input is a constant (or, for Shape, a value whose shape is known), else null.
     *
     * @param shapeOfData the static shape of a data value (batch first, as 1), or null when it is not data
     */
    static Tensor fold(OnnxMl.NodeProto n, Map<String, Tensor> constants, Function<String, int[]> shapeOfData,
                       int opset) {
        String op = n.getOpType();
        if (!OPS.contains(op)) return null;
        if (op.equals("Shape")) {
            int[] dims = constants.containsKey(n.getInput(0)) ? constants.get(n.getInput(0)).shape()
                    : shapeOfData.apply(n.getInput(0));
            if (dims == null) return null;
            float[] v = new float[dims.length];
            for (int i = 0; i < dims.length; i++) v[i] = dims[i];
            return new Tensor(new int[] {v.length}, v);
        }
        List<Tensor> in = new ArrayList<>();
        for (String name : n.getInputList()) {
            if (name.isEmpty()) {
                in.add(null);
                continue;
            }
            if (!constants.containsKey(name)) return null;
            in.add(constants.get(name));
        }
        return switch (op) {
            case "Gather" -> gather(in.get(0), in.get(1), (int) OnnxImporter.intAttr(n, "axis", 0));
            case "Unsqueeze" -> unsqueeze(in.get(0), opset >= 13 && in.size() > 1 ? ints(in.get(1))
                    : OnnxImporter.ints(n, "axes"));
            case "Squeeze" -> squeeze(in.get(0), opset >= 13 && in.size() > 1 && in.get(1) != null ? ints(in.get(1))
                    : OnnxImporter.ints(n, "axes"));
            case "Concat" -> concat(in);
            case "Add", "Sub", "Mul", "Div" -> arithmetic(op, in.get(0), in.get(1));
            case "Cast" -> cast(in.get(0), (int) OnnxImporter.intAttr(n, "to", 1));
            case "Slice" -> slice(in);
            // PyTorch 2's exporter leaves these on constants when it does not optimize: ReduceMean's axes as
            // Reshape(Constant, [-1]), a Linear's weight as Transpose(weight) before MatMul.
            case "Reshape" -> reshape(in.get(0), in.get(1), OnnxImporter.intAttr(n, "allowzero", 0) != 0);
            case "Transpose" -> transpose(in.get(0), OnnxImporter.ints(n, "perm"));
            // A class token's expand(B, -1, -1): its shape's −1s replaced through Equal and Where, then Expand.
            case "ConstantOfShape" -> constantOfShape(n, in.get(0));
            case "Equal" -> arithmetic(op, in.get(0), in.get(1));
            case "Where" -> where(in.get(0), in.get(1), in.get(2));
            case "Expand" -> expand(in.get(0), in.get(1));
            default -> null;
        };
    }

    /** A constant reshaped ({@code 0} copies the input's dimension unless {@code allowzero}; one {@code -1} is inferred). */
    private static Tensor reshape(Tensor t, Tensor target, boolean allowZero) {
        if (target == null || target.rank() != 1) return null;
        int[] shape = ints(target);
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0 && !allowZero) {
                if (i >= t.rank()) return null;
                shape[i] = t.shape()[i];
            }
            if (shape[i] == -1) {
                if (inferred >= 0) return null;
                inferred = i;
            } else if (shape[i] < 0) {
                return null;
            } else {
                known *= shape[i];
                if (known > Integer.MAX_VALUE) return null; // a hostile target: left to the importer to refuse
            }
        }
        if (inferred >= 0) {
            if (known == 0 || t.size() % known != 0) return null;
            shape[inferred] = (int) (t.size() / known);
        } else if (known != t.size()) {
            return null;
        }
        return new Tensor(shape, t.data().clone());
    }

    /** A constant with its axes permuted ({@code perm} empty: reversed, as ONNX defines). */
    static Tensor transpose(Tensor t, int[] perm) {
        int rank = t.rank();
        if (perm == null || perm.length == 0) {
            perm = new int[rank];
            for (int i = 0; i < rank; i++) perm[i] = rank - 1 - i;
        }
        if (perm.length != rank) return null;
        boolean[] seen = new boolean[rank];
        for (int p : perm) {
            if (p < 0 || p >= rank || seen[p]) return null;
            seen[p] = true;
        }
        int[] in = t.shape();
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) out[i] = in[perm[i]];
        int[] inStride = new int[rank];
        for (int i = rank - 1, s = 1; i >= 0; i--) {
            inStride[i] = s;
            s *= in[i];
        }
        float[] src = t.data();
        float[] dst = new float[src.length];
        int[] index = new int[rank];
        for (int k = 0; k < dst.length; k++) {
            int from = 0;
            for (int i = 0; i < rank; i++) from += index[i] * inStride[perm[i]];
            dst[k] = src[from];
            for (int i = rank - 1; i >= 0; i--) {
                if (++index[i] < out[i]) break;
                index[i] = 0;
            }
        }
        return new Tensor(out, dst);
    }

    static int[] ints(Tensor t) {
        int[] v = new int[t.size()];
        for (int i = 0; i < v.length; i++) v[i] = (int) t.data()[i];
        return v;
    }

    private static Tensor gather(Tensor data, Tensor indices, int axis) {
        if (data.rank() != 1 || axis != 0) return null;
        float[] v = new float[indices.size()];
        for (int i = 0; i < v.length; i++) {
            int at = (int) indices.data()[i];
            if (at < 0) at += data.size();
            v[i] = data.data()[at];
        }
        return new Tensor(indices.shape().clone(), v);
    }

    private static Tensor unsqueeze(Tensor t, int[] axes) {
        int rank = t.rank() + axes.length;
        int[] shape = new int[rank];
        boolean[] inserted = new boolean[rank];
        for (int a : axes) inserted[a < 0 ? a + rank : a] = true;
        for (int i = 0, k = 0; i < rank; i++) shape[i] = inserted[i] ? 1 : t.shape()[k++];
        return new Tensor(shape, t.data().clone());
    }

    /** A constant without the named axes of one (every axis of one when none are named). */
    private static Tensor squeeze(Tensor t, int[] axes) {
        int[] dims = t.shape();
        boolean[] drop = new boolean[dims.length];
        if (axes.length == 0) for (int i = 0; i < dims.length; i++) drop[i] = dims[i] == 1;
        for (int a : axes) {
            int at = a < 0 ? a + dims.length : a;
            if (at < 0 || at >= dims.length || dims[at] != 1) return null;
            drop[at] = true;
        }
        int[] shape = IntStream.range(0, dims.length).filter(i -> !drop[i]).map(i -> dims[i]).toArray();
        return new Tensor(shape, t.data().clone());
    }

    private static Tensor concat(List<Tensor> parts) {
        int total = 0;
        for (Tensor p : parts) {
            if (p == null || p.rank() > 1) return null;
            total += p.size();
        }
        float[] v = new float[total];
        int at = 0;
        for (Tensor p : parts) {
            System.arraycopy(p.data(), 0, v, at, p.size());
            at += p.size();
        }
        return new Tensor(new int[] {total}, v);
    }

    private static Tensor arithmetic(String op, Tensor a, Tensor b) {
        int[] dims = broadcastDims(a.shape(), b.shape());
        if (dims == null) return null;
        a = broadcast(a, dims);
        b = broadcast(b, dims);
        if (a == null || b == null) return null;
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            double x = a.data()[i];
            double y = b.data()[i];
            v[i] = (float) switch (op) {
                case "Add" -> x + y;
                case "Sub" -> x - y;
                case "Mul" -> x * y;
                case "Equal" -> x == y ? 1 : 0;
                // Shape values are integers, and ONNX divides integers by truncation.
                default -> x == Math.rint(x) && y == Math.rint(y) ? (double) ((long) x / (long) y) : x / y;
            };
        }
        return new Tensor(dims, v);
    }

    /** The shape two shapes broadcast to (NumPy's rule, aligned at the last axis), or null when they do not. */
    static int[] broadcastDims(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int x = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int y = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (x != y && x != 1 && y != 1) return null;
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    /** A constant broadcast to {@code dims} (NumPy's rule), or null when it does not broadcast to exactly them. */
    static Tensor broadcast(Tensor t, int[] dims) {
        int rank = dims.length;
        int[] from = t.shape();
        if (from.length > rank) return null;
        long size = 1;
        for (int i = 0; i < rank; i++) {
            int d = i < rank - from.length ? 1 : from[i - (rank - from.length)];
            if (d != dims[i] && d != 1) return null;
            size *= dims[i];
            if (size > Integer.MAX_VALUE - 8) return null;
        }
        if (Arrays.equals(from, dims)) return t;
        int[] stride = new int[rank];
        for (int i = rank - 1, s = 1; i >= 0; i--) {
            int d = i < rank - from.length ? 1 : from[i - (rank - from.length)];
            stride[i] = d == 1 ? 0 : s;
            s *= d;
        }
        float[] v = new float[(int) size];
        int[] index = new int[rank];
        for (int k = 0; k < v.length; k++) {
            int at = 0;
            for (int i = 0; i < rank; i++) at += index[i] * stride[i];
            v[k] = t.data()[at];
            for (int i = rank - 1; i >= 0; i--) {
                if (++index[i] < dims[i]) break;
                index[i] = 0;
            }
        }
        return new Tensor(dims.clone(), v);
    }

    private static Tensor constantOfShape(OnnxMl.NodeProto n, Tensor shape) {
        if (shape.rank() > 1) return null;
        int[] dims = ints(shape);
        long size = 1;
        for (int d : dims) {
            if (d < 0) return null;
            size *= d;
            if (size > 1 << 24) return null; // a mask or a state, not a hostile size: left to the importer
        }
        float fill = 0;
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals("value") && a.hasT()) {
                Tensor v = OnnxImporter.tensor(a.getT(), "ConstantOfShape");
                if (v.size() == 1) fill = v.data()[0];
            }
        }
        float[] v = new float[(int) size];
        Arrays.fill(v, fill);
        return new Tensor(dims, v);
    }

    private static Tensor where(Tensor condition, Tensor x, Tensor y) {
        int[] cx = broadcastDims(condition.shape(), x.shape());
        int[] dims = cx == null ? null : broadcastDims(cx, y.shape());
        if (dims == null) return null;
        Tensor c = broadcast(condition, dims);
        Tensor a = broadcast(x, dims);
        Tensor b = broadcast(y, dims);
        if (c == null || a == null || b == null) return null;
        float[] v = new float[c.size()];
        for (int i = 0; i < v.length; i++) v[i] = c.data()[i] != 0 ? a.data()[i] : b.data()[i];
        return new Tensor(dims, v);
    }

    /** ONNX Expand: broadcast to the target shape and the input's, whichever is larger per axis. */
    private static Tensor expand(Tensor t, Tensor shape) {
        if (shape.rank() > 1) return null;
        int[] dims = broadcastDims(t.shape(), ints(shape));
        return dims == null ? null : broadcast(t, dims);
    }

    private static Tensor cast(Tensor t, int to) {
        // ONNX types 2-7 and 12-13 are integers: casting truncates.
        boolean integer = (to >= 2 && to <= 7) || to == 12 || to == 13;
        float[] v = t.data().clone();
        if (integer) for (int i = 0; i < v.length; i++) v[i] = (float) (long) v[i];
        return new Tensor(t.shape().clone(), v);
    }

    private static Tensor slice(List<Tensor> in) {
        Tensor data = in.get(0);
        if (data.rank() > 1 && in.size() >= 3) return sliceAxes(in);
        if (data.rank() != 1 || in.size() < 3) return null;
        int[] range = sliceRange(data.size(), in.get(1), in.get(2), in.size() > 4 ? in.get(4) : null);
        if (range == null) return null;
        int count = Math.max(0, (range[1] - range[0] + range[2] - 1) / range[2]);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) v[i] = data.data()[range[0] + i * range[2]];
        return new Tensor(new int[] {count}, v);
    }

    /** A Slice of a constant of any rank (an RNN's initial state cut per layer), along the axes it names. */
    private static Tensor sliceAxes(List<Tensor> in) {
        Tensor data = in.get(0);
        Tensor starts = in.get(1), ends = in.get(2);
        Tensor axes = in.size() > 3 ? in.get(3) : null;
        Tensor steps = in.size() > 4 ? in.get(4) : null;
        int rank = data.rank();
        int[] from = new int[rank], step = new int[rank], count = data.shape();
        Arrays.fill(step, 1);
        for (int k = 0; k < starts.size(); k++) {
            int axis = axes == null ? k : (int) axes.data()[k];
            if (axis < 0) axis += rank;
            if (axis < 0 || axis >= rank) return null;
            int[] range = sliceRange(data.shape()[axis], new Tensor(new int[] {1}, new float[] {starts.data()[k]}),
                    new Tensor(new int[] {1}, new float[] {ends.data()[k]}),
                    steps == null ? null : new Tensor(new int[] {1}, new float[] {steps.data()[k]}));
            if (range == null) return null;
            from[axis] = range[0];
            step[axis] = range[2];
            count[axis] = Math.max(0, (range[1] - range[0] + range[2] - 1) / range[2]);
        }
        int[] stride = new int[rank];
        for (int i = rank - 1, s = 1; i >= 0; i--) {
            stride[i] = s;
            s *= data.shape()[i];
        }
        long size = 1;
        for (int c : count) size *= c;
        float[] v = new float[(int) size];
        int[] index = new int[rank];
        for (int k = 0; k < v.length; k++) {
            int at = 0;
            for (int i = 0; i < rank; i++) at += (from[i] + index[i] * step[i]) * stride[i];
            v[k] = data.data()[at];
            for (int i = rank - 1; i >= 0; i--) {
                if (++index[i] < count[i]) break;
                index[i] = 0;
            }
        }
        return new Tensor(count, v);
    }

    /** {from, to, step} of a Slice over a dimension of {@code size}, clamped as ONNX does (positive steps only). */
    static int[] sliceRange(int size, Tensor starts, Tensor ends, Tensor steps) {
        if (starts.size() != 1 || ends.size() != 1 || (steps != null && steps.size() != 1)) return null;
        long from = (long) starts.data()[0];
        long to = (long) ends.data()[0];
        int step = steps == null ? 1 : (int) steps.data()[0];
        if (step <= 0) return null;
        if (from < 0) from += size;
        if (to < 0) to += size;
        from = Math.max(0, Math.min(size, from));
        to = Math.max(0, Math.min(size, to));
        return new int[] {(int) from, (int) to, step};
    }

    /** The static shape of a data value with its batch: 1×C×H×W for maps, 1×F for vectors. */
    static int[] withBatch(Shape s) {
        return s.isVector() ? new int[] {1, (int) s.elements()} : new int[] {1, s.channels(), s.height(), s.width()};
    }
}
