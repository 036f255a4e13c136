package org.abacim.core.network;

import java.util.Arrays;
import java.util.List;

/**
 * The same values for every sample (a transformer's class token, a position embedding, an attention mask's fill):
 * a layer without inputs that other layers add, multiply or concatenate. It is held in the tile's buffer.
 */
public record Constant(String name, Shape shape, float[] values) implements Layer {
    public Constant {
        values = values.clone();
        if (values.length != shape.elements()) {
            throw new NetworkException("layer " + name + ": " + values.length + " values for shape " + shape);
        }
    }

    @Override public List<String> inputs() { return List.of(); }

    @Override public float[] values() { return values.clone(); }

    @Override public Shape outputShape(List<Shape> in) { return shape; }

    @Override public String describe() { return "constant " + shape; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Constant c && c.name.equals(name) && c.shape.equals(shape) && Arrays.equals(c.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Constant[" + name + ", " + shape + "]";
    }
}
