package org.abacim.core.network;

import java.util.Arrays;
import java.util.List;

/**
 * An embedding lookup: each of the input's values is a token id (a whole number below {@code vocabulary}), and the
 * output holds that token's row of the table, row after row — T ids give T×1×D (ONNX's Gather from a table by data,
 * as {@code nn.Embedding} exports). The table is read from the tile's buffer, not multiplied on arrays.
 */
public record Embedding(String name, String input, int vocabulary, int dim, float[] table) implements Layer {
    public Embedding {
        table = table.clone();
        if (vocabulary <= 0 || dim <= 0 || (long) vocabulary * dim != table.length) {
            throw new NetworkException("layer " + name + ": a table of " + table.length + " values for " + vocabulary
                    + " tokens of " + dim);
        }
    }

    @Override public List<String> inputs() { return List.of(input); }

    @Override public float[] table() { return table.clone(); }

    /** Copies token {@code row}'s values into {@code into} at {@code at} (the table itself is never handed out). */
    public void copyRow(int row, float[] into, int at) {
        System.arraycopy(table, row * dim, into, at, dim);
    }

    @Override
    public Shape outputShape(List<Shape> in) {
        long tokens = in.get(0).elements();
        if (tokens > Integer.MAX_VALUE) throw new NetworkException("layer " + name + ": " + tokens + " tokens");
        return new Shape((int) tokens, 1, dim);
    }

    /** The row of token {@code id} (a value of the input), checked: a whole number from 0 to vocabulary − 1. */
    public int row(float id, int position) {
        if (!(id >= 0 && id < vocabulary && id == Math.rint(id))) {
            throw new NetworkException("layer " + name + ": token " + id + " at position " + position
                    + " is not a whole number from 0 to " + (vocabulary - 1));
        }
        return (int) id;
    }

    @Override public String describe() { return "embedding " + vocabulary + " × " + dim; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Embedding e && e.name.equals(name) && e.input.equals(input) && e.vocabulary == vocabulary
                && e.dim == dim && Arrays.equals(e.table, table);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(table);
    }

    @Override
    public String toString() {
        return "Embedding[" + name + ", " + input + ", " + vocabulary + " × " + dim + "]";
    }
}
