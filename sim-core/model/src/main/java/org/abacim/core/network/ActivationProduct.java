package org.abacim.core.network;

import java.util.List;

/**
 * A product of two activations, matrix by matrix for each of C channels (attention's heads): Q·Kᵀ and S·V. Input A
 * is C×M×K (C×K×M when {@code transposeA}), input B is C×K×N (C×N×K when {@code transposeB}); either may have a
 * single channel shared by all of the other's. The output is C×M×N. Neither operand is a weight: both change with
 * every input, so the product is not stationary in an array (see the cost model for where it runs).
 */
public record ActivationProduct(String name, String a, String b, boolean transposeA, boolean transposeB) implements Layer {
    @Override public List<String> inputs() { return List.of(a, b); }

    /** The products' dimensions {channels, M, K, N} for the given input shapes, checked. */
    public int[] dims(Shape sa, Shape sb) {
        int m = transposeA ? sa.width() : sa.height();
        int k = transposeA ? sa.height() : sa.width();
        int kb = transposeB ? sb.width() : sb.height();
        int n = transposeB ? sb.height() : sb.width();
        if (k != kb) {
            throw new NetworkException("layer " + name + " multiplies " + sa + (transposeA ? "ᵀ" : "") + " by " + sb
                    + (transposeB ? "ᵀ" : "") + ": inner sizes " + k + " and " + kb + " differ");
        }
        if (sa.channels() != sb.channels() && sa.channels() != 1 && sb.channels() != 1) {
            throw new NetworkException("layer " + name + " multiplies " + sa.channels() + " matrices by " + sb.channels()
                    + "; expected as many, or one shared");
        }
        return new int[] {Math.max(sa.channels(), sb.channels()), m, k, n};
    }

    @Override
    public Shape outputShape(List<Shape> in) {
        int[] d = dims(in.get(0), in.get(1));
        return new Shape(d[0], d[1], d[3]);
    }

    /** Multiply-accumulates of one inference. */
    public long macs(Shape sa, Shape sb) {
        int[] d = dims(sa, sb);
        return (long) d[0] * d[1] * d[2] * d[3];
    }

    @Override public String describe() { return "activation product" + (transposeA ? " Aᵀ" : " A") + (transposeB ? "·Bᵀ" : "·B"); }
}
