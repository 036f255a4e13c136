package org.abacim.core.network;

import java.util.Arrays;
import java.util.List;

/**
 * A sample's values seen as a row-major tensor of {@code dims}, its axes reordered (output axis i is input axis
 * {@code order[i]}) and stored row-major as {@code shape}: the transposes and reshapes of attention's head split and
 * merge. With the axes in order it only regroups the same values under another shape and moves nothing; otherwise
 * every value passes once through the tile's buffer.
 */
public record Rearrange(String name, String input, int[] dims, int[] order, Shape shape) implements Layer {
    public Rearrange {
        dims = dims.clone();
        order = order.clone();
        if (dims.length == 0 || dims.length != order.length) {
            throw new NetworkException("layer " + name + ": " + dims.length + " axes and an order of " + order.length);
        }
        boolean[] seen = new boolean[dims.length];
        long elements = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] <= 0) throw new NetworkException("layer " + name + ": axis " + i + " of size " + dims[i]);
            elements *= dims[i];
            if (order[i] < 0 || order[i] >= dims.length || seen[order[i]]) {
                throw new NetworkException("layer " + name + ": order " + Arrays.toString(order) + " is not a permutation");
            }
            seen[order[i]] = true;
        }
        if (elements != shape.elements()) {
            throw new NetworkException("layer " + name + ": axes " + Arrays.toString(dims) + " hold " + elements
                    + " values, shape " + shape + " holds " + shape.elements());
        }
    }

    /** A regrouping of the same values (no axis moves), for a layer that reads them under another shape. */
    public static Rearrange regroup(String name, String input, Shape from, Shape to) {
        return new Rearrange(name, input, new int[] {(int) from.elements()}, new int[] {0}, to);
    }

    @Override public List<String> inputs() { return List.of(input); }

    @Override public int[] dims() { return dims.clone(); }

    @Override public int[] order() { return order.clone(); }

    @Override
    public Shape outputShape(List<Shape> in) {
        if (in.get(0).elements() != shape.elements()) {
            throw new NetworkException("layer " + name + ": rearranges " + shape.elements() + " values of an input of "
                    + in.get(0).elements());
        }
        return shape;
    }

    /** Whether values move (some axis of more than one value changes place), not only their grouping. */
    public boolean movesData() {
        int last = -1;
        for (int axis : order) {
            if (dims[axis] == 1) continue;
            if (axis < last) return true;
            last = axis;
        }
        return false;
    }

    /** For every output position, the input position it takes its value from. */
    public int[] sourceIndex() {
        int rank = dims.length;
        int[] strides = new int[rank];
        int stride = 1;
        for (int a = rank - 1; a >= 0; a--) {
            strides[a] = stride;
            stride *= dims[a];
        }
        int[] outDims = new int[rank];
        for (int i = 0; i < rank; i++) outDims[i] = dims[order[i]];
        int[] index = new int[(int) shape.elements()];
        int[] at = new int[rank];
        int source = 0;
        for (int k = 0; k < index.length; k++) {
            index[k] = source;
            for (int i = rank - 1; i >= 0; i--) {
                at[i]++;
                source += strides[order[i]];
                if (at[i] < outDims[i]) break;
                source -= strides[order[i]] * outDims[i];
                at[i] = 0;
            }
        }
        return index;
    }

    @Override
    public String describe() {
        if (!movesData()) return "regroup as " + shape;
        return "rearrange " + Arrays.toString(dims) + " by " + Arrays.toString(order) + " → " + shape;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rearrange r && r.name.equals(name) && r.input.equals(input) && Arrays.equals(r.dims, dims)
                && Arrays.equals(r.order, order) && r.shape.equals(shape);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(dims)) + Arrays.hashCode(order);
    }

    @Override
    public String toString() {
        return "Rearrange[" + name + ", " + input + ", " + Arrays.toString(dims) + " by " + Arrays.toString(order) + " → " + shape + "]";
    }
}
